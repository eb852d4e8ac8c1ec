//! Live reload of the config file.
//!
//! A plain OS thread polls the file (its bytes, so coarse modification times
//! do not hide a change). It holds only a weak reference to the client, so it
//! never keeps the client alive; it ends when the client is dropped or the
//! watcher is replaced. It is not a tokio task and holds no handle of any
//! event loop, so it never keeps a host process (Node, Python, Go) alive:
//! the process exits when its main thread does.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use crate::client::{Client, Inner};

pub(crate) struct Watcher {
    stop: Arc<AtomicBool>,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl Watcher {
    pub(crate) fn start(client: Weak<Inner>, path: PathBuf, interval: Duration) -> Option<Watcher> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let interval = interval.max(Duration::from_millis(10));
        let mut last = std::fs::read(&path).ok();
        let spawned = std::thread::Builder::new().name("purecore-config-watch".into()).spawn(move || loop {
            std::thread::sleep(interval);
            if flag.load(Ordering::Relaxed) {
                return;
            }
            let Some(inner) = client.upgrade() else {
                return;
            };
            let now = std::fs::read(&path).ok();
            if now != last {
                last = now;
                if last.is_some() {
                    // Errors are logged and kept by reload_config_file; the old settings stay.
                    let _ = Client { inner }.reload_config_file();
                }
            }
        });
        spawned.ok().map(|_| Watcher { stop })
    }
}
