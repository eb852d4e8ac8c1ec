//! Roots handed over with `transport::add_base_roots` (as the Node addon hands over Node's
//! copy of the Mozilla roots) are trusted like the built-in ones. Its own test binary: the
//! base roots are put together once per process, at the first connection.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use purecore::{transport, Client, ErrorKind, Request};

#[tokio::test]
async fn handed_over_roots_are_trusted_without_an_extra_ca() {
    let emu = Emulator::start(EmulatorOptions { tls: true, ..Default::default() }).await.unwrap();
    let ca = emu.ca_pem().unwrap();
    let err =
        transport::add_base_roots(&["-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n".into()])
            .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Configuration);
    assert_eq!(transport::add_base_roots(&[ca.clone(), String::new()]).unwrap(), 1);

    // No extra CA in the settings: the emulator's CA is one of the base roots now.
    let client = Client::new(config_for(&emu)).unwrap();
    client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    client.request(Request::get("/api/v2/users/me")).await.unwrap();

    // Put together at the first connection: later roots are refused, not silently ignored.
    let err = transport::add_base_roots(&[ca]).unwrap_err();
    assert!(err.message().contains("before the first connection"), "{err}");
}
