package native

/*
#include <stdint.h>
#include "purecore.h"

extern void purecoreGoRetryHook(void *user_data, const PurecoreRetryEvent *event);
static PurecoreRetryCallback pc_retry_cb(void) { return purecoreGoRetryHook; }
static void *pc_ptr(uintptr_t h) { return (void *)h; }
*/
import "C"

import (
	"runtime"
	"runtime/cgo"
	"sync/atomic"
	"time"
)

// Config is a PurecoreConfig handle. Free it with Free.
type Config struct{ p *C.PurecoreConfig }

// NewConfig returns purecore's defaults.
func NewConfig() (*Config, error) {
	var p *C.PurecoreConfig
	var e *C.PurecoreError
	if err := check(C.purecore_config_new(&p, &e), e); err != nil {
		return nil, err
	}
	return &Config{p}, nil
}

// Free releases the handle.
func (c *Config) Free() {
	if c != nil && c.p != nil {
		C.purecore_config_free(c.p)
		c.p = nil
	}
}

// ms is d in whole milliseconds; a negative d stays negative, for the C side to refuse
// with the setting's name.
func ms(d time.Duration) C.int64_t {
	return C.int64_t(d / time.Millisecond)
}

func (c *Config) call(f func(e **C.PurecoreError) uint32) error {
	var e *C.PurecoreError
	return check(f(&e), e)
}

// ApplyJSON applies settings given as a JSON object of purecore's dotted setting names
// to values (null restores a default); the core checks each one and names it.
func (c *Config) ApplyJSON(json string) error {
	return c.call(func(e **C.PurecoreError) uint32 { return C.purecore_config_apply_json(c.p, str(json), e) })
}

// SetEnvironment takes a region name, domain, host or URL.
func (c *Config) SetEnvironment(env string) error {
	return c.call(func(e **C.PurecoreError) uint32 { return C.purecore_config_set_environment(c.p, str(env), e) })
}

// SetGateway routes calls through a gateway; an empty host removes it.
func (c *Config) SetGateway(host, protocol string, port int, loginPath, apiPath string) error {
	return c.call(func(e **C.PurecoreError) uint32 {
		return C.purecore_config_set_gateway(c.p, opt(host), opt(protocol), C.int32_t(port), opt(loginPath), opt(apiPath), e)
	})
}

// SetRetry sets the retry policy (durations of 0 keep purecore's meaning of 0).
func (c *Config) SetRetry(max int, waitMin, waitMax, maxTotal time.Duration, nonIdempotent bool) error {
	return c.call(func(e **C.PurecoreError) uint32 {
		return C.purecore_config_set_retry(c.p, C.int64_t(max), ms(waitMin), ms(waitMax), ms(maxTotal), C.bool(nonIdempotent), e)
	})
}

// Hook is a callback (retry, request, response or token hook) registered for C; Delete it once no client uses it.
type Hook struct{ h cgo.Handle }

// NewRetryHook registers fn.
func NewRetryHook(fn func(RetryEvent)) *Hook { return &Hook{cgo.NewHandle(fn)} }

// Delete unregisters the hook.
func (h *Hook) Delete() {
	if h != nil && h.h != 0 {
		h.h.Delete()
		h.h = 0
	}
}

// SetRetryHook installs a hook (nil removes it); it must outlive every client using it.
func (c *Config) SetRetryHook(h *Hook) error {
	return c.call(func(e **C.PurecoreError) uint32 {
		if h == nil || h.h == 0 {
			return C.purecore_config_set_retry_hook(c.p, nil, nil, e)
		}
		return C.purecore_config_set_retry_hook(c.p, C.pc_retry_cb(), C.pc_ptr(C.uintptr_t(h.h)), e)
	})
}

// SetRefresh sets token renewal; zero durations keep the current values.
func (c *Config) SetRefresh(enabled bool, waitMax, margin time.Duration) error {
	return c.call(func(e **C.PurecoreError) uint32 {
		return C.purecore_config_set_refresh(c.p, C.bool(enabled), ms(waitMax), ms(margin), e)
	})
}

// SetLogging sets level (0 none .. 3 trace), format (0 text, 1 json), console, file and bodies.
func (c *Config) SetLogging(level, format int, console bool, file string, requestBody, responseBody bool) error {
	return c.call(func(e **C.PurecoreError) uint32 {
		return C.purecore_config_set_logging(c.p, C.uint32_t(level), C.uint32_t(format), C.bool(console), opt(file), C.bool(requestBody), C.bool(responseBody), e)
	})
}

// SetProxy sets an explicit proxy; an empty url removes it.
func (c *Config) SetProxy(url, username, password string) error {
	return c.call(func(e **C.PurecoreError) uint32 {
		return C.purecore_config_set_proxy(c.p, opt(url), opt(username), opt(password), e)
	})
}

// SetTLS replaces the extra CA certificates and the mTLS identity (empty strings: none).
func (c *Config) SetTLS(caPEM, certPEM, keyPEM string) error {
	return c.call(func(e **C.PurecoreError) uint32 {
		if st := C.purecore_config_clear_ca_pems(c.p, e); st != StatusOK {
			return st
		}
		if caPEM != "" {
			if st := C.purecore_config_add_ca_pem(c.p, str(caPEM), e); st != StatusOK {
				return st
			}
		}
		return C.purecore_config_set_client_identity(c.p, opt(certPEM), opt(keyPEM), e)
	})
}

// SetDefaultHeaders replaces the default headers.
func (c *Config) SetDefaultHeaders(headers map[string]string) error {
	return c.call(func(e **C.PurecoreError) uint32 {
		if st := C.purecore_config_clear_default_headers(c.p, e); st != StatusOK {
			return st
		}
		for k, v := range headers {
			if st := C.purecore_config_set_default_header(c.p, str(k), str(v), e); st != StatusOK {
				return st
			}
		}
		return StatusOK
	})
}

// SetUserAgentSuffix appends to the User-Agent.
func (c *Config) SetUserAgentSuffix(s string) error {
	return c.call(func(e **C.PurecoreError) uint32 { return C.purecore_config_set_user_agent_suffix(c.p, opt(s), e) })
}

// SetConfigFile chooses the config file: mode 0 none, 1 default path, 2 path.
func (c *Config) SetConfigFile(mode int, path string) error {
	return c.call(func(e **C.PurecoreError) uint32 {
		return C.purecore_config_set_config_file(c.p, C.uint32_t(mode), opt(path), e)
	})
}

// SetHostLanguage names the language of the default config path.
func (c *Config) SetHostLanguage(lang string) error {
	return c.call(func(e **C.PurecoreError) uint32 { return C.purecore_config_set_host_language(c.p, str(lang), e) })
}

// SetLiveReload turns config-file watching on or off.
func (c *Config) SetLiveReload(enabled bool, interval time.Duration) error {
	return c.call(func(e **C.PurecoreError) uint32 {
		return C.purecore_config_set_live_reload(c.p, C.bool(enabled), ms(interval), e)
	})
}

// Client is a PurecoreClient handle. Close it with Close.
type Client struct {
	p        *C.PurecoreClient
	inFlight atomic.Int64
}

// NewClient makes a client (and its runtime) from a copy of cfg.
func NewClient(cfg *Config) (*Client, error) {
	var p *C.PurecoreClient
	var e *C.PurecoreError
	if err := check(C.purecore_client_new(cfg.p, &p, &e), e); err != nil {
		return nil, err
	}
	return &Client{p: p}, nil
}

// Close frees the client; calls still running are cancelled.
func (c *Client) Close() {
	if c != nil && c.p != nil {
		C.purecore_client_free(c.p)
		c.p = nil
	}
}

func (c *Client) call(f func(e **C.PurecoreError) uint32) error {
	var e *C.PurecoreError
	return check(f(&e), e)
}

// Config copies the client's current settings.
func (c *Client) Config() (*Config, error) {
	var p *C.PurecoreConfig
	err := c.call(func(e **C.PurecoreError) uint32 { return C.purecore_client_get_config(c.p, &p, e) })
	if err != nil {
		return nil, err
	}
	return &Config{p}, nil
}

// SetConfig replaces the client's settings (checked first; nothing changes on error).
func (c *Client) SetConfig(cfg *Config) error {
	return c.call(func(e **C.PurecoreError) uint32 { return C.purecore_client_set_config(c.p, cfg.p, e) })
}

// Environment returns the API and login base URLs.
func (c *Client) Environment() (api, login string, err error) {
	var a, l *C.char
	err = c.call(func(e **C.PurecoreError) uint32 { return C.purecore_client_get_environment(c.p, &a, &l, e) })
	if err != nil {
		return "", "", err
	}
	return takeString(a), takeString(l), nil
}

// SetConfigFile uses a config file from now on.
func (c *Client) SetConfigFile(path string) error {
	return c.call(func(e **C.PurecoreError) uint32 { return C.purecore_client_set_config_file(c.p, str(path), e) })
}

// ReloadConfigFile reads the config file now.
func (c *Client) ReloadConfigFile() error {
	return c.call(func(e **C.PurecoreError) uint32 { return C.purecore_client_reload_config_file(c.p, e) })
}

// ConfigFileError is why the config file is rejected, or nil.
func (c *Client) ConfigFileError() error {
	var fe *C.PurecoreError
	if err := c.call(func(e **C.PurecoreError) uint32 { return C.purecore_client_get_config_file_error(c.p, &fe, e) }); err != nil {
		return err
	}
	if fe == nil {
		return nil
	}
	return takeError(fe)
}

func (c *Client) login(f func(a **C.PurecoreAuthData, e **C.PurecoreError) uint32) (*AuthData, error) {
	var a *C.PurecoreAuthData
	var e *C.PurecoreError
	if err := check(f(&a, &e), e); err != nil {
		return nil, err
	}
	return takeAuth(a), nil
}

// LoginClientCredentials runs the client credentials grant.
func (c *Client) LoginClientCredentials(id, secret string) (*AuthData, error) {
	return c.login(func(a **C.PurecoreAuthData, e **C.PurecoreError) uint32 {
		return C.purecore_client_login_client_credentials(c.p, str(id), str(secret), a, e)
	})
}

// LoginSaml2Bearer runs the SAML2 bearer grant.
func (c *Client) LoginSaml2Bearer(id, secret, org, assertion string) (*AuthData, error) {
	return c.login(func(a **C.PurecoreAuthData, e **C.PurecoreError) uint32 {
		return C.purecore_client_login_saml2_bearer(c.p, str(id), str(secret), str(org), str(assertion), a, e)
	})
}

// LoginCode runs the authorization code grant.
func (c *Client) LoginCode(id, secret, code, redirectURI string) (*AuthData, error) {
	return c.login(func(a **C.PurecoreAuthData, e **C.PurecoreError) uint32 {
		return C.purecore_client_login_code(c.p, str(id), str(secret), str(code), str(redirectURI), a, e)
	})
}

// RefreshCode refreshes a code-grant token explicitly.
func (c *Client) RefreshCode(id, secret, refreshToken string) (*AuthData, error) {
	return c.login(func(a **C.PurecoreAuthData, e **C.PurecoreError) uint32 {
		return C.purecore_client_refresh_code(c.p, str(id), str(secret), str(refreshToken), a, e)
	})
}

// LoginPKCE exchanges a PKCE code.
func (c *Client) LoginPKCE(id, code, verifier, redirectURI string) (*AuthData, error) {
	return c.login(func(a **C.PurecoreAuthData, e **C.PurecoreError) uint32 {
		return C.purecore_client_login_pkce(c.p, str(id), str(code), str(verifier), str(redirectURI), a, e)
	})
}

// LoginImplicitRedirect uses the token of an implicit-grant redirect.
func (c *Client) LoginImplicitRedirect(redirect, expectedState string) (*AuthData, error) {
	return c.login(func(a **C.PurecoreAuthData, e **C.PurecoreError) uint32 {
		return C.purecore_client_login_implicit_redirect(c.p, str(redirect), opt(expectedState), a, e)
	})
}

// SetAccessToken uses a token obtained elsewhere; expiresIn < 0 means unknown.
func (c *Client) SetAccessToken(token string, expiresIn time.Duration) error {
	v := C.int64_t(-1)
	if expiresIn >= 0 {
		v = C.int64_t(expiresIn / time.Millisecond)
	}
	return c.call(func(e **C.PurecoreError) uint32 { return C.purecore_client_set_access_token(c.p, str(token), v, e) })
}

// AuthData returns the current token, or nil.
func (c *Client) AuthData() (*AuthData, error) {
	return c.login(func(a **C.PurecoreAuthData, e **C.PurecoreError) uint32 {
		return C.purecore_client_get_auth_data(c.p, a, e)
	})
}

// Logout forgets the token and credentials.
func (c *Client) Logout() error {
	return c.call(func(e **C.PurecoreError) uint32 { return C.purecore_client_logout(c.p, e) })
}

// AuthorizeRequest mirrors PurecoreAuthorizeRequest; empty strings are absent.
type AuthorizeRequest struct {
	ClientID, RedirectURI, ResponseType, State, CodeChallenge string
	Org, Provider, Target, LoginHint, Prompt                  string
}

// AuthorizeURL builds an authorize URL and returns it with its state.
func (c *Client) AuthorizeURL(r AuthorizeRequest) (url, state string, err error) {
	req := C.PurecoreAuthorizeRequest{
		client_id: str(r.ClientID), redirect_uri: str(r.RedirectURI), response_type: opt(r.ResponseType),
		state: opt(r.State), code_challenge: opt(r.CodeChallenge), org: opt(r.Org), provider: opt(r.Provider),
		target: opt(r.Target), login_hint: opt(r.LoginHint), prompt: opt(r.Prompt),
	}
	// req holds pointers to Go strings: pin them while C reads req.
	var pin runtime.Pinner
	defer pin.Unpin()
	for _, v := range []C.PurecoreStr{req.client_id, req.redirect_uri, req.response_type, req.state, req.code_challenge,
		req.org, req.provider, req.target, req.login_hint, req.prompt} {
		if v.ptr != nil {
			pin.Pin(v.ptr)
		}
	}
	var u, s *C.char
	err = c.call(func(e **C.PurecoreError) uint32 { return C.purecore_client_authorize_url(c.p, &req, &u, &s, e) })
	if err != nil {
		return "", "", err
	}
	return takeString(u), takeString(s), nil
}
