//! The per-thread side of the transport: whether this thread drives its own
//! runtime (inside [`crate::blocking::block_on`]), and the connection pools
//! such a thread keeps, one per set of transport settings in use.
//!
//! Here rather than in `blocking`, so that the transport needs nothing of the
//! blocking layer above it: `blocking` only marks the thread while it runs.

use std::cell::{Cell, RefCell};
use std::sync::{Arc, Weak};

use super::HttpClient;
use crate::error::Result;

thread_local! {
    /// This thread's connection pools, keyed by their transport's identity.
    static CLIENTS: RefCell<Vec<(Weak<()>, HttpClient)>> = const { RefCell::new(Vec::new()) };
    static ACTIVE: Cell<bool> = const { Cell::new(false) };
}

/// Marks the thread as driving its own runtime, until dropped (also on panic).
pub(crate) struct Active;

impl Active {
    pub(crate) fn enter() -> Active {
        ACTIVE.with(|a| a.set(true));
        Active
    }
}

impl Drop for Active {
    fn drop(&mut self) {
        ACTIVE.with(|a| a.set(false));
    }
}

/// Whether the current code runs inside [`crate::blocking::block_on`] on this thread.
pub(crate) fn on_local_runtime() -> bool {
    ACTIVE.with(|a| a.get())
}

/// Leaves this thread's pools alone without closing them (a forked child must
/// not touch the sockets it shares with its parent).
pub(crate) fn forget_clients() {
    CLIENTS.with(|c| std::mem::forget(std::mem::take(&mut *c.borrow_mut())));
}

/// This thread's HTTP client for the transport identified by `key`, built with `build` on first use.
pub(crate) fn client(key: &Arc<()>, build: impl FnOnce() -> Result<HttpClient>) -> Result<HttpClient> {
    CLIENTS.with(|cell| {
        let mut clients = cell.borrow_mut();
        clients.retain(|(t, _)| t.strong_count() > 0);
        let key = Arc::downgrade(key);
        if let Some((_, c)) = clients.iter().find(|(t, _)| t.ptr_eq(&key)) {
            return Ok(c.clone());
        }
        let built = build()?;
        clients.push((key, built.clone()));
        Ok(built)
    })
}
