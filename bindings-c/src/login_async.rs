//! `purecore_client_login_async`: every network grant without blocking, for event-loop
//! hosts, completed by a callback and cancellable like `purecore_client_call_async`.

use std::ffi::c_void;
use std::future::Future;
use std::pin::Pin;

use purecore::{AuthData, Client};

use crate::call::{subscribe, unless_cancelled, Completion, PurecoreCancel};
use crate::values::new_auth_data;
use crate::{guard, invalid, FfiResult, PurecoreAuthData, PurecoreClient, PurecoreError, PurecoreStatus, PurecoreStr};

/// Client credentials; `args`: client_id, client_secret.
pub const PURECORE_GRANT_CLIENT_CREDENTIALS: u32 = 0;
/// SAML2 bearer; `args`: client_id, client_secret, org_name, assertion.
pub const PURECORE_GRANT_SAML2_BEARER: u32 = 1;
/// Authorization code; `args`: client_id, client_secret, code, redirect_uri.
pub const PURECORE_GRANT_CODE: u32 = 2;
/// Refresh of a code grant; `args`: client_id, client_secret, refresh_token.
pub const PURECORE_GRANT_REFRESH_CODE: u32 = 3;
/// PKCE code exchange; `args`: client_id, code, code_verifier, redirect_uri.
pub const PURECORE_GRANT_PKCE: u32 = 4;

/// Receives the outcome of `purecore_client_login_async`, exactly once, from a purecore
/// thread (or from the thread calling `purecore_client_free`). On success `status` is OK,
/// `auth` is set and `error` is NULL; otherwise `auth` is NULL and `error` is set. The
/// callback owns both and frees them (`purecore_auth_data_free`, `purecore_error_free`).
/// It must return promptly and must not call blocking purecore functions.
pub type PurecoreLoginCallback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        status: PurecoreStatus,
        auth: *mut PurecoreAuthData,
        error: *mut PurecoreError,
    ),
>;

type Login = Pin<Box<dyn Future<Output = purecore::Result<AuthData>> + Send>>;

/// The names of each grant's arguments, in order.
fn arg_names(grant: u32) -> FfiResult<&'static [&'static str]> {
    Ok(match grant {
        PURECORE_GRANT_CLIENT_CREDENTIALS => &["client_id", "client_secret"],
        PURECORE_GRANT_SAML2_BEARER => &["client_id", "client_secret", "org_name", "assertion"],
        PURECORE_GRANT_CODE => &["client_id", "client_secret", "code", "redirect_uri"],
        PURECORE_GRANT_REFRESH_CODE => &["client_id", "client_secret", "refresh_token"],
        PURECORE_GRANT_PKCE => &["client_id", "code", "code_verifier", "redirect_uri"],
        other => return Err(invalid(format!("unknown grant {other}: use one of the PURECORE_GRANT_* values"))),
    })
}

/// The token request of `grant` with its (checked, copied) arguments.
fn login_future(client: Client, grant: u32, args: Vec<String>) -> Login {
    Box::pin(async move {
        let a = |i: usize| args.get(i).map(String::as_str).unwrap_or_default();
        match grant {
            PURECORE_GRANT_CLIENT_CREDENTIALS => client.login_client_credentials(a(0), a(1)).await,
            PURECORE_GRANT_SAML2_BEARER => client.login_saml2_bearer(a(0), a(1), a(2), a(3)).await,
            PURECORE_GRANT_CODE => client.login_code(a(0), a(1), a(2), a(3)).await,
            PURECORE_GRANT_REFRESH_CODE => client.refresh_code(a(0), a(1), a(2)).await,
            _ => client.login_pkce(a(0), a(1), a(2), a(3)).await,
        }
    })
}

/// Starts the token request of `grant` (a `PURECORE_GRANT_*` value) with `args`, the
/// grant's strings in the order its constant lists (`args_len` of them), on the client's
/// runtime, and returns at once. When it returns OK, `callback(user_data, ...)` will be
/// called exactly once (see `PurecoreLoginCallback`); `user_data` must stay valid until
/// then. When it returns an error (unknown grant, wrong number or empty arguments), the
/// callback is never called. Inputs are copied before it returns. `cancel` (may be NULL)
/// stops the request promptly, and the callback then gets `PURECORE_STATUS_CANCELLED`.
/// The token is then used and renewed exactly as after the blocking grant functions.
/// Does not block.
#[no_mangle]
pub extern "C" fn purecore_client_login_async(
    client: *const PurecoreClient,
    grant: u32,
    args: *const PurecoreStr,
    args_len: usize,
    cancel: *const PurecoreCancel,
    callback: PurecoreLoginCallback,
    user_data: *mut c_void,
    error: *mut *mut PurecoreError,
) -> PurecoreStatus {
    guard(error, || {
        let c = PurecoreClient::from_ptr(client)?;
        let callback = callback.ok_or_else(|| invalid("callback must not be NULL"))?;
        let names = arg_names(grant)?;
        if args_len != names.len() {
            return Err(invalid(format!(
                "this grant takes {} arguments ({}), got {args_len}",
                names.len(),
                names.join(", ")
            )));
        }
        let owned = crate::borrowed(args, args_len, "args")?
            .iter()
            .zip(names)
            .map(|(s, n)| Ok(s.req(n)?.to_owned()))
            .collect::<FfiResult<Vec<_>>>()?;
        let login = login_future(c.client.clone(), grant, owned);
        let cancel = subscribe(cancel);
        // The runtime first: once the completion exists, it always calls back.
        let runtime = c.runtime()?;
        let completion = Completion::new(callback, user_data, new_auth_data);
        completion.spawn(runtime, unless_cancelled(cancel, login));
        Ok(())
    })
}
