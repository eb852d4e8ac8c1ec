//! The file token store (`token_store = file:PATH`): for CLIs and the
//! processes of one host.
//!
//! The file is JSON, `{"purecore_token_store": 1, "entries": {key: {"value":
//! base64 of the sealed token, "expires_at_ms": ...}}}`, with owner-only
//! permissions (0600). Every write goes to a temporary file beside it (0600)
//! that is renamed over it, so a reader sees the old file or the new one,
//! never half of one. The lease is an advisory exclusive lock (`flock`, crate
//! `fs4`) on `PATH.lock`; the operating system drops it when its holder exits
//! or dies. Writes happen only under that lock. A file that is not such JSON
//! (garbled, or another program's) is read as empty, with one warning, and
//! replaced at the next write.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use serde::{Deserialize, Serialize};

use super::{Lease, StoreError, StoreFuture, StoreResult, TokenStore};

const MARKER: u32 = 1;

#[derive(Serialize, Deserialize, Default)]
struct Contents {
    purecore_token_store: u32,
    entries: BTreeMap<String, Item>,
}

#[derive(Serialize, Deserialize)]
struct Item {
    value: String,
    expires_at_ms: u64,
}

pub(crate) struct FileStore {
    path: PathBuf,
    lock_path: PathBuf,
    /// A warning to log (a garbled file), taken by the store's user.
    warning: Mutex<Option<String>>,
    warned: std::sync::atomic::AtomicBool,
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

fn io(what: &str, path: &std::path::Path, e: &std::io::Error) -> StoreError {
    StoreError(format!("cannot {what} {}: {e}", path.display()))
}

fn owner_only() -> std::fs::OpenOptions {
    let mut o = std::fs::OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o
}

impl FileStore {
    pub(crate) fn new(path: PathBuf) -> FileStore {
        let mut lock = path.clone().into_os_string();
        lock.push(".lock");
        FileStore {
            path,
            lock_path: PathBuf::from(lock),
            warning: Mutex::new(None),
            warned: std::sync::atomic::AtomicBool::new(false),
        }
    }

    fn warn_garbled(&self) {
        if !self.warned.swap(true, std::sync::atomic::Ordering::SeqCst) {
            *self.warning.lock().unwrap_or_else(|e| e.into_inner()) = Some(format!(
                "the token store file {} is not a purecore token store (garbled or another program's); it is ignored and will be replaced",
                self.path.display()
            ));
        }
    }

    /// The file's entries; a missing file is empty, a garbled one too (with a warning).
    fn read(&self) -> StoreResult<Contents> {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Contents::default()),
            Err(e) => return Err(io("read", &self.path, &e)),
        };
        match serde_json::from_slice::<Contents>(&bytes) {
            Ok(c) if c.purecore_token_store == MARKER => Ok(c),
            _ => {
                self.warn_garbled();
                Ok(Contents::default())
            }
        }
    }

    fn write(&self, contents: &Contents) -> StoreResult<()> {
        let text = serde_json::to_vec(contents).map_err(|e| StoreError(format!("cannot encode the store: {e}")))?;
        let mut tmp = self.path.clone().into_os_string();
        tmp.push(format!(".tmp.{}.{}", std::process::id(), rand::random::<u32>()));
        let tmp = PathBuf::from(tmp);
        let written = (|| {
            let mut f = owner_only().write(true).create_new(true).open(&tmp)?;
            f.write_all(&text)?;
            f.sync_all()?;
            std::fs::rename(&tmp, &self.path)
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(io("write", &self.path, &e));
        }
        Ok(())
    }
}

impl TokenStore for FileStore {
    fn get<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Option<Vec<u8>>> {
        Box::pin(async move {
            let contents = self.read()?;
            let Some(item) = contents.entries.get(key) else { return Ok(None) };
            if item.expires_at_ms <= now_ms() {
                return Ok(None);
            }
            Ok(base64::engine::general_purpose::STANDARD.decode(&item.value).ok())
        })
    }

    fn put<'a>(&'a self, key: &'a str, value: Vec<u8>, ttl: Duration) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let mut contents = self.read()?;
            let now = now_ms();
            contents.purecore_token_store = MARKER;
            contents.entries.retain(|_, item| item.expires_at_ms > now);
            let ttl_ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX);
            contents.entries.insert(
                key.to_owned(),
                Item {
                    value: base64::engine::general_purpose::STANDARD.encode(value),
                    expires_at_ms: now.saturating_add(ttl_ms),
                },
            );
            self.write(&contents)
        })
    }

    fn try_lease<'a>(&'a self, _key: &'a str, _ttl: Duration) -> StoreFuture<'a, Option<Lease>> {
        Box::pin(async move {
            let f = owner_only()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&self.lock_path)
                .map_err(|e| io("open", &self.lock_path, &e))?;
            match fs4::FileExt::try_lock(&f) {
                Ok(()) => Ok(Some(Lease::File(f))),
                Err(fs4::TryLockError::WouldBlock) => Ok(None),
                Err(fs4::TryLockError::Error(e)) => Err(io("lock", &self.lock_path, &e)),
            }
        })
    }

    fn renew<'a>(&'a self, _lease: &'a Lease, _ttl: Duration) -> StoreFuture<'a, bool> {
        // A file lock lasts as long as its holder: nothing to extend.
        Box::pin(async { Ok(true) })
    }

    fn release(&self, lease: Lease) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            if let Lease::File(f) = lease {
                let _ = fs4::FileExt::unlock(&f);
            }
            Ok(())
        })
    }

    fn describe(&self) -> String {
        format!("file:{}", self.path.display())
    }

    fn take_warning(&self) -> Option<String> {
        self.warning.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}
