"""Scenario transport.mtls: a real mutual-TLS handshake with the emulator in --mtls mode."""

import pytest

import purecore
from purecore.rest import ConnectionException

from conftest import CLIENT_ID, CLIENT_SECRET, USER_ID, Emulator


@pytest.fixture
def mtls_emu(tmp_path):
    """An emulator that refuses clients without a certificate signed by its CA; it writes
    ca.pem, client.pem and client-key.pem into tmp_path."""
    e = Emulator("--mtls", str(tmp_path))
    e.dir = tmp_path
    yield e
    e.stop()


def _config(url):
    conf = purecore.Configuration()
    conf.host = url
    conf.config_file_path = None
    conf.retry.max_retries = 0
    return conf


# scenario: transport.mtls
def test_mutual_tls_with_a_client_certificate_and_refused_without(mtls_emu):
    ca, cert, key = (mtls_emu.dir / f for f in ("ca.pem", "client.pem", "client-key.pem"))
    assert mtls_emu.url.startswith("https://")

    without = _config(mtls_emu.url)
    without.ssl_ca_cert = str(ca)  # the server is trusted; only the client certificate is missing
    with pytest.raises(ConnectionException):
        purecore.ApiClient(without).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)

    # The official settings: cert_file and key_file on the Configuration.
    conf = _config(mtls_emu.url)
    conf.ssl_ca_cert = str(ca)
    conf.cert_file = str(cert)
    conf.key_file = str(key)
    api_client = purecore.ApiClient(conf).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    assert purecore.UsersApi(api_client).get_users_me().id == USER_ID

    # The same identity as PEM texts, set on a client that was refused before.
    refused = purecore.ApiClient(_config(mtls_emu.url))
    with pytest.raises(ConnectionException):
        refused.get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    refused.set_mtls_contents(cert.read_text(), key.read_text(), ca.read_text())
    refused.get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    assert purecore.UsersApi(refused).get_users_me().id == USER_ID
