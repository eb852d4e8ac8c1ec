"""Mistakes mypy --strict must report with the generated stubs (test.sh checks each one is found)."""

import purecore


async def mixed_up(conf: purecore.Configuration) -> None:
    client = await purecore.AsyncApiClient(conf).get_client_credentials_token("id", "secret")
    me: purecore.UserMe = purecore.UsersApi(client).get_users_me()  # async client, no await
    print(me, await purecore.UsersApi(purecore.ApiClient(conf)).get_users_me())  # awaiting a blocking call
    purecore.UsersApi(client).get_user()  # missing the required user_id
    user: purecore.User = purecore.UsersApi(purecore.PureCloudPlatformClientV2()).get_user("x")  # a response
