"""The steps of the official SDKs' own test programs, written as code for the official
package would write them (``import purecore as PureCloudPlatformClientV2``): log in,
create a user, update it, set its profile skills, get it expanded, get it through a
proxy that needs credentials and through a gateway that needs mTLS, delete it.

The emulator runs in mTLS mode (``--mtls DIR``): every connection must present the
client certificate it writes, so each Configuration sets it, as the official
``set_mtls_certificates`` / ``set_mtls_contents`` do.
"""

import base64
import json
import socket
import ssl
import threading
import urllib.request
import uuid

import pytest

import purecore as PureCloudPlatformClientV2
from purecore.rest import ApiException

from conftest import CLIENT_ID, CLIENT_SECRET, Emulator


class AuthProxy:
    """An HTTPS proxy (CONNECT tunnels) on 127.0.0.1 that wants Basic Proxy-Authorization."""

    def __init__(self, username, password):
        self.expected = "Basic " + base64.b64encode(("%s:%s" % (username, password)).encode()).decode()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = "http://127.0.0.1:%d" % self.listener.getsockname()[1]
        self.seen = []  # (request line, authorized)
        self.threads = []
        self.accepting = threading.Thread(target=self._accept, daemon=True)
        self.accepting.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            t = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self.threads.append(t)
            t.start()

    def _serve(self, conn):
        with conn:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                head += chunk
            lines = head.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            headers = dict(line.split(":", 1) for line in lines[1:] if ":" in line)
            headers = {k.strip().lower(): v.strip() for k, v in headers.items()}
            authorized = headers.get("proxy-authorization") == self.expected
            self.seen.append((method + " " + target, authorized))
            if not authorized:
                conn.sendall(b'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="t"\r\n'
                             b"Content-Length: 0\r\nConnection: close\r\n\r\n")
                return
            if method != "CONNECT":
                conn.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            host, port = target.rsplit(":", 1)
            upstream = socket.create_connection((host, int(port)), timeout=10)
            conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            back = threading.Thread(target=self._pipe, args=(upstream, conn), daemon=True)
            back.start()
            self._pipe(conn, upstream)
            back.join(10)
            upstream.close()

    @staticmethod
    def _pipe(src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def stop(self):
        self.listener.close()
        self.accepting.join(10)


@pytest.fixture
def mtls_emu(tmp_path):
    e = Emulator("--mtls", str(tmp_path))
    e.ca, e.cert, e.key = (str(tmp_path / n) for n in ("ca.pem", "client.pem", "client-key.pem"))
    yield e
    e.stop()


@pytest.fixture
def proxy():
    p = AuthProxy("proxy-user", "proxy-pass-123")
    yield p
    p.stop()


def recorded(emu):
    """The emulator's request log (its admin API needs the client certificate too)."""
    ctx = ssl.create_default_context(cafile=emu.ca)
    ctx.load_cert_chain(emu.cert, emu.key)
    with urllib.request.urlopen(emu.url + "/admin/requests", timeout=10, context=ctx) as resp:
        return json.loads(resp.read())


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def test_the_official_test_program_steps(mtls_emu, proxy):
    # 1. Log in (mTLS material given as contents).
    configuration = PureCloudPlatformClientV2.Configuration()
    configuration.host = mtls_emu.url
    configuration.set_mtls_contents(read(mtls_emu.cert), read(mtls_emu.key), read(mtls_emu.ca))
    api_client = PureCloudPlatformClientV2.api_client.ApiClient(configuration).get_client_credentials_token(
        CLIENT_ID, CLIENT_SECRET
    )
    users_api = PureCloudPlatformClientV2.UsersApi(api_client)

    # 2. Create a user with only a name, an email and a password.
    name = "Migration Test %s" % uuid.uuid4().hex[:8]
    email = "migration.%s@example.test" % uuid.uuid4().hex[:8]
    body = PureCloudPlatformClientV2.CreateUser()
    body.name = name
    body.email = email
    body.password = "Password-%s!" % uuid.uuid4().hex[:6]
    user = users_api.post_users(body)
    assert user.id and user.name == name and user.email == email and user.version == 1

    # 3. Update it, with its version.
    update = PureCloudPlatformClientV2.UpdateUser()
    update.name = name + " (updated)"
    update.version = user.version
    updated = users_api.patch_user(user.id, update)
    assert updated.name == name + " (updated)" and updated.version == 2

    # 4. Set its profile skills.
    skills = ["python", "rust"]
    assert users_api.put_user_profileskills(user.id, skills) == skills

    # 5. Get it, expanded.
    got = users_api.get_user(user.id, expand=["profileSkills"])
    assert got.id == user.id and got.name == updated.name and got.version == 2
    assert got.profile_skills == skills

    # 6. Get it through a proxy that needs credentials (certificates as files).
    proxied = PureCloudPlatformClientV2.Configuration()
    proxied.host = mtls_emu.url
    proxied.set_mtls_certificates(mtls_emu.cert, mtls_emu.key, mtls_emu.ca)
    proxied.proxy = proxy.url
    proxied.proxy_username = "proxy-user"
    proxied.proxy_password = "proxy-pass-123"
    via_proxy = PureCloudPlatformClientV2.ApiClient(proxied).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    assert PureCloudPlatformClientV2.UsersApi(via_proxy).get_user(user.id).name == updated.name
    port = mtls_emu.url.rsplit(":", 1)[1]
    assert ("CONNECT 127.0.0.1:%s" % port, True) in proxy.seen
    assert all(ok for _, ok in proxy.seen)
    assert "proxy-pass-123" not in repr(proxied.settings())

    refused = PureCloudPlatformClientV2.Configuration()
    refused.host = mtls_emu.url
    refused.set_mtls_certificates(mtls_emu.cert, mtls_emu.key, mtls_emu.ca)
    refused.retry.max_retries = 0
    refused.proxy = proxy.url
    refused.proxy_username = "proxy-user"
    refused.proxy_password = "wrong-password"
    with pytest.raises(ApiException) as e:
        PureCloudPlatformClientV2.ApiClient(refused).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    assert "wrong-password" not in str(e.value)
    assert proxy.seen[-1][1] is False, "the proxy turned the wrong credentials away"

    # 7. Get it through a gateway that needs mTLS.
    gateway = PureCloudPlatformClientV2.Configuration()
    gateway.gateway_configuration = PureCloudPlatformClientV2.GatewayConfiguration(
        "127.0.0.1", "https", int(port), path_params_login="gw/login", path_params_api="gw/api"
    )
    gateway.set_mtls_certificates(mtls_emu.cert, mtls_emu.key, mtls_emu.ca)
    assert gateway.cert_file == mtls_emu.cert and gateway.key_file == mtls_emu.key
    assert gateway.ssl_ca_cert == mtls_emu.ca
    via_gateway = PureCloudPlatformClientV2.ApiClient(gateway).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    assert PureCloudPlatformClientV2.UsersApi(via_gateway).get_user(user.id).name == updated.name
    paths = [r["path"] for r in recorded(mtls_emu)[-2:]]
    assert paths == ["/gw/login/oauth/token", "/gw/api/api/v2/users/" + user.id]

    no_cert = PureCloudPlatformClientV2.Configuration()
    no_cert.gateway_configuration = gateway.gateway_configuration
    no_cert.ssl_ca_cert = mtls_emu.ca
    no_cert.retry.max_retries = 0
    with pytest.raises(PureCloudPlatformClientV2.ConnectionException):
        PureCloudPlatformClientV2.ApiClient(no_cert).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)

    # 8. Delete it.
    users_api.delete_user(user.id)
    with pytest.raises(ApiException) as e:
        users_api.get_user(user.id)
    assert e.value.status == 404
