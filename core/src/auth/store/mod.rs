//! Token stores: one token shared by every client, process and host that logs
//! in with the same credentials (the `token_store` setting).
//!
//! - `memory` (the default): no store; each client keeps its own token, as before.
//! - `file:PATH` ([`file::FileStore`]): one host. An owner-only (0600) file,
//!   replaced atomically (temporary file and rename), the lease an advisory
//!   lock on `PATH.lock`.
//! - `redis://` / `rediss://` ([`redis_store::RedisStore`]): every host.
//!
//! **Keys and values.** The key is the hex SHA-256 of the login host, the
//! client id, the grant kind and the identity where one applies (the SAML
//! subject); it holds no secret. The value is the token sealed with AES-256-GCM
//! under a key derived by HKDF-SHA256 from the client secret, with a random
//! nonce per write and the store key as associated data: whoever reads the
//! store without the secret gets nothing usable. Grants without a client
//! secret (PKCE, implicit, a token set by the host) and the code grant (its
//! token belongs to one user's session) are never stored.
//!
//! **One token request for the fleet** ([`obtain`]). A client that needs a
//! token (a login, or a renewal) first reads the store: a usable token there is
//! taken with no token request. Otherwise it takes the lease (Redis: `SET NX
//! PX` with a random owner, renewed while the request runs, released by a
//! compare-and-delete script; file: the lock). The holder requests the token
//! and publishes it; the others poll the store with backoff (25 ms doubling to
//! 400 ms) within `refresh_token_wait_max`. A holder that dies loses its lease
//! within [`LEASE_TTL`] (Redis) or at once (file: the OS drops the lock).
//!
//! **A store that is down never fails a call.** Any store error (or an answer
//! slower than [`OP_TIMEOUT`]) switches the client to its own token requests,
//! logs one `token store unavailable` alert (written whatever the log level,
//! field `event: token_store_down`; hosts see it through their log sink) and
//! tries the store again at most every [`RETRY_AFTER`]; when it answers again
//! it logs `token store available again` (`event: token_store_up`).

pub(crate) mod file;
pub(crate) mod redis_store;

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ring::aead;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::auth::{session, AuthData, Renewal};
use crate::config::TokenStoreSetting;
use crate::error::Result;
use crate::logging::Logger;
use crate::secret::Secret;

/// How long a lease lives without renewal: a holder that dies frees it within this.
pub(crate) const LEASE_TTL: Duration = Duration::from_secs(5);
/// The longest one store operation may take before the store counts as down.
pub(crate) const OP_TIMEOUT: Duration = Duration::from_secs(2);
/// How long after a failure the store is tried again.
pub(crate) const RETRY_AFTER: Duration = Duration::from_secs(1);
const POLL_MIN: Duration = Duration::from_millis(25);
const POLL_MAX: Duration = Duration::from_millis(400);

/// A store failure, in words that hold no secret.
#[derive(Debug, Clone)]
pub(crate) struct StoreError(pub String);

pub(crate) type StoreResult<T> = std::result::Result<T, StoreError>;
pub(crate) type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = StoreResult<T>> + Send + 'a>>;

/// A lease on a key: only its holder requests a token for that key.
pub(crate) enum Lease {
    Redis {
        key: String,
        owner: String,
    },
    /// The open lock file, locked; dropping it unlocks.
    File(#[allow(dead_code)] std::fs::File),
}

/// Where sealed tokens live. Values are opaque bytes (sealed by [`Sealer`]).
pub(crate) trait TokenStore: Send + Sync {
    fn get<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Option<Vec<u8>>>;
    /// Stores `value` for `key`, kept for `ttl`.
    fn put<'a>(&'a self, key: &'a str, value: Vec<u8>, ttl: Duration) -> StoreFuture<'a, ()>;
    /// The lease on `key` for `ttl`, or `None` when another holds it.
    fn try_lease<'a>(&'a self, key: &'a str, ttl: Duration) -> StoreFuture<'a, Option<Lease>>;
    /// Extends a held lease; false when it was lost.
    fn renew<'a>(&'a self, lease: &'a Lease, ttl: Duration) -> StoreFuture<'a, bool>;
    fn release(&self, lease: Lease) -> StoreFuture<'_, ()>;
    /// What the store is, for messages (no password).
    fn describe(&self) -> String;
    /// A warning the store has for the log (once), e.g. a garbled file.
    fn take_warning(&self) -> Option<String> {
        None
    }
}

/// A store and whether it is up, shared by a client's clones.
pub(crate) struct StoreHandle {
    /// The `token_store` setting it was made from.
    pub(crate) spec: String,
    store: Arc<dyn TokenStore>,
    health: Mutex<Health>,
}

#[derive(Default)]
struct Health {
    down: bool,
    retry_at: Option<tokio::time::Instant>,
}

impl StoreHandle {
    /// The store of a `token_store` setting; `None` for `memory`.
    pub(crate) fn open(spec: &str) -> Result<Option<Arc<StoreHandle>>> {
        let store: Arc<dyn TokenStore> = match TokenStoreSetting::parse(spec)? {
            TokenStoreSetting::Memory => return Ok(None),
            TokenStoreSetting::File(path) => Arc::new(file::FileStore::new(path)),
            TokenStoreSetting::Redis(url) => Arc::new(redis_store::RedisStore::new(&url)?),
        };
        Ok(Some(Arc::new(StoreHandle { spec: spec.to_owned(), store, health: Mutex::new(Health::default()) })))
    }

    fn health(&self) -> std::sync::MutexGuard<'_, Health> {
        self.health.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs one store operation: `None` when the store is (or just went) down.
    async fn op<T>(&self, logger: &Logger, what: StoreFuture<'_, T>) -> Option<T> {
        {
            let h = self.health();
            if h.down && h.retry_at.is_some_and(|t| tokio::time::Instant::now() < t) {
                return None;
            }
        }
        let result = match tokio::time::timeout(OP_TIMEOUT, what).await {
            Ok(r) => r,
            Err(_) => Err(StoreError(format!("no answer within {} s", OP_TIMEOUT.as_secs()))),
        };
        if let Some(w) = self.store.take_warning() {
            logger.alert(&w, &[("event", json!("token_store_ignored")), ("store", json!(self.store.describe()))]);
        }
        let mut h = self.health();
        match result {
            Ok(v) => {
                if h.down {
                    h.down = false;
                    h.retry_at = None;
                    drop(h);
                    logger.alert(
                        "token store available again; tokens are shared again",
                        &[("event", json!("token_store_up")), ("store", json!(self.store.describe()))],
                    );
                }
                Some(v)
            }
            Err(StoreError(msg)) => {
                let first = !h.down;
                h.down = true;
                h.retry_at = Some(crate::clock::after(RETRY_AFTER));
                drop(h);
                if first {
                    logger.alert(
                        "token store unavailable; this client requests its own tokens until it is back",
                        &[
                            ("event", json!("token_store_down")),
                            ("store", json!(self.store.describe())),
                            ("error", json!(msg)),
                        ],
                    );
                }
                None
            }
        }
    }
}

/// What a token is stored under, and how it is sealed.
pub(crate) struct Entry {
    pub(crate) key: String,
    sealer: Sealer,
}

impl Entry {
    /// The entry of a grant, or `None` for grants that are never stored.
    pub(crate) fn of(renewal: &Renewal, login_host: &str) -> Option<Entry> {
        let (client_id, secret, grant, identity) = match renewal {
            Renewal::ClientCredentials { client_id, secret } => {
                (client_id, secret, "client_credentials", String::new())
            }
            Renewal::Saml2 { client_id, secret, org_name, assertion } => {
                (client_id, secret, "saml2_bearer", format!("{org_name}\n{}", saml_subject(assertion)))
            }
            Renewal::None | Renewal::Code { .. } | Renewal::Pkce { .. } => return None,
        };
        let mut h = Sha256::new();
        for part in ["purecore-token-v1", login_host, client_id, grant, &identity] {
            h.update((part.len() as u64).to_be_bytes());
            h.update(part.as_bytes());
        }
        let key = hex(&h.finalize());
        Some(Entry { key, sealer: Sealer::new(secret)? })
    }

    pub(crate) fn seal(&self, auth: &AuthData) -> Option<Vec<u8>> {
        let plain = serde_json::to_vec(&Stored::from(auth)).ok()?;
        self.sealer.seal(&self.key, plain)
    }

    pub(crate) fn open(&self, sealed: Vec<u8>) -> Option<AuthData> {
        let plain = self.sealer.open(&self.key, sealed)?;
        serde_json::from_slice::<Stored>(&plain).ok().map(Stored::into_auth)
    }
}

/// The identity of a SAML2 assertion: its subject's `NameID` when it can be
/// read, else a hash of the whole assertion (each assertion its own entry).
fn saml_subject(assertion: &Secret) -> String {
    use base64::Engine;
    let xml = base64::engine::general_purpose::STANDARD
        .decode(assertion.expose().trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok());
    let name_id = xml.as_deref().and_then(|x| {
        let start = x.find("NameID")?;
        let rest = x.get(start..)?;
        let open_end = rest.find('>')?;
        let value = rest.get(open_end.checked_add(1)?..)?;
        let close = value.find('<')?;
        value.get(..close).map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
    });
    match name_id {
        Some(n) => format!("subject:{n}"),
        None => format!("assertion:{}", hex(&Sha256::digest(assertion.expose().as_bytes()))),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A token as it is sealed into the store.
#[derive(Serialize, Deserialize)]
struct Stored {
    access_token: String,
    token_type: String,
    refresh_token: Option<String>,
    expires_in: Option<u64>,
    expires_at_ms: Option<u64>,
}

impl From<&AuthData> for Stored {
    fn from(a: &AuthData) -> Stored {
        Stored {
            access_token: a.access_token.expose().to_owned(),
            token_type: a.token_type.clone(),
            refresh_token: a.refresh_token.as_ref().map(|t| t.expose().to_owned()),
            expires_in: a.expires_in,
            expires_at_ms: a.expires_at_millis(),
        }
    }
}

impl Stored {
    fn into_auth(self) -> AuthData {
        AuthData {
            access_token: Secret::new(self.access_token),
            token_type: self.token_type,
            refresh_token: self.refresh_token.map(Secret::new),
            expires_in: self.expires_in,
            expires_at: self.expires_at_ms.and_then(|ms| UNIX_EPOCH.checked_add(Duration::from_millis(ms))),
            state: None,
        }
    }
}

/// AES-256-GCM with a key derived (HKDF-SHA256) from the client secret.
/// Sealed: version byte 1, 12-byte random nonce, ciphertext and tag.
struct Sealer {
    key: aead::LessSafeKey,
}

const SEAL_VERSION: u8 = 1;
const HKDF_SALT: &[u8] = b"purecore token store salt v1";
const HKDF_INFO: &[u8] = b"purecore token store AES-256-GCM key v1";

impl Sealer {
    fn new(secret: &Secret) -> Option<Sealer> {
        let salt = ring::hkdf::Salt::new(ring::hkdf::HKDF_SHA256, HKDF_SALT);
        let prk = salt.extract(secret.expose().as_bytes());
        let okm = prk.expand(&[HKDF_INFO], &aead::AES_256_GCM).ok()?;
        Some(Sealer { key: aead::LessSafeKey::new(aead::UnboundKey::from(okm)) })
    }

    fn seal(&self, key: &str, mut plain: Vec<u8>) -> Option<Vec<u8>> {
        let mut nonce = [0u8; aead::NONCE_LEN];
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut nonce).ok()?;
        self.key
            .seal_in_place_append_tag(
                aead::Nonce::assume_unique_for_key(nonce),
                aead::Aad::from(key.as_bytes()),
                &mut plain,
            )
            .ok()?;
        let mut out = Vec::with_capacity(plain.len().saturating_add(aead::NONCE_LEN).saturating_add(1));
        out.push(SEAL_VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&plain);
        Some(out)
    }

    fn open(&self, key: &str, sealed: Vec<u8>) -> Option<Vec<u8>> {
        let (version, rest) = sealed.split_first()?;
        if *version != SEAL_VERSION {
            return None;
        }
        let (nonce, body) = rest.split_at_checked(aead::NONCE_LEN)?;
        let nonce = aead::Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut body = body.to_vec();
        let plain = self.key.open_in_place(nonce, aead::Aad::from(key.as_bytes()), &mut body).ok()?;
        Some(plain.to_vec())
    }
}

/// How long the store keeps a token: until it expires (an hour when unknown), at least a second.
fn ttl_of(auth: &AuthData) -> Duration {
    let left = match auth.expires_at {
        Some(at) => at.duration_since(SystemTime::now()).unwrap_or_default(),
        None => Duration::from_secs(3600),
    };
    left.max(Duration::from_secs(1))
}

/// Whether a stored token may be used: not the one being replaced, and not due.
fn usable(auth: &AuthData, stale: Option<&str>, margin: Duration) -> bool {
    stale.is_none_or(|s| auth.access_token.expose() != s) && !session::expires_within(auth, margin)
}

/// A token for `entry`: from the store when it holds a usable one, else from
/// `fetch` run by the one holder of the lease, whose result the others take
/// from the store. `stale` is the token being replaced (never taken back).
/// The store never makes this fail: when it is down, or the wait passes
/// `wait_max`, this client runs `fetch` itself.
pub(crate) async fn obtain<F>(
    handle: &StoreHandle,
    entry: &Entry,
    stale: Option<&str>,
    margin: Duration,
    wait_max: Duration,
    logger: &Logger,
    fetch: F,
) -> Result<AuthData>
where
    F: Future<Output = Result<AuthData>> + Send,
{
    let deadline = crate::clock::after(wait_max);
    let mut pause = POLL_MIN;
    let taken = |found: Option<Option<Vec<u8>>>| -> Option<AuthData> {
        let auth = entry.open(found??)?;
        usable(&auth, stale, margin).then_some(auth)
    };
    loop {
        let Some(found) = handle.op(logger, handle.store.get(&entry.key)).await else { return fetch.await };
        if let Some(auth) = taken(Some(found)) {
            logger.event(crate::logging::LogLevel::Debug, "token taken from the token store", &[]);
            return Ok(auth);
        }
        let Some(lease) = handle.op(logger, handle.store.try_lease(&entry.key, LEASE_TTL)).await else {
            return fetch.await;
        };
        if let Some(lease) = lease {
            // Another holder may have published between the read and the lease.
            if let Some(auth) = taken(handle.op(logger, handle.store.get(&entry.key)).await) {
                handle.op(logger, handle.store.release(lease)).await;
                return Ok(auth);
            }
            let result = run_holding(handle, &lease, logger, fetch).await;
            if let Ok(auth) = &result {
                if let Some(sealed) = entry.seal(auth) {
                    handle.op(logger, handle.store.put(&entry.key, sealed, ttl_of(auth))).await;
                }
            }
            handle.op(logger, handle.store.release(lease)).await;
            return result;
        }
        let now = tokio::time::Instant::now();
        if now >= deadline {
            logger.event(
                crate::logging::LogLevel::Debug,
                "the token store's lease holder took longer than refresh_token_wait_max; requesting a token here",
                &[],
            );
            return fetch.await;
        }
        tokio::time::sleep_until(deadline.min(now.checked_add(pause).unwrap_or(deadline))).await;
        pause = pause.saturating_mul(2).min(POLL_MAX);
    }
}

/// Runs `fetch` while renewing the lease every third of its lifetime.
async fn run_holding<F>(handle: &StoreHandle, lease: &Lease, logger: &Logger, fetch: F) -> Result<AuthData>
where
    F: Future<Output = Result<AuthData>> + Send,
{
    let mut fetch = std::pin::pin!(fetch);
    let every = LEASE_TTL.checked_div(3).unwrap_or(LEASE_TTL);
    loop {
        tokio::select! {
            r = &mut fetch => return r,
            _ = tokio::time::sleep(every) => {
                handle.op(logger, handle.store.renew(lease, LEASE_TTL)).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth(token: &str) -> AuthData {
        AuthData {
            access_token: Secret::new(token),
            token_type: "bearer".into(),
            refresh_token: None,
            expires_in: Some(3600),
            expires_at: Some(SystemTime::now() + Duration::from_secs(3600)),
            state: None,
        }
    }

    fn cc(secret: &str) -> Renewal {
        Renewal::ClientCredentials { client_id: "id".into(), secret: secret.into() }
    }

    #[test]
    fn sealed_tokens_open_only_with_the_same_secret_and_key() {
        let a = Entry::of(&cc("s3cret"), "login.example").unwrap();
        let sealed = a.seal(&auth("tok-123")).unwrap();
        assert!(!sealed.windows(7).any(|w| w == b"tok-123"));
        assert_eq!(a.open(sealed.clone()).unwrap().access_token.expose(), "tok-123");
        let other_secret = Entry::of(&cc("other"), "login.example").unwrap();
        assert_eq!(a.key, other_secret.key, "the key holds no secret");
        assert!(other_secret.open(sealed.clone()).is_none());
        let other_host = Entry::of(&cc("s3cret"), "login.other").unwrap();
        assert_ne!(a.key, other_host.key);
        assert!(other_host.open(sealed.clone()).is_none(), "bound to its key");
        let mut garbled = sealed;
        if let Some(b) = garbled.last_mut() {
            *b ^= 1;
        }
        assert!(a.open(garbled).is_none());
        assert!(a.open(Vec::new()).is_none());
    }

    #[test]
    fn grants_without_a_shared_identity_are_not_stored() {
        assert!(Entry::of(&Renewal::None, "h").is_none());
        assert!(Entry::of(&Renewal::Pkce { client_id: "p".into() }, "h").is_none());
        assert!(Entry::of(&Renewal::Code { client_id: "c".into(), secret: "s".into() }, "h").is_none());
    }

    #[test]
    fn saml_entries_are_per_subject() {
        use base64::Engine;
        let b64 = |x: &str| base64::engine::general_purpose::STANDARD.encode(x);
        let saml = |subject: &str, id: &str| Renewal::Saml2 {
            client_id: "id".into(),
            secret: "s".into(),
            org_name: "org".into(),
            assertion: b64(&format!("<A ID=\"{id}\"><NameID>{subject}</NameID></A>")).into(),
        };
        let k = |r: &Renewal| Entry::of(r, "h").unwrap().key;
        assert_eq!(k(&saml("ann", "1")), k(&saml("ann", "2")));
        assert_ne!(k(&saml("ann", "1")), k(&saml("bob", "1")));
    }
}
