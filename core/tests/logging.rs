//! Logging at trace with bodies writes useful lines and never a secret.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use purecore::{AuthorizeRequest, LogFormat, LogLevel, Request};

fn temp_path(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("purecore-test-{}-{}", std::process::id(), name));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("log.txt")
}

async fn exercise_every_secret(format: LogFormat) -> (String, Vec<String>) {
    let emu = emulator().await;
    let path = temp_path(&format!("{format:?}"));
    let _ = std::fs::remove_file(&path);
    let mut cfg = config_for(&emu);
    cfg.logging.level = LogLevel::Trace;
    cfg.logging.format = format;
    cfg.logging.log_to_console = false;
    cfg.logging.log_file_path = Some(path.clone());
    cfg.logging.log_request_body = true;
    cfg.logging.log_response_body = true;
    let client = purecore::Client::new(cfg).unwrap();
    let mut secrets: Vec<String> =
        vec![creds::CLIENT_SECRET.into(), creds::CODE_CLIENT_SECRET.into(), creds::SAML_ASSERTION.into()];

    let a = client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    secrets.push(a.access_token.expose().into());
    let a = client
        .login_saml2_bearer(creds::CLIENT_ID, creds::CLIENT_SECRET, creds::SAML_ORG, creds::SAML_ASSERTION)
        .await
        .unwrap();
    secrets.push(a.access_token.expose().into());

    let url = client
        .authorize_url(&AuthorizeRequest {
            client_id: creds::CODE_CLIENT_ID.into(),
            redirect_uri: creds::REDIRECT_URI.into(),
            response_type: "code".into(),
            ..Default::default()
        })
        .unwrap();
    let code = purecore::parse_code_redirect(&location_of(&url.url).await, None).unwrap();
    secrets.push(code.expose().into());
    let a = client
        .login_code(creds::CODE_CLIENT_ID, creds::CODE_CLIENT_SECRET, code.expose(), creds::REDIRECT_URI)
        .await
        .unwrap();
    let rt = a.refresh_token.clone().unwrap();
    secrets.push(a.access_token.expose().into());
    secrets.push(rt.expose().into());
    // A forced refresh through the 401 path logs a refresh-token request too.
    emu.expire_all_tokens();
    client.request(Request::get("/api/v2/users/me")).await.unwrap();
    secrets.push(client.auth_data().unwrap().access_token.expose().into());

    let verifier = purecore::generate_code_verifier(50).unwrap();
    let url = client
        .authorize_url(&AuthorizeRequest {
            client_id: creds::PUBLIC_CLIENT_ID.into(),
            redirect_uri: creds::REDIRECT_URI.into(),
            response_type: "code".into(),
            code_challenge: Some(purecore::compute_code_challenge(&verifier).unwrap()),
            ..Default::default()
        })
        .unwrap();
    let code = purecore::parse_code_redirect(&location_of(&url.url).await, None).unwrap();
    secrets.push(code.expose().into());
    secrets.push(verifier.clone());
    let a = client.login_pkce(creds::PUBLIC_CLIENT_ID, code.expose(), &verifier, creds::REDIRECT_URI).await.unwrap();
    secrets.push(a.access_token.expose().into());
    secrets.push(a.refresh_token.unwrap().expose().into());

    // A failed grant logs its request body at error level.
    let _ = client.login_client_credentials(creds::CLIENT_ID, "wrong-secret-value").await;
    secrets.push("wrong-secret-value".into());
    client.request(Request::get("/api/v2/tokens/me")).await.unwrap();
    drop(client);
    (std::fs::read_to_string(&path).unwrap(), secrets)
}

// scenario: logging.redaction
#[tokio::test]
async fn trace_json_log_with_bodies_has_no_secret() {
    let (log, secrets) = exercise_every_secret(LogFormat::Json).await;
    for s in &secrets {
        assert!(!log.contains(s.as_str()), "secret {s:?} found in the log");
    }
    let lines: Vec<serde_json::Value> = log.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let token_lines = lines.iter().filter(|l| l["url"].as_str().is_some_and(|u| u.ends_with("/oauth/token"))).count();
    assert!(token_lines >= 6, "token requests are logged ({token_lines})");
    let me = lines
        .iter()
        .find(|l| l["url"].as_str().is_some_and(|u| u.ends_with("/api/v2/tokens/me")))
        .expect("the API call is logged");
    assert_eq!(me["level"], "debug");
    assert_eq!(me["method"], "GET");
    assert_eq!(me["status"], 200);
    assert!(me["correlationId"].as_str().is_some_and(|c| !c.is_empty()));
    assert!(me["durationMs"].is_u64());
    assert_eq!(me["requestHeaders"]["authorization"], "[REDACTED]");
    assert!(me["responseBody"].as_str().unwrap().contains("organization"));
    assert!(
        lines.iter().any(|l| l["level"] == "error" && l["status"] == 401),
        "the failed grant is logged as an error"
    );
    assert!(lines.iter().any(|l| l["requestBody"].as_str().is_some_and(|b| b.contains("grant_type=refresh_token"))));
}

// scenario: logging.redaction
#[tokio::test]
async fn trace_text_log_with_bodies_has_no_secret() {
    let (log, secrets) = exercise_every_secret(LogFormat::Text).await;
    for s in &secrets {
        assert!(!log.contains(s.as_str()), "secret {s:?} found in the log");
    }
    assert!(log
        .lines()
        .any(|l| l.contains(" DEBUG GET ") && l.contains("/api/v2/tokens/me") && l.contains("status=200")));
}

#[tokio::test]
async fn error_level_logs_only_failures() {
    let emu = emulator().await;
    let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let l2 = lines.clone();
    let mut cfg = config_for(&emu);
    cfg.logging.level = LogLevel::Error;
    cfg.logging.log_to_console = false;
    cfg.logging.sink = Some(std::sync::Arc::new(move |_, l: &str| l2.lock().unwrap().push(l.to_owned())));
    let client = purecore::Client::new(cfg).unwrap();
    client.login_client_credentials(creds::CLIENT_ID, creds::CLIENT_SECRET).await.unwrap();
    client.request(Request::get("/api/v2/users/me")).await.unwrap();
    assert!(lines.lock().unwrap().is_empty(), "{:?}", lines.lock().unwrap());
    let _ = client.request(Request::get("/api/v2/users/not-a-user")).await.unwrap_err();
    let lines = lines.lock().unwrap();
    assert_eq!(lines.len(), 1);
    assert!(lines[0].contains("ERROR") && lines[0].contains("status=404"), "{}", lines[0]);
}
