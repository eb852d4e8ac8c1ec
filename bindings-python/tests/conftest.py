"""Fixtures: a fresh emulator per test (127.0.0.1, port 0) and clients pointed at it.

The emulator binary is ``$PURECORE_EMULATOR`` or ``<repo>/target/debug/purecore-emulator``.
HOME points at an empty folder so no ``~/.genesyscloudpython/config`` leaks in.
"""

import http.client
import json
import os
import subprocess
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CLIENT_ID, CLIENT_SECRET = "emulator-client", "emulator-secret"
CODE_CLIENT_ID, CODE_CLIENT_SECRET = "emulator-code-client", "emulator-code-secret"
PUBLIC_CLIENT_ID = "emulator-public-client"
REDIRECT_URI = "http://localhost:8085/callback"
SAML_ORG = "emulator-org"
USER_ID = "00000000-0000-4000-8000-000000000001"


def _saml_assertion():
    text = (REPO / "emulator" / "src" / "creds.rs").read_text()
    start = text.index("SAML_ASSERTION: &str = \"") + len("SAML_ASSERTION: &str = \"")
    return text[start : text.index('"', start)]


SAML_ASSERTION = _saml_assertion()

os.environ["HOME"] = tempfile.mkdtemp(prefix="purecore-py-home-")


def emulator_binary():
    path = Path(os.environ.get("PURECORE_EMULATOR", REPO / "target" / "debug" / "purecore-emulator"))
    if not path.exists():
        pytest.fail("emulator binary %s is missing: run `cargo build -p purecore-emulator`" % path)
    return path


class Emulator:
    def __init__(self, *args):
        self.proc = subprocess.Popen(
            [str(emulator_binary()), "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        line = self.proc.stdout.readline().strip()
        prefix = "purecore-emulator listening on "
        if not line.startswith(prefix):
            self.proc.kill()
            raise RuntimeError("the emulator did not start: %r" % line)
        self.url = line[len(prefix) :]

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)

    def admin(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("content-type", "application/json")
        with urllib.request.urlopen(req, timeout=10) as resp:
            text = resp.read()
        return json.loads(text) if text else None

    def fault(self, **fault):
        self.admin("POST", "/admin/faults", fault)

    def counters(self):
        return self.admin("GET", "/admin/counters")

    def requests(self):
        return self.admin("GET", "/admin/requests")

    def token_requests(self):
        return [r for r in self.requests() if r["path"].endswith("/oauth/token")]

    def api_requests(self, path):
        return [r for r in self.requests() if r["path"] == path]

    def expire_tokens(self):
        self.admin("POST", "/admin/expire-tokens")

    def location_of(self, url):
        """Follows nothing: the Location of the authorize redirect."""
        parts = urllib.parse.urlsplit(url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        conn.request("GET", parts.path + "?" + parts.query)
        resp = conn.getresponse()
        assert resp.status == 302, resp.read()
        location = resp.getheader("location")
        conn.close()
        return location


def header(recorded, name):
    for k, v in recorded["headers"]:
        if k == name:
            return v
    return None


def form(recorded):
    return urllib.parse.parse_qsl(recorded["body"])


@pytest.fixture
def emu():
    e = Emulator()
    yield e
    e.stop()


@pytest.fixture
def make_config(emu):
    """A Configuration for the emulator, with short retry waits and no config file."""
    import purecore

    def make(**overrides):
        c = purecore.Configuration()
        c.host = emu.url
        c.config_file_path = None
        c.retry.retry_wait_min = 0.02
        c.retry.retry_wait_max = 0.1
        for k, v in overrides.items():
            setattr(c, k, v)
        return c

    return make


@pytest.fixture
def client(make_config):
    """A blocking ApiClient logged in with client credentials."""
    import purecore

    return purecore.ApiClient(make_config()).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
