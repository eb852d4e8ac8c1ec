# A script written for the official package (PureCloudPlatformClientV2). The
# migration test runs it after changing only its two import lines.
import os
import sys

import PureCloudPlatformClientV2
from PureCloudPlatformClientV2.rest import ApiException

PureCloudPlatformClientV2.configuration.host = os.environ["GENESYS_HOST"]
PureCloudPlatformClientV2.configuration.logger.log_level = PureCloudPlatformClientV2.logger.LogLevel.LError
PureCloudPlatformClientV2.configuration.logger.log_to_console = False

region = PureCloudPlatformClientV2.PureCloudRegionHosts.eu_west_1
print("region api host:", region.get_api_host())

apiclient = PureCloudPlatformClientV2.api_client.ApiClient().get_client_credentials_token(
    os.environ["GENESYS_CLIENT_ID"], os.environ["GENESYS_CLIENT_SECRET"]
)
users_api = PureCloudPlatformClientV2.UsersApi(apiclient)

try:
    me = users_api.get_users_me(expand=["presence"])
    print("name:", me.name)
    print("presence:", me.presence.presence_definition.system_presence)
    print("keys:", sorted(me.to_dict())[:3])
except ApiException as e:
    print("Exception when calling UsersApi->get_users_me: %s\n" % e)
    sys.exit(1)

page = users_api.get_users(page_size=2, page_number=1)
print("page entities:", len(page.entities), "page size:", page.page_size)

query = PureCloudPlatformClientV2.ConversationQuery()
query.interval = "2026-01-01T00:00:00.000Z/2026-01-02T00:00:00.000Z"
result = PureCloudPlatformClientV2.ConversationsApi(apiclient).post_analytics_conversations_details_query(query)
print("query result:", type(result).__name__)

try:
    users_api.get_user("00000000-0000-0000-0000-00000000dead")
except ApiException as e:
    print("status:", e.status, "reason:", e.reason)
