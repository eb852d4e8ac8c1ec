//! A local emulator of Genesys Cloud for tests: the login host (`/oauth/token`,
//! `/oauth/authorize`) and the API host (`/api/v2/...`) on one 127.0.0.1 server, over HTTP
//! or HTTPS with a generated CA, with fault injection, rate limiting and request
//! recording driven from Rust ([`Emulator`]) or over HTTP (`/admin/...`).
//!
//! The API host answers every operation of the Platform API catalog (`purecore-catalog`):
//! requests are validated against the definition and answered with deterministic,
//! schema-shaped bodies; users and routing queues keep real state. [`samples`] gives valid
//! parameters for every operation (the conformance sweep of every SDK uses them).
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use purecore_emulator::{Emulator, EmulatorOptions, Fault};
//! let emu = Emulator::start(EmulatorOptions::default()).await?;
//! emu.push_fault(Fault::status(503));
//! println!("{}", emu.base_url());
//! emu.shutdown().await;
//! # Ok(()) }
//! ```

mod admin;
mod api;
mod body;
pub mod creds;
mod data;
mod directory;
mod faults;
mod limits;
mod model;
mod oauth;
mod reply;
mod request;
mod router;
mod server;
mod spec;
mod state;
mod tls;
pub use limits::{parse_rate, token_key, LimitCounters};
pub use tls::ClientIdentity;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinHandle;

pub use spec::samples::{samples, Sample};

pub use model::{Counters, EmulatorOptions, Fault, FaultKind, FaultTarget, RateLimit, RecordedRequest, RetryAfter};

use state::State;

/// A running emulator. Dropping it stops the server (the accept loop and every connection).
#[derive(Debug)]
pub struct Emulator {
    state: Arc<State>,
    addr: SocketAddr,
    tls: bool,
    ca_pem: Option<String>,
    client_identity: Option<ClientIdentity>,
    task: Option<JoinHandle<()>>,
}

impl Emulator {
    /// Binds 127.0.0.1:`opts.port` and starts serving on the current tokio runtime.
    pub async fn start(opts: EmulatorOptions) -> std::io::Result<Emulator> {
        let state = Arc::new(State::new(opts.token_lifetime));
        state.set_start_limits(opts.rate_limit, opts.token_rate_limit);
        let tls = opts.tls || opts.require_client_cert;
        let (ca_pem, config, client_identity) = if tls {
            let material = tls::generate(opts.require_client_cert)?;
            (Some(material.ca_pem), Some(material.config), material.client_identity)
        } else {
            (None, None, None)
        };
        let (addr, task) = server::start(opts.port, config, state.clone()).await?;
        Ok(Emulator { state, addr, tls, ca_pem, client_identity, task: Some(task) })
    }

    /// The client certificate and key to present when `require_client_cert` is on.
    pub fn client_identity(&self) -> Option<ClientIdentity> {
        self.client_identity.clone()
    }

    /// `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://127.0.0.1:{}", self.addr.port())
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// PEM of the generated CA when serving HTTPS.
    pub fn ca_pem(&self) -> Option<String> {
        self.ca_pem.clone()
    }

    /// Revokes every access token issued so far (they now get 401); refresh tokens stay valid.
    pub fn expire_all_tokens(&self) {
        self.state.expire_all_tokens();
    }

    /// Revokes every access token now, then again `times - 1` more times, `interval` apart
    /// (e.g. 3 times 150 ms apart), in the background. Refresh tokens stay valid.
    pub fn expire_all_tokens_repeatedly(&self, times: u32, interval: Duration) {
        self.state.expire_all_tokens_repeatedly(times, interval);
    }

    /// Queues a fault (FIFO). A fault with `count == 0` is ignored.
    pub fn push_fault(&self, fault: Fault) {
        self.state.push_fault(fault);
    }

    /// Sets (or with `None` clears) the per-token API rate limit.
    pub fn set_rate_limit(&self, limit: Option<RateLimit>) {
        self.state.set_rate_limit(limit);
    }

    /// Lifetime of tokens issued from now on.
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        self.state.set_token_lifetime(lifetime);
    }

    /// Sets (or with `None` clears) the token endpoint's limit per client id.
    pub fn set_token_rate_limit(&self, limit: Option<RateLimit>) {
        self.state.set_token_rate_limit(limit);
    }

    /// Token requests and 429s per client and per token (see [`LimitCounters`]).
    pub fn limit_counters(&self) -> LimitCounters {
        self.state.limit_counters()
    }

    pub fn counters(&self) -> Counters {
        self.state.counters()
    }

    /// Recorded requests, oldest first (the last 2,000; admin and `/health` are not recorded).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.requests()
    }

    /// Clears counters, the request log, queued faults and the rate limit, and puts users and
    /// routing queues back to the seed data (tokens stay valid).
    pub fn reset(&self) {
        self.state.reset();
    }

    /// Stops the server and waits for the accept loop to end.
    pub async fn shutdown(mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
