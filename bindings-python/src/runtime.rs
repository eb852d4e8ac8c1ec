//! The binding's tokio runtime for asyncio calls, created on first use (never
//! at import), and the two ways Python waits for a core future: blocking on
//! the calling thread with the GIL released, or as an asyncio future
//! completed on its loop. Native threads
//! enter Python only through [`with_python`], which stops at interpreter exit.

use std::any::Any;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::task::Poll;
use std::time::Duration;

use pyo3::exceptions::PyRuntimeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

use crate::errors::to_py_err;

struct Rt {
    runtime: tokio::runtime::Runtime,
    pid: u32,
}

static RUNTIME: OnceLock<Result<Rt, String>> = OnceLock::new();

/// Whether the runtime exists (for the import-cost test).
pub fn started() -> bool {
    RUNTIME.get().is_some()
}

/// The runtime, built on first use. A forked child cannot use its parent's
/// runtime (its worker threads did not survive the fork), so it gets an error.
pub fn runtime() -> PyResult<&'static tokio::runtime::Runtime> {
    let rt = RUNTIME.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_name("purecore-rt")
            .build()
            .map_err(|e| format!("cannot start the purecore runtime: {e}"))?;
        Ok(Rt { runtime, pid: std::process::id() })
    });
    match rt {
        Ok(rt) if rt.pid == std::process::id() => Ok(&rt.runtime),
        Ok(_) => Err(PyRuntimeError::new_err(
            "purecore was used before this process forked: create clients in the child process",
        )),
        Err(e) => Err(PyRuntimeError::new_err(e.clone())),
    }
}

/// The `internal` error a caught panic becomes (never a `PanicException`,
/// which `except Exception` does not catch).
pub fn panic_error(payload: &(dyn Any + Send)) -> purecore::Error {
    let what = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("unknown panic");
    purecore::Error::internal(format!("purecore failed unexpectedly (a bug, please report it): {what}"))
}

/// Runs one entry point of the module: a panic inside it raises
/// `InternalException` instead of crossing into Python as `PanicException`.
pub fn guard<T>(f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|p| Err(to_py_err(panic_error(p.as_ref()))))
}

/// `fut`, with a panic while polling it turned into an `internal` error, so
/// the task always ends with a result to deliver.
pub async fn caught<T, F>(fut: F) -> purecore::Result<T>
where
    F: Future<Output = purecore::Result<T>>,
{
    let mut fut = std::pin::pin!(fut);
    std::future::poll_fn(move |cx| match catch_unwind(AssertUnwindSafe(|| fut.as_mut().poll(cx))) {
        Ok(p) => p,
        Err(payload) => Poll::Ready(Err(panic_error(payload.as_ref()))),
    })
    .await
}

/// Runs `fut` on the calling thread (its own connections, no hand-off to a
/// worker; see `purecore::blocking`) with the GIL released, so threads run in
/// parallel. Wakes every 100 ms to let Python deliver signals (Ctrl-C cancels
/// the call).
pub fn block<T, F>(py: Python<'_>, fut: F) -> PyResult<T>
where
    T: Send,
    F: Future<Output = purecore::Result<T>> + Send,
{
    let mut fut = std::pin::pin!(fut);
    loop {
        let waited = py.detach(|| {
            catch_unwind(AssertUnwindSafe(|| {
                purecore::blocking::block_on(async {
                    tokio::time::timeout(Duration::from_millis(100), fut.as_mut()).await
                })
            }))
            .unwrap_or_else(|p| Err(panic_error(p.as_ref())))
        });
        match waited.map_err(to_py_err)? {
            Ok(result) => return result.map_err(to_py_err),
            Err(_elapsed) => py.check_signals()?,
        }
    }
}

/// Completes the asyncio future of an awaitable call on its event loop.
#[pyfunction]
pub fn _deliver(future: &Bound<'_, PyAny>, ok: bool, value: &Bound<'_, PyAny>) -> PyResult<()> {
    guard(|| {
        let py = future.py();
        if future.call_method0(intern!(py, "done"))?.is_truthy()? {
            return Ok(()); // cancelled meanwhile
        }
        future.call_method1(if ok { intern!(py, "set_result") } else { intern!(py, "set_exception") }, (value,))?;
        Ok(())
    })
}

/// Stops a call: `abort()`, or as the done callback of its future (`abort(future)`).
#[pyclass(frozen)]
pub struct Abort(tokio::task::AbortHandle);

#[pymethods]
impl Abort {
    #[pyo3(signature = (_future=None))]
    fn __call__(&self, _future: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        guard(|| {
            self.0.abort();
            Ok(())
        })
    }
}

static DELIVER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static GET_RUNNING_LOOP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Wraps `fut` as an asyncio future of the running loop; cancelling the
/// future aborts the call.
pub fn awaitable<'py, T, F, C>(py: Python<'py>, fut: F, convert: C) -> PyResult<Bound<'py, PyAny>>
where
    T: Send + 'static,
    F: Future<Output = purecore::Result<T>> + Send + 'static,
    C: for<'a> FnOnce(Python<'a>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    let (future, abort) = spawn(py, fut, convert)?;
    future.call_method1(intern!(py, "add_done_callback"), (abort,))?;
    Ok(future)
}

/// Starts `fut` and returns an asyncio future of the running loop for its
/// result, and the [`Abort`] that stops it. The caller aborts when its await
/// is cancelled (cheaper than a done callback on every call). The result is
/// converted with `convert` on the loop thread, in a batch with other finished
/// calls (see [`crate::mailbox`]); loops that cannot watch a socket get it by
/// `call_soon_threadsafe` instead, converted on the worker.
pub fn spawn<'py, T, F, C>(py: Python<'py>, fut: F, convert: C) -> PyResult<(Bound<'py, PyAny>, Abort)>
where
    T: Send + 'static,
    F: Future<Output = purecore::Result<T>> + Send + 'static,
    C: for<'a> FnOnce(Python<'a>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    let rt = runtime()?;
    let get_running_loop = GET_RUNNING_LOOP.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py.import("asyncio")?.getattr("get_running_loop")?.unbind())
    })?;
    let event_loop = get_running_loop.bind(py).call0()?;
    let future = event_loop.call_method0(intern!(py, "create_future"))?;
    let fu = future.clone().unbind();
    // The conversion is guarded too: whatever happens, the future gets a value or an exception.
    let finish = move |py: Python<'_>, out: purecore::Result<T>| match guard(|| {
        out.map_err(to_py_err).and_then(|v| convert(py, v))
    }) {
        Ok(v) => (true, v),
        Err(e) => (false, e.into_value(py).into_any()),
    };
    let fut = caught(fut);
    let task = match crate::mailbox::for_loop(py, &event_loop)? {
        Some(mailbox) => rt.spawn(async move {
            let out = fut.await;
            mailbox.get().push(fu, Box::new(move |py| finish(py, out)));
        }),
        None => {
            let deliver = DELIVER.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
                Ok(py.import("purecore._purecore")?.getattr("_deliver")?.unbind())
            })?;
            let (deliver, lp) = (deliver.clone_ref(py), event_loop.unbind());
            rt.spawn(async move {
                let out = fut.await;
                with_python(move |py| {
                    let (ok, value) = finish(py, out);
                    // A closed loop has nobody waiting: nothing to deliver.
                    let _ = lp.bind(py).call_method1("call_soon_threadsafe", (deliver, fu, ok, value));
                });
            })
        }
    };
    Ok((future, Abort(task.abort_handle())))
}

static CLOSING: AtomicBool = AtomicBool::new(false);
static INSIDE: AtomicUsize = AtomicUsize::new(0);

/// Runs `f` with the GIL from a native thread (a worker or the config
/// watcher), unless the interpreter is shutting down: attaching to an
/// interpreter that is finalizing crashes CPython before 3.13.
pub fn with_python<R>(f: impl for<'py> FnOnce(Python<'py>) -> R) -> Option<R> {
    INSIDE.fetch_add(1, Ordering::SeqCst);
    let result = if CLOSING.load(Ordering::SeqCst) { None } else { Some(Python::attach(f)) };
    INSIDE.fetch_sub(1, Ordering::SeqCst);
    result
}

/// Registered with `atexit`: from now on native threads leave Python alone;
/// waits (at most 2 s, GIL released) for those inside Python to leave.
#[pyfunction]
pub fn _shutdown(py: Python<'_>) -> PyResult<()> {
    guard(|| {
        CLOSING.store(true, Ordering::SeqCst);
        py.detach(|| {
            let deadline = std::time::Instant::now() + Duration::from_secs(2);
            while INSIDE.load(Ordering::SeqCst) > 0 && std::time::Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(1));
            }
        });
        Ok(())
    })
}
