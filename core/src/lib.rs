//! purecore: the Rust core of a Genesys Cloud Platform API (v2) client.
//!
//! One [`Client`] holds settings ([`Config`]), a token session with
//! single-flight refresh, an HTTP transport with retries, and a logger.
//! Bindings (Node, Python, C/Go) are thin layers over this crate.
//!
//! ```no_run
//! # async fn demo() -> purecore::Result<()> {
//! let client = purecore::Client::new(purecore::Config::default())?;
//! client.set_environment("mypurecloud.ie")?;
//! client.login_client_credentials("client-id", "client-secret").await?;
//! let me = client.request(purecore::Request::get("/api/v2/users/me")).await?;
//! println!("{} {}", me.status, me.text());
//! # Ok(()) }
//! ```

// Untrusted input reaches most of this crate (replies, files, redirects, host values):
// indexing and unchecked arithmetic are denied so that none of it can panic.
#![cfg_attr(not(test), deny(clippy::indexing_slicing, clippy::arithmetic_side_effects))]

pub mod auth;
pub mod blocking;
mod client;
mod clock;
pub mod config;
pub mod environment;
mod error;
mod exec;
/// Entry points for the fuzz targets in `fuzz/`; not part of the API.
#[doc(hidden)]
pub mod fuzzing;
pub mod governor;
pub mod hooks;
pub mod logging;
pub mod operation;
pub mod paging;
mod request;
mod response;
pub mod retry;
mod secret;
pub mod transport;

pub use auth::implicit::{parse_code_redirect, parse_implicit_redirect, AuthorizeRequest, AuthorizeUrl};
pub use auth::pkce::{compute_code_challenge, generate_code_verifier};
pub use auth::AuthData;
pub use auth::TokenCallback;
pub use client::{Client, ConfigErrorCallback};
pub use config::{Config, ConfigFile, ConfigPatch, ProxyConfig, RefreshConfig, TlsConfig};
pub use environment::{Environment, Gateway, REGIONS};
pub use error::{Error, ErrorKind, Result};
pub use hooks::{
    ExchangeEvent, ExchangeHook, HookFuture, HookRequest, HookResponse, RequestHook, ResponseHook, RetryEvent,
    RetryHook,
};
pub use logging::{LogConfig, LogFormat, LogLevel};
pub use purecore_catalog as catalog;
pub use request::{Body, Request};
pub use response::{RateLimitInfo, Response};
pub use retry::RetryConfig;
pub use secret::Secret;

/// The version of purecore.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
