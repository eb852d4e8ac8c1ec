//! Hands finished asyncio calls to their event loop in batches.
//!
//! A worker that finishes a call does not take the GIL: it queues the result
//! in the loop's mailbox and, if the mailbox was empty, writes one byte to a
//! socket the loop watches (`loop.add_reader`). The loop thread then converts
//! every queued result and completes the futures in one pass. Taking the GIL
//! on a worker for each reply, as `call_soon_threadsafe` needs, makes the
//! workers and the loop fight over it and caps throughput.

#![cfg_attr(not(unix), allow(dead_code))]

use std::cell::RefCell;
use std::io::{Read, Write};
#[cfg(unix)]
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyWeakrefReference;

/// Elsewhere no mailbox: replies go by `call_soon_threadsafe`.
#[cfg(not(unix))]
type UnixStream = std::fs::File;

/// Converts a finished call into `(ok, value)` for its future (GIL held).
pub type Job = Box<dyn for<'py> FnOnce(Python<'py>) -> (bool, Py<PyAny>) + Send>;

#[pyclass(frozen)]
pub struct Mailbox {
    queue: Mutex<Vec<(Py<PyAny>, Job)>>,
    /// A wake-up byte is on its way (set by the first push after a drain).
    armed: AtomicBool,
    wake_tx: UnixStream,
    wake_rx: UnixStream,
}

impl Mailbox {
    #[cfg(not(unix))]
    fn new() -> std::io::Result<Mailbox> {
        Err(std::io::ErrorKind::Unsupported.into())
    }

    #[cfg(unix)]
    fn new() -> std::io::Result<Mailbox> {
        let (wake_tx, wake_rx) = UnixStream::pair()?;
        wake_tx.set_nonblocking(true)?;
        wake_rx.set_nonblocking(true)?;
        Ok(Mailbox { queue: Mutex::new(Vec::new()), armed: AtomicBool::new(false), wake_tx, wake_rx })
    }

    /// Queues a finished call for `future` (any thread, no GIL needed).
    pub fn push(&self, future: Py<PyAny>, job: Job) {
        self.queue.lock().unwrap_or_else(|e| e.into_inner()).push((future, job));
        if !self.armed.swap(true, Ordering::AcqRel) {
            // A full socket buffer already holds a wake-up byte: nothing lost.
            let _ = (&self.wake_tx).write(&[1]);
        }
    }
}

#[pymethods]
impl Mailbox {
    /// The loop's reader callback: completes every queued future.
    /// Every future of the batch is completed even when one of them fails.
    fn drain(&self, py: Python<'_>) -> PyResult<()> {
        crate::runtime::guard(|| {
            let mut buf = [0u8; 256];
            while matches!((&self.wake_rx).read(&mut buf), Ok(n) if n > 0) {}
            self.armed.store(false, Ordering::Release);
            let batch = std::mem::take(&mut *self.queue.lock().unwrap_or_else(|e| e.into_inner()));
            let mut first_error = None;
            for (future, job) in batch {
                let (ok, value) = job(py);
                if let Err(e) = crate::runtime::_deliver(future.bind(py), ok, value.bind(py)) {
                    first_error.get_or_insert(e);
                }
            }
            first_error.map_or(Ok(()), Err)
        })
    }
}

static MAILBOXES: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

type Found = Option<Py<Mailbox>>;

thread_local! {
    /// The loop this thread last asked about (weakly: a closed loop is not kept
    /// alive) and what was found, so that a loop's calls skip the dictionary.
    static LAST: RefCell<Option<(Py<PyWeakrefReference>, Found)>> = const { RefCell::new(None) };
}

/// The mailbox of `event_loop`, made and registered on its first call; `None`
/// when the loop cannot watch a socket (then replies go by
/// `call_soon_threadsafe`), which is found out once per loop.
pub fn for_loop(py: Python<'_>, event_loop: &Bound<'_, PyAny>) -> PyResult<Found> {
    let last = LAST.with_borrow(|last| match last {
        Some((seen, found)) if seen.bind(py).upgrade().is_some_and(|l| l.is(event_loop)) => {
            Some(found.as_ref().map(|m| m.clone_ref(py)))
        }
        _ => None,
    });
    if let Some(found) = last {
        return Ok(found);
    }
    let found = lookup(py, event_loop)?;
    let seen = PyWeakrefReference::new(event_loop)?.unbind();
    let remembered = found.as_ref().map(|m| m.clone_ref(py));
    // The previous entry is dropped after the borrow ends (dropping a Py may run Python code).
    let previous = LAST.with_borrow_mut(|last| last.replace((seen, remembered)));
    drop(previous);
    Ok(found)
}

fn lookup(py: Python<'_>, event_loop: &Bound<'_, PyAny>) -> PyResult<Found> {
    let boxes = MAILBOXES
        .get_or_try_init(py, || -> PyResult<Py<PyAny>> {
            Ok(py.import("weakref")?.getattr("WeakKeyDictionary")?.call0()?.unbind())
        })?
        .bind(py);
    let found = boxes.call_method1("get", (event_loop,))?;
    if let Ok(mailbox) = found.extract::<Py<Mailbox>>() {
        return Ok(Some(mailbox));
    }
    if !found.is_none() {
        return Ok(None); // this loop was found unable to watch a socket
    }
    // Asked once per loop: a loop that cannot take a mailbox is remembered as False.
    let no_mailbox = |boxes: &Bound<'_, PyAny>| -> PyResult<Found> {
        boxes.set_item(event_loop, false)?;
        Ok(None)
    };
    let Ok(mailbox) = Mailbox::new() else { return no_mailbox(boxes) };
    #[cfg(unix)]
    let fd = {
        use std::os::fd::AsRawFd;
        mailbox.wake_rx.as_raw_fd()
    };
    #[cfg(not(unix))]
    let fd = -1;
    let mailbox = Py::new(py, mailbox)?;
    let drain = mailbox.bind(py).getattr("drain")?;
    if event_loop.call_method1("add_reader", (fd, drain)).is_err() {
        return no_mailbox(boxes);
    }
    boxes.set_item(event_loop, mailbox.clone_ref(py))?;
    Ok(Some(mailbox))
}
