//! Live reload of the config file.
//!
//! A plain OS thread polls the file (its bytes, so coarse modification times
//! do not hide a change) and calls back whoever started it; it knows nothing
//! of the client. It is not a tokio task and holds no handle of any event
//! loop, so it never keeps a host process (Node, Python, Go) alive: the
//! process exits when its main thread does. It ends when the callback says
//! so (the client is gone) or the watcher is dropped.
//!
//! It survives any file content: the callback's errors are its own to
//! report, a panic in it is caught, and the file is read with the same
//! bounds as any config file (a regular file of at most 1 MiB), so a path
//! swapped for a FIFO or `/dev/zero` neither blocks nor fills memory.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::config::file::{read_bytes, ReadFailure};

/// What the callback is told on each poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Poll {
    /// Nothing changed since the last poll.
    Same,
    /// The file's bytes changed, or it became unreadable (other than missing).
    Changed,
}

/// What the callback wants next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    Continue,
    Stop,
}

pub(crate) struct Watcher {
    stop: Arc<AtomicBool>,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// The file as last seen: its bytes, missing, or why it could not be read.
fn snapshot(path: &std::path::Path) -> Option<Result<Vec<u8>, String>> {
    match read_bytes(path) {
        Ok(bytes) => Some(Ok(bytes)),
        Err(ReadFailure { missing: true, .. }) => None,
        Err(ReadFailure { message, .. }) => Some(Err(message)),
    }
}

impl Watcher {
    /// Polls `path` every `interval` (at least 10 ms) and calls `on_poll`
    /// each time. A file that disappears is not a change (the last settings
    /// stay until it is back); one that comes back different is.
    pub(crate) fn start(
        path: PathBuf,
        interval: Duration,
        on_poll: impl Fn(Poll) -> Next + Send + 'static,
    ) -> Option<Watcher> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let interval = interval.max(Duration::from_millis(10));
        let mut last = snapshot(&path);
        let spawned = std::thread::Builder::new().name("purecore-config-watch".into()).spawn(move || loop {
            std::thread::sleep(interval);
            if flag.load(Ordering::Relaxed) {
                return;
            }
            let now = snapshot(&path);
            let poll = if now.is_some() && now != last { Poll::Changed } else { Poll::Same };
            if now.is_some() {
                last = now;
            }
            // A panic in the callback must not end the watching: later edits still count.
            match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| on_poll(poll))) {
                Ok(Next::Stop) => return,
                Ok(Next::Continue) | Err(_) => {}
            }
        });
        spawned.ok().map(|_| Watcher { stop })
    }
}
