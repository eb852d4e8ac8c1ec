//! `PurecoreClient`: a purecore client and the tokio runtime it runs on.

use std::ffi::{c_char, CString};
use std::future::Future;
use std::sync::OnceLock;
use std::time::Duration;

use purecore::{Client, Config, Error};

use crate::{guard, invalid, owned_string, FfiResult, Out, PurecoreConfig, PurecoreError, PurecoreStatus, PurecoreStr};

/// A Genesys Cloud client (opaque): settings, token session and HTTP connections.
/// Blocking calls run on the calling thread; async calls run on the client's own
/// multi-threaded tokio runtime, started by the first async call. Thread-safe: one
/// client may be used from many threads at once. Create with `purecore_client_new`,
/// free with `purecore_client_free`.
pub struct PurecoreClient {
    runtime: OnceLock<Result<tokio::runtime::Runtime, String>>,
    pub(crate) client: Client,
}

impl PurecoreClient {
    pub(crate) fn from_ptr<'a>(client: *const PurecoreClient) -> FfiResult<&'a PurecoreClient> {
        // SAFETY: the caller passes NULL or a live client handle.
        unsafe { client.as_ref() }.ok_or_else(|| invalid("client must not be NULL"))
    }

    /// The runtime of async calls, started on first use.
    pub(crate) fn runtime(&self) -> FfiResult<&tokio::runtime::Runtime> {
        let rt = self.runtime.get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .thread_name("purecore")
                .build()
                .map_err(|e| format!("cannot start the purecore runtime: {e}"))
        });
        rt.as_ref().map_err(|e| Error::internal(e.clone()).into())
    }

    /// Runs `fut` to completion on the calling thread, with that thread's own
    /// connections (no hand-off to another thread). Refused on a purecore thread
    /// (inside a callback), where blocking would stall the runtime.
    pub(crate) fn block_on<F: Future>(&self, fut: F) -> FfiResult<F::Output> {
        Ok(purecore::blocking::block_on(fut)?)
    }
}

impl Drop for PurecoreClient {
    fn drop(&mut self) {
        if let Some(Ok(rt)) = self.runtime.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                rt.shutdown_background();
            } else {
                rt.shutdown_timeout(Duration::from_secs(5));
            }
        }
    }
}

/// Creates a client from `config` (copied; NULL means the defaults).
/// Reads the config file when the config names one (an explicit path that
/// cannot be read is an error) and starts watching it when live reload is on.
/// `*client_out` receives a handle the caller frees with `purecore_client_free`.
/// Blocks briefly (reading the file); makes no network request.
#[no_mangle]
pub extern "C" fn purecore_client_new(
    config: *const PurecoreConfig,
    client_out: *mut *mut PurecoreClient,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    crate::clear(client_out);
    guard(error, || {
        let out = Out::new(client_out, "client_out")?;
        let config =
            if config.is_null() { Config::default() } else { PurecoreConfig::from_ptr(config)?.lock().clone() };
        let client = Client::new(config)?;
        out.set(Box::into_raw(Box::new(PurecoreClient { runtime: OnceLock::new(), client })));
        Ok(())
    })
}

/// Frees a client. NULL is ignored. Calls still running are cancelled: the callbacks of
/// pending async calls run (with `PURECORE_STATUS_CANCELLED`) before this returns.
/// Blocks until the runtime's threads stop (at most about 5 s). Must not be called while
/// another thread is still inside a blocking call on this client.
///
/// # Safety
/// `client` is NULL or a live handle; it must not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn purecore_client_free(client: *mut PurecoreClient) {
    if !client.is_null() {
        let _ = std::panic::catch_unwind(|| {
            // SAFETY: handles come from purecore_client_new.
            drop(unsafe { Box::from_raw(client) });
        });
    }
}

/// Copies the client's current settings into a new config (`*config_out`, freed with
/// `purecore_config_free`). Does not block.
#[no_mangle]
pub extern "C" fn purecore_client_get_config(
    client: *const PurecoreClient,
    config_out: *mut *mut PurecoreConfig,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    crate::clear(config_out);
    guard(error, || {
        let c = PurecoreClient::from_ptr(client)?;
        Out::new(config_out, "config_out")?.set(PurecoreConfig::boxed(c.client.config()));
        Ok(())
    })
}

/// Replaces the client's settings with a copy of `config`. The settings are checked first;
/// on error nothing changes. The token is kept. Does not block (may re-read the config
/// file when its path changed).
#[no_mangle]
pub extern "C" fn purecore_client_set_config(
    client: *const PurecoreClient,
    config: *const PurecoreConfig,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    guard(error, || {
        let c = PurecoreClient::from_ptr(client)?;
        let next = PurecoreConfig::from_ptr(config)?.lock().clone();
        c.client.update_config(|cfg| *cfg = next)?;
        Ok(())
    })
}

/// Sets the environment of a running client (see `purecore_config_set_environment`).
/// Does not block.
#[no_mangle]
pub extern "C" fn purecore_client_set_environment(
    client: *const PurecoreClient,
    environment: PurecoreStr,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    guard(error, || Ok(PurecoreClient::from_ptr(client)?.client.set_environment(environment.req("environment")?)?))
}

/// The API and login base URLs calls go to (the gateway's when one is set). Each out
/// pointer may be NULL; strings are freed with `purecore_string_free`. Does not block.
#[no_mangle]
pub extern "C" fn purecore_client_get_environment(
    client: *const PurecoreClient,
    api_base_out: *mut *mut c_char,
    login_base_out: *mut *mut c_char,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    crate::clear(api_base_out);
    crate::clear(login_base_out);
    guard(error, || {
        let env = PurecoreClient::from_ptr(client)?.client.environment();
        if let Some(out) = Out::opt(api_base_out) {
            out.set(owned_string(env.api_base().as_str().trim_end_matches('/')));
        }
        if let Some(out) = Out::opt(login_base_out) {
            out.set(owned_string(env.login_base().as_str().trim_end_matches('/')));
        }
        Ok(())
    })
}

/// Uses this config file from now on: read at once (an unreadable or invalid file is an
/// error and changes nothing), then watched when live reload is on. Blocks while reading.
#[no_mangle]
pub extern "C" fn purecore_client_set_config_file(
    client: *const PurecoreClient,
    path: PurecoreStr,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    guard(error, || Ok(PurecoreClient::from_ptr(client)?.client.set_config_file(path.req("path")?)?))
}

/// Reads the config file now and applies it. On error the previous settings stay.
/// Blocks while reading.
#[no_mangle]
pub extern "C" fn purecore_client_reload_config_file(
    client: *const PurecoreClient,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    guard(error, || Ok(PurecoreClient::from_ptr(client)?.client.reload_config_file()?))
}

/// Why the config file is currently rejected: `*file_error_out` is set to a new error
/// (freed with `purecore_error_free`), or NULL when the file is fine or there is none.
/// Returns OK either way. Does not block.
#[no_mangle]
pub extern "C" fn purecore_client_get_config_file_error(
    client: *const PurecoreClient,
    file_error_out: *mut *mut PurecoreError,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    crate::clear(file_error_out);
    guard(error, || {
        let c = PurecoreClient::from_ptr(client)?;
        let out = Out::new(file_error_out, "file_error_out")?;
        if let Some(e) = c.client.config_file_error() {
            out.set(crate::values::new_error(&e.into()));
        }
        Ok(())
    })
}

fn regions() -> &'static [(CString, CString)] {
    static TABLE: OnceLock<Vec<(CString, CString)>> = OnceLock::new();
    TABLE.get_or_init(|| purecore::REGIONS.iter().map(|(n, d)| (crate::c_string(n), crate::c_string(d))).collect())
}

/// The number of Genesys Cloud regions (`purecore_region_get` reads them). Does not block.
#[no_mangle]
pub extern "C" fn purecore_region_count() -> usize {
    purecore::REGIONS.len()
}

/// Region `index`: its name (`eu_west_1`) and domain (`mypurecloud.ie`), both static
/// strings that are never freed. Either out pointer may be NULL. Does not block.
#[no_mangle]
pub extern "C" fn purecore_region_get(
    index: usize,
    name_out: *mut *const c_char,
    domain_out: *mut *const c_char,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    guard(error, || {
        let (name, domain) =
            regions().get(index).ok_or_else(|| invalid(format!("region index {index} is out of range")))?;
        if let Some(out) = Out::opt(name_out) {
            out.set(name.as_ptr());
        }
        if let Some(out) = Out::opt(domain_out) {
            out.set(domain.as_ptr());
        }
        Ok(())
    })
}
