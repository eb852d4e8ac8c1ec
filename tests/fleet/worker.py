"""A fleet worker in Python (tests/fleet/run.py starts it): logs in with client
credentials through the token store, says READY, waits for "go" on stdin, makes
FLEET_CALLS calls at once (one thread each) and says DONE ok=N failed=M."""

import os
import sys
from concurrent.futures import ThreadPoolExecutor

import purecore


def main() -> int:
    purecore.configuration.host = os.environ["FLEET_EMULATOR"]
    api_client = purecore.api_client.ApiClient()
    api_client.apply_config({"token_store": os.environ["FLEET_STORE"]})
    api_client.get_client_credentials_token("emulator-client", "emulator-secret")
    print("FLEET READY", flush=True)
    sys.stdin.readline()
    users = purecore.UsersApi(api_client)
    n = int(os.environ["FLEET_CALLS"])
    errors = []

    def call(_: int) -> None:
        try:
            users.get_users_me()
        except Exception as e:  # noqa: BLE001 - counted and reported
            errors.append(repr(e))

    with ThreadPoolExecutor(max_workers=n) as pool:
        list(pool.map(call, range(n)))
    first = errors[0] if errors else ""
    print("FLEET DONE ok=%d failed=%d first_error=%s" % (n - len(errors), len(errors), first), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
