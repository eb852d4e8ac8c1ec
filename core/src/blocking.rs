//! Blocking calls, run on the caller's own thread.
//!
//! A blocking call could be handed to a shared multi-threaded runtime while
//! the caller waits, but then every request crosses threads twice (caller to
//! worker and back), which costs more than the request itself on a fast
//! network. Instead, each thread that makes blocking calls gets its own
//! current-thread runtime and its own connections, made on its first call and
//! dropped when the thread ends; a call then runs entirely on the caller's
//! thread, as with a classic blocking HTTP client. The token, settings and
//! single-flight refresh stay shared by every thread and task of a client.
//!
//! Bindings use [`block_on`] for their blocking calls (C, Go, Python threads)
//! and their own multi-threaded runtime for async calls.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::transport::local;

struct LocalRuntime {
    runtime: tokio::runtime::Runtime,
    pid: u32,
}

thread_local! {
    static RUNTIME: RefCell<Option<LocalRuntime>> = const { RefCell::new(None) };
    /// When this thread's last blocking call ended.
    static LAST_END: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// How long after a thread's call its kept-alive connections are reused
/// without a fresh look at the sockets: shorter than any server's keep-alive
/// timeout, so only the race every HTTP client has remains.
const FRESH: Duration = Duration::from_millis(1);

/// Runs `fut` to completion on the calling thread and returns its output.
///
/// Fails (without running `fut`) when called from inside an async runtime,
/// such as a callback the core runs: blocking there would stall other tasks.
pub fn block_on<F: Future>(fut: F) -> Result<F::Output> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::internal(
            "a blocking purecore call was made on an async runtime thread (for example inside a callback); \
             use the async call there",
        ));
    }
    RUNTIME.with(|cell| {
        let pid = std::process::id();
        let stale = matches!(&*cell.borrow(), Some(rt) if rt.pid != pid);
        if stale {
            // A forked child: the parent's runtime and connections share file
            // descriptors with the parent; leave them alone, start afresh.
            std::mem::forget(cell.borrow_mut().take());
            local::forget_clients();
        }
        if cell.borrow().is_none() {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| Error::internal(format!("cannot start a runtime for blocking calls: {e}")))?;
            *cell.borrow_mut() = Some(LocalRuntime { runtime, pid });
        }
        let local = cell.borrow();
        let Some(local) = local.as_ref() else {
            return Err(Error::internal("the runtime for blocking calls is gone"));
        };
        let _active = local::Active::enter();
        // The runtime has not run since this thread's last call. After a pause,
        // yielding once lets it take in what happened meanwhile (a server closing
        // an idle connection), so the pool does not hand out a dead one. Calls in
        // quick succession skip it: the yield costs a self-wake (two syscalls).
        let paused = LAST_END.with(|t| t.get().is_none_or(|end| end.elapsed() >= FRESH));
        let out = local.runtime.block_on(async {
            if paused {
                tokio::task::yield_now().await;
            }
            fut.await
        });
        LAST_END.with(|t| t.set(Some(Instant::now())));
        Ok(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_on_the_calling_thread() {
        let caller = std::thread::current().id();
        let ran_on = block_on(async { std::thread::current().id() }).unwrap();
        assert_eq!(ran_on, caller);
        assert!(!local::on_local_runtime(), "the flag is cleared after the call");
    }

    #[test]
    fn refuses_to_block_inside_a_runtime() {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let err = rt.block_on(async { block_on(async { 1 }).unwrap_err() });
        assert!(err.message().contains("async runtime thread"), "{err}");
    }

    #[test]
    fn threads_that_end_drop_their_runtime_cleanly() {
        for _ in 0..4 {
            std::thread::spawn(|| {
                block_on(async { tokio::time::sleep(std::time::Duration::from_millis(1)).await }).unwrap()
            })
            .join()
            .unwrap();
        }
    }
}
