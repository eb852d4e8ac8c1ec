"""More of the surface, type-checked with mypy --strict (run by test.sh; not executed)."""

from typing import Dict, List, Optional

import purecore
from purecore import PureCloudRegionHosts
from purecore.logger import LogFormat, LogLevel
from purecore.rest import ApiException, RateLimitException


def configure() -> purecore.Configuration:
    conf = purecore.Configuration()
    conf.host = PureCloudRegionHosts.eu_west_1.get_api_host()
    conf.logger.log_level = LogLevel.LDebug
    conf.logger.log_format = LogFormat.JSON
    conf.logger.log_to_console = False
    conf.logger.sink = lambda level, line: None
    conf.should_refresh_access_token = True
    conf.refresh_token_wait_time = 10
    conf.retry.max_retries = 5
    conf.retry.retry_wait_max = 20.0
    conf.config_file_path = None
    return conf


def first_page(api_client: purecore.ApiClient) -> List[str]:
    page = purecore.UsersApi(api_client).get_users(page_size=50, page_number=1, expand=["presence"])
    return [u.name or "" for u in page.entities or []]


def user_or_none(api_client: purecore.ApiClient, user_id: str) -> Optional[purecore.User]:
    try:
        return purecore.UsersApi(api_client).get_user(user_id)
    except RateLimitException as e:
        print("slow down for", e.retry_after, "s")
        return None
    except ApiException as e:
        if e.status == 404:
            return None
        raise


def code_flow(api_client: purecore.ApiClient, code: str) -> Dict[str, object]:
    _, token = api_client.get_code_authorization_token("id", "secret", code, "https://app.example/callback")
    _, token = api_client.refresh_code_authorization_token("id", "secret", str(token["refresh_token"]))
    return token


def pkce_url(api_client: purecore.ApiClient) -> str:
    verifier = purecore.generate_pkce_code_verifier(64)
    url, state = api_client.get_authorize_url(
        "public-id", "https://app.example/callback", "code", code_challenge=purecore.compute_pkce_code_challenge(verifier)
    )
    return url + "#" + state


def hooks(api_client: purecore.ApiClient) -> None:
    def pre(opts: purecore.HttpRequestOptions) -> None:
        opts.headers["X-Trace"] = "1"

    api_client.get_http_client().set_pre_request_hook(pre)
    api_client.get_http_client().set_post_request_hook(lambda resp: print(resp.status, resp.correlation_id))
    api_client.set_default_header("X-App", "typed-example")
    api_client.set_gateway("gateway.example", "https", 443, "login", "api")


def query(api_client: purecore.ApiClient) -> int:
    body = purecore.ConversationQuery(interval="2026-01-01T00:00:00Z/2026-01-02T00:00:00Z")
    result = purecore.ConversationsApi(api_client).post_analytics_conversations_details_query(body)
    return len(result.conversations or [])


def default_client_api() -> Optional[str]:
    # Made without a client: the default one, blocking.
    me = purecore.UsersApi().get_users_me()
    return me.name


async def asyncio_calls(conf: purecore.Configuration) -> List[str]:
    # With an AsyncApiClient the same API classes return awaitables.
    client = await purecore.AsyncApiClient(conf).get_client_credentials_token("id", "secret")
    users = purecore.UsersApi(client)
    me: purecore.UserMe = await users.get_users_me(expand=["presence"])
    page = await users.get_users(page_size=25)
    await purecore.UsersApi(client).delete_user_routingskill("user-id", "skill-id")
    return [me.id or ""] + [u.id or "" for u in page.entities or []]
