"""The tutorial's style: PureCloudPlatformClientV2() with setters, responses with .body.

Runs against GENESYS_CLOUD_ENVIRONMENT (default mypurecloud.com) with
GENESYS_CLOUD_CLIENT_ID / GENESYS_CLOUD_CLIENT_SECRET; tests run it against the emulator.
Type-checked with mypy --strict by test.sh.
"""

import os
import sys

from purecore import (
    AnalyticsApi,
    AuthenticationException,
    ConversationQuery,
    PureCloudPlatformClientV2,
    RetryPolicy,
    UsersApi,
)


def main() -> int:
    platform_client = PureCloudPlatformClientV2()
    platform_client.set_environment(os.environ.get("GENESYS_CLOUD_ENVIRONMENT", "mypurecloud.com"))
    platform_client.set_retry_policy(RetryPolicy(max_retries=3, initial_delay_ms=200, max_delay_ms=5000))
    platform_client.set_retry_policy(retry_status_codes=[429, 502, 503, 504])
    platform_client.set_authentication_timeout(10000)
    platform_client.set_log_level(os.environ.get("GENESYS_CLOUD_LOG_LEVEL", "none"))
    try:
        platform_client.login_client_credentials(
            client_id=os.environ["GENESYS_CLOUD_CLIENT_ID"],
            client_secret=os.environ["GENESYS_CLOUD_CLIENT_SECRET"],
        )
    except AuthenticationException as e:
        print("login refused:", e.oauth_error, file=sys.stderr)
        return 1

    users_api = UsersApi(platform_client)
    me = users_api.get_users_me()
    print("me:", me.body.id, me.body.name)
    response = users_api.get_user(me.body.id or "")
    print("status:", response.status, "id:", response.body.id)
    print("correlation id present:", bool(response.headers.get("inin-correlation-id")))

    query = ConversationQuery(interval="2026-01-01T00:00:00.000Z/2026-01-02T00:00:00.000Z")
    result = AnalyticsApi(platform_client).post_analytics_conversations_details_query(query)
    print("conversations:", len(result.body.conversations or []))
    return 0


if __name__ == "__main__":
    sys.exit(main())
