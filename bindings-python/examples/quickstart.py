"""Quickstart: log in with client credentials, call users/me through the generated
API class, then (against the emulator) force a token expiry and a 429 to show the
transparent refresh and the retry. Run by demo.sh; type-checked with mypy --strict.

Against a real org: set GENESYS_CLOUD_REGION (e.g. eu_west_1), GENESYS_CLOUD_CLIENT_ID
and GENESYS_CLOUD_CLIENT_SECRET. Otherwise EMULATOR_URL must name a running emulator.
"""

import asyncio
import json
import os
import sys
import urllib.request
from typing import Any, Dict, List, Optional

import purecore
from purecore.rest import ApiException


def admin(base: str, path: str, body: Optional[Dict[str, Any]] = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method="GET" if body is None and "counters" in path else "POST")
    req.add_header("content-type", "application/json")
    with urllib.request.urlopen(req) as resp:
        text = resp.read()
    return json.loads(text) if text else None


def main() -> int:
    region = os.environ.get("GENESYS_CLOUD_REGION")
    emulator = None if region else os.environ.get("EMULATOR_URL")
    if region:
        purecore.configuration.host = region
        client_id = os.environ["GENESYS_CLOUD_CLIENT_ID"]
        client_secret = os.environ["GENESYS_CLOUD_CLIENT_SECRET"]
    elif emulator:
        purecore.configuration.host = emulator
        client_id, client_secret = "emulator-client", "emulator-secret"
    else:
        print("set EMULATOR_URL, or GENESYS_CLOUD_REGION + GENESYS_CLOUD_CLIENT_ID + GENESYS_CLOUD_CLIENT_SECRET")
        return 2
    purecore.configuration.retry.hook = lambda ev: print(
        "  retry #%d after %s, waiting %.1f s" % (ev["attempt"], ev["reason"], ev["wait"])
    )

    # START quickstart (README.md shows this part; scripts/check-parity keeps it equal)
    api_client = purecore.api_client.ApiClient().get_client_credentials_token(client_id, client_secret)
    users = purecore.UsersApi(api_client)
    try:
        me = users.get_users_me(expand=["presence"])
    except ApiException as e:
        print("users/me failed: status %s, code %s, correlation id %s" % (e.status, e.code, e.correlation_id))
        return 1
    presence = me.presence.presence_definition.system_presence if me.presence and me.presence.presence_definition else None
    print("logged in as %s (%s), presence %s" % (me.name, me.id, presence))
    # END quickstart

    if emulator:
        admin(emulator, "/admin/expire-tokens", {})
        me = users.get_users_me()
        counters = admin(emulator, "/admin/counters")
        print("token expired and renewed transparently: %d token requests so far" % counters["token_requests"])

        admin(emulator, "/admin/faults", {"kind": "status", "status": 429, "retry_after": 1})
        me = users.get_users_me()
        last = api_client.last_response
        print("a 429 was retried: users/me succeeded after %d attempts" % (last.attempts if last else 0))

    names = asyncio.run(concurrent_names(client_id, client_secret))
    print("asyncio: %d concurrent calls, all as %s" % (len(names), sorted({n or "" for n in names})))
    return 0


async def concurrent_names(client_id: str, client_secret: str) -> List[Optional[str]]:
    api_client = await purecore.AsyncApiClient().get_client_credentials_token(client_id, client_secret)
    users = purecore.UsersApi(api_client)
    # With the async client each call is an awaitable (and typed as one).
    calls = [users.get_users_me() for _ in range(20)]
    return [me.name for me in await asyncio.gather(*calls)]


if __name__ == "__main__":
    sys.exit(main())
