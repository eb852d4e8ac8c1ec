package platformclientv2

// This file is written by hand: the grants of the official Go SDK, and how the fields of
// a Configuration reach the native client. Behaviour (refresh, retries, logging, config
// file) lives in the purecore core; this file only converts values.

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/purecore-sdk/purecore-go/internal/native"
)

// AuthResponse is the token a grant returned.
type AuthResponse struct {
	AccessToken  string `json:"access_token,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
	TokenType    string `json:"token_type,omitempty"`
	// ExpiresIn is the lifetime in seconds (0 when unknown).
	ExpiresIn int `json:"expires_in,omitempty"`
	// ExpiresAt is when the token expires (zero when unknown).
	ExpiresAt time.Time `json:"-"`
	// State of an implicit-grant redirect.
	State string `json:"state,omitempty"`
}

// settings is what a Configuration's fields say, in comparable form.
type settings struct {
	basePath                      string
	refresh                       bool
	refreshWait                   int
	expiryMargin                  time.Duration
	retrySet                      bool
	retryMax                      int
	retryMin, retryMaxWait        time.Duration
	retryHook, responseHook       bool
	logging                       LoggingConfiguration
	gwProto, gwHost, gwPort       string
	gwLogin, gwAPI                string
	proxyURL, proxyUser, proxyPwd string
	tls                           APIClient
	authTimeout                   time.Duration
}

type nativeState struct {
	mu         sync.Mutex
	client     *native.Client
	applied    settings
	headers    map[string]string
	token      string
	hook       *native.Hook
	respHook   *native.Hook
	configFile string
	liveReload bool
	// renewed is the latest token purecore obtained (see syncRenewedToken).
	renewed   atomic.Pointer[string]
	tokenHook *native.Hook
}

var stateInit sync.Mutex

func (c *Configuration) current() settings {
	s := settings{basePath: c.BasePath, refresh: c.ShouldRefreshAccessToken, refreshWait: c.RefreshTokenWaitTime, expiryMargin: c.TokenExpiryMargin, tls: c.APIClient}
	if r := c.RetryConfiguration; r != nil {
		s.retrySet, s.retryMax, s.retryMin, s.retryMaxWait, s.retryHook = true, r.RetryMax, r.RetryWaitMin, r.RetryWaitMax, r.RequestLogHook != nil
		s.responseHook = r.ResponseLogHook != nil
	}
	if c.LoggingConfiguration != nil {
		s.logging = *c.LoggingConfiguration
	}
	if g := c.GateWayConfiguration; g != nil {
		s.gwProto, s.gwHost, s.gwPort = g.Protocol, g.Host, g.Port
		for _, p := range g.PathParams {
			if p != nil && p.PathName == "login" {
				s.gwLogin = p.PathValue
			} else if p != nil {
				s.gwAPI = p.PathValue
			}
		}
	}
	if p := c.ProxyConfiguration; p != nil && p.Host != "" {
		proto := p.Protocol
		if proto == "" {
			proto = "http"
		}
		s.proxyURL = proto + "://" + p.Host
		if p.Port != "" {
			s.proxyURL += ":" + p.Port
		}
		if p.Auth != nil {
			s.proxyUser, s.proxyPwd = p.Auth.UserName, p.Auth.Password
		}
	}
	c.compatSettings(&s)
	return s
}

// The core's ranges (purecore::config): MAX_DURATION in seconds and MAX_RETRIES.
const (
	maxDurationSeconds = 10_000_000
	maxRetries         = 100
)

func configError(format string, args ...any) error {
	return &SDKError{Kind: "configuration", Message: fmt.Sprintf(format, args...)}
}

func seconds(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// checkDuration refuses a negative or too long duration field, in the core's words.
func checkDuration(name string, d time.Duration) error {
	if d < 0 || d > maxDurationSeconds*time.Second {
		return configError("%s must be a number of seconds from 0 to %d, not %s", name, maxDurationSeconds, seconds(d.Seconds()))
	}
	return nil
}

// gatewayPort is GateWayConfiguration.Port as a number (0 when empty).
func gatewayPort(port string) (int, error) {
	if port == "" {
		return 0, nil
	}
	p, err := strconv.Atoi(port)
	if err != nil || p < 0 || p > 65535 {
		return 0, configError("GateWayConfiguration.Port must be a whole number from 0 to 65535, not %q", port)
	}
	return p, nil
}

// check refuses numbers the core would not take, naming the Go field, before any of
// them reaches C (where a negative int would otherwise wrap around).
func (s settings) check() error {
	if s.retrySet {
		if s.retryMax < 0 || s.retryMax > maxRetries {
			return configError("RetryMax must be a whole number from 0 to %d, not %d", maxRetries, s.retryMax)
		}
		if err := checkDuration("RetryWaitMin", s.retryMin); err != nil {
			return err
		}
		if err := checkDuration("RetryWaitMax", s.retryMaxWait); err != nil {
			return err
		}
	}
	if s.refreshWait < 0 || s.refreshWait > maxDurationSeconds {
		return configError("RefreshTokenWaitTime must be a number of seconds from 0 to %d, not %d", maxDurationSeconds, s.refreshWait)
	}
	if err := checkDuration("TokenExpiryMargin", s.expiryMargin); err != nil {
		return err
	}
	if s.expiryMargin > 0 && s.expiryMargin < time.Millisecond {
		return configError("TokenExpiryMargin must be 0 (the default, 30 s) or at least 1ms, not %s", s.expiryMargin)
	}
	if l := s.logging.LogLevel; l < LNone || l > LTrace {
		return configError("LogLevel must be LNone, LError, LDebug or LTrace (0 to 3), not %d", int(l))
	}
	if f := s.logging.logFormat; f != Text && f != JSON {
		return configError("LogFormat must be Text or JSON (0 or 1), not %d", int(f))
	}
	_, err := gatewayPort(s.gwPort)
	return err
}

// apply writes the groups of settings that differ from old (all when full) to cfg.
func (c *Configuration) apply(cfg *native.Config, s, old settings, full bool, st *nativeState) error {
	var errs []error
	if full || s.basePath != old.basePath {
		errs = append(errs, cfg.SetEnvironment(s.basePath))
	}
	if full || s.refresh != old.refresh || s.refreshWait != old.refreshWait || s.expiryMargin != old.expiryMargin {
		margin := s.expiryMargin
		if margin == 0 {
			margin = 30 * time.Second // the core's default; 0 would keep the previous margin
		}
		errs = append(errs, cfg.SetRefresh(s.refresh, time.Duration(s.refreshWait)*time.Second, margin))
	}
	if full || s.retrySet != old.retrySet || s.retryMax != old.retryMax || s.retryMin != old.retryMin ||
		s.retryMaxWait != old.retryMaxWait || s.retryHook != old.retryHook {
		maxRetries, minWait, maxWait := 3, 500*time.Millisecond, 30*time.Second
		if s.retrySet {
			maxRetries = s.retryMax
			if s.retryMin > 0 {
				minWait = s.retryMin
			}
			if s.retryMaxWait > 0 {
				maxWait = s.retryMaxWait
			}
		}
		errs = append(errs, cfg.SetRetry(maxRetries, minWait, maxWait, 60*time.Second, false))
		if s.retryHook && st.hook == nil {
			st.hook = native.NewRetryHook(c.runRetryHook)
		}
		if s.retryHook {
			errs = append(errs, cfg.SetRetryHook(st.hook))
		} else {
			errs = append(errs, cfg.SetRetryHook(nil))
		}
	}
	if full || s.responseHook != old.responseHook {
		if s.responseHook && st.respHook == nil {
			st.respHook = native.NewExchangeHook(c.runResponseHook)
		}
		if s.responseHook {
			errs = append(errs, cfg.SetExchangeHook(st.respHook))
		} else {
			errs = append(errs, cfg.SetExchangeHook(nil))
		}
	}
	if full || s.logging != old.logging {
		l := s.logging
		errs = append(errs, cfg.SetLogging(int(l.LogLevel), int(l.logFormat), l.logToConsole, l.logFilePath, l.LogRequestBody, l.LogResponseBody))
	}
	if full || s.gwProto != old.gwProto || s.gwHost != old.gwHost || s.gwPort != old.gwPort || s.gwLogin != old.gwLogin || s.gwAPI != old.gwAPI {
		port, err := gatewayPort(s.gwPort)
		if err != nil {
			return err
		}
		errs = append(errs, cfg.SetGateway(s.gwHost, s.gwProto, port, s.gwLogin, s.gwAPI))
	}
	if full || s.proxyURL != old.proxyURL || s.proxyUser != old.proxyUser || s.proxyPwd != old.proxyPwd {
		errs = append(errs, cfg.SetProxy(s.proxyURL, s.proxyUser, s.proxyPwd))
	}
	if full || s.tls != old.tls {
		errs = append(errs, cfg.SetTLS(s.tls.caPEM, s.tls.certPEM, s.tls.keyPEM))
	}
	if full || s.authTimeout != old.authTimeout {
		errs = append(errs, applyAuthTimeout(cfg, s.authTimeout))
	}
	if full || !maps.Equal(c.DefaultHeader, st.headers) {
		errs = append(errs, cfg.SetDefaultHeaders(c.DefaultHeader))
	}
	return errors.Join(errs...)
}

// runRetryHook calls RetryConfiguration.RequestLogHook (it runs on a purecore thread).
func (c *Configuration) runRetryHook(ev native.RetryEvent) {
	r := c.RetryConfiguration
	if r == nil || r.RequestLogHook == nil {
		return
	}
	req, err := http.NewRequest(ev.Method, ev.URL, nil)
	if err == nil {
		r.RequestLogHook(req, ev.Attempt)
	}
}

// runResponseHook calls RetryConfiguration.ResponseLogHook with each reply (every
// attempt, token requests included) as an *http.Response without its body.
func (c *Configuration) runResponseHook(ev native.ExchangeEvent) {
	r := c.RetryConfiguration
	if r == nil || r.ResponseLogHook == nil || ev.Status == 0 {
		return
	}
	req, err := http.NewRequest(ev.Method, ev.URL, nil)
	if err != nil {
		return
	}
	header := http.Header{}
	for _, h := range ev.Headers {
		header.Add(h[0], h[1])
	}
	r.ResponseLogHook(&http.Response{
		Status:     fmt.Sprintf("%d %s", ev.Status, http.StatusText(ev.Status)),
		StatusCode: ev.Status,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     header,
		Body:       http.NoBody,
		Request:    req,
	})
}

func (c *Configuration) nativeState() *nativeState {
	stateInit.Lock()
	defer stateInit.Unlock()
	if c.state == nil {
		c.state = &nativeState{}
	}
	return c.state
}

// native returns the native client, created on first use and brought up to date with
// the fields of c (only what changed is applied, so config-file values stay).
func (c *Configuration) native() (*native.Client, error) {
	st := c.nativeState()
	st.mu.Lock()
	defer st.mu.Unlock()
	cur := c.current()
	if err := cur.check(); err != nil {
		return nil, err
	}
	if st.client == nil {
		cfg, err := native.NewConfig()
		if err != nil {
			return nil, err
		}
		defer cfg.Free()
		err = errors.Join(c.apply(cfg, cur, settings{}, true, st), cfg.SetHostLanguage("go"))
		if st.configFile != "" {
			err = errors.Join(err, cfg.SetConfigFile(2, st.configFile), cfg.SetLiveReload(st.liveReload, 0))
		}
		if err != nil {
			return nil, convertError(err)
		}
		client, err := native.NewClient(cfg)
		if err != nil {
			return nil, convertError(err)
		}
		if err := st.installTokenHook(client); err != nil {
			client.Close()
			return nil, convertError(err)
		}
		st.client, st.applied, st.headers = client, cur, maps.Clone(c.DefaultHeader)
	} else if cur != st.applied || !maps.Equal(c.DefaultHeader, st.headers) {
		cfg, err := st.client.Config()
		if err != nil {
			return nil, convertError(err)
		}
		defer cfg.Free()
		if err := c.apply(cfg, cur, st.applied, false, st); err != nil {
			return nil, convertError(err)
		}
		if err := st.client.SetConfig(cfg); err != nil {
			return nil, convertError(err)
		}
		st.applied, st.headers = cur, maps.Clone(c.DefaultHeader)
	}
	c.absorbRenewedToken(st)
	if c.AccessToken != st.token {
		var err error
		if c.AccessToken == "" {
			err = st.client.Logout()
		} else {
			err = st.client.SetAccessToken(c.AccessToken, -1)
		}
		if err != nil {
			return nil, convertError(err)
		}
		st.token = c.AccessToken
	}
	return st.client, nil
}

// Close stops the native client (its threads and connections). The configuration may
// not be used afterwards. Optional: a process may simply exit.
func (c *Configuration) Close() {
	st := c.nativeState()
	st.mu.Lock()
	defer st.mu.Unlock()
	st.client.Close()
	st.client = nil
	st.hook.Delete()
	st.hook = nil
	st.respHook.Delete()
	st.respHook = nil
	st.tokenHook.Delete()
	st.tokenHook = nil
}

// NewConfigurationWithConfigFile returns a configuration that also reads the config
// file at filePath (INI or JSON, the official keys), watched for changes when
// autoReload is true. File values override the fields set in code when the file is read.
func NewConfigurationWithConfigFile(filePath string, autoReload bool) (*Configuration, error) {
	c := NewConfiguration()
	c.state.configFile, c.state.liveReload = filePath, autoReload
	if _, err := c.native(); err != nil {
		return nil, err
	}
	return c, nil
}

// ReloadConfigFile reads the config file now; on error the previous settings stay.
func (c *Configuration) ReloadConfigFile() error {
	n, err := c.native()
	if err != nil {
		return err
	}
	return convertError(n.ReloadConfigFile())
}

// ConfigFileError tells why the config file is currently rejected (nil when it is fine).
func (c *Configuration) ConfigFileError() error {
	n, err := c.native()
	if err != nil {
		return err
	}
	return convertError(n.ConfigFileError())
}

func (c *Configuration) grant(run func(n *native.Client) (*native.AuthData, error)) (*AuthResponse, error) {
	n, err := c.native()
	if err != nil {
		return nil, err
	}
	a, err := run(n)
	if err != nil {
		return nil, convertError(err)
	}
	st := c.state
	st.mu.Lock()
	c.AccessToken, st.token = a.AccessToken, a.AccessToken
	st.mu.Unlock()
	return authResponse(a), nil
}

func authResponse(a *native.AuthData) *AuthResponse {
	if a == nil {
		return nil
	}
	r := &AuthResponse{AccessToken: a.AccessToken, RefreshToken: a.RefreshToken, TokenType: a.TokenType, State: a.State}
	if a.ExpiresIn > 0 {
		r.ExpiresIn = int(a.ExpiresIn)
	}
	if a.ExpiresAtMs > 0 {
		r.ExpiresAt = time.UnixMilli(a.ExpiresAtMs)
	}
	return r
}

// AuthorizeClientCredentials logs in with the client credentials grant and sets
// AccessToken. purecore renews the token by itself when ShouldRefreshAccessToken is on.
func (c *Configuration) AuthorizeClientCredentials(clientID, clientSecret string) error {
	_, err := c.grant(func(n *native.Client) (*native.AuthData, error) {
		return n.LoginClientCredentials(clientID, clientSecret)
	})
	return err
}

// AuthorizeSaml2Bearer logs in with the SAML2 bearer grant (renewed with the assertion).
func (c *Configuration) AuthorizeSaml2Bearer(clientID, clientSecret, orgName, assertion string) (*AuthResponse, error) {
	return c.grant(func(n *native.Client) (*native.AuthData, error) {
		return n.LoginSaml2Bearer(clientID, clientSecret, orgName, assertion)
	})
}

// AuthorizeCodeGrant exchanges an authorization code; the token is renewed with its
// refresh token.
func (c *Configuration) AuthorizeCodeGrant(clientID, clientSecret, authCode, redirectURI string) (*AuthResponse, error) {
	return c.grant(func(n *native.Client) (*native.AuthData, error) {
		return n.LoginCode(clientID, clientSecret, authCode, redirectURI)
	})
}

// RefreshAuthorizationCodeGrant refreshes a code-grant token explicitly.
func (c *Configuration) RefreshAuthorizationCodeGrant(clientID, clientSecret, refreshToken string) (*AuthResponse, error) {
	return c.grant(func(n *native.Client) (*native.AuthData, error) {
		return n.RefreshCode(clientID, clientSecret, refreshToken)
	})
}

// AuthorizePKCEGrant exchanges a PKCE code (no secret).
func (c *Configuration) AuthorizePKCEGrant(clientID, codeVerifier, authCode, redirectURI string) (*AuthResponse, error) {
	return c.grant(func(n *native.Client) (*native.AuthData, error) {
		return n.LoginPKCE(clientID, authCode, codeVerifier, redirectURI)
	})
}

// AuthorizeImplicitGrant uses the token of an implicit-grant redirect URL, checking its
// state ("" skips the check). The token is never renewed.
func (c *Configuration) AuthorizeImplicitGrant(redirectURL, expectedState string) (*AuthResponse, error) {
	return c.grant(func(n *native.Client) (*native.AuthData, error) {
		return n.LoginImplicitRedirect(redirectURL, expectedState)
	})
}

// GeneratePKCECodeVerifier returns a random PKCE code verifier of nChar (43 to 128) characters.
func (c *Configuration) GeneratePKCECodeVerifier(nChar int) (string, error) {
	if nChar < 0 {
		// A negative int would wrap around on its way to C.
		return "", &SDKError{Kind: "invalid_argument", Message: fmt.Sprintf("a PKCE code verifier must be 43 to 128 characters long, not %d", nChar)}
	}
	v, err := native.GenerateCodeVerifier(nChar)
	return v, convertError(err)
}

// ComputePKCECodeChallenge returns the S256 challenge of a verifier.
func (c *Configuration) ComputePKCECodeChallenge(codeVerifier string) (string, error) {
	v, err := native.ComputeCodeChallenge(codeVerifier)
	return v, convertError(err)
}

// AuthorizeRequest describes an authorize URL (implicit, code or PKCE flows).
type AuthorizeRequest struct {
	ClientID     string
	RedirectURI  string
	ResponseType string // "token" (default) or "code"
	State        string // random when ""
	// CodeChallenge is the PKCE S256 challenge.
	CodeChallenge                    string
	Org, Provider, Target, LoginHint string
	Prompt                           string // "login" forces the login page
}

// AuthorizeURL returns the authorize URL for this environment and the state it carries.
func (c *Configuration) AuthorizeURL(r AuthorizeRequest) (url, state string, err error) {
	n, err := c.native()
	if err != nil {
		return "", "", err
	}
	url, state, err = n.AuthorizeURL(native.AuthorizeRequest{
		ClientID: r.ClientID, RedirectURI: r.RedirectURI, ResponseType: r.ResponseType, State: r.State,
		CodeChallenge: r.CodeChallenge, Org: r.Org, Provider: r.Provider, Target: r.Target,
		LoginHint: r.LoginHint, Prompt: r.Prompt,
	})
	return url, state, convertError(err)
}

// ParseCodeRedirect reads the code of a code or PKCE redirect URL, checking its state
// ("" skips the check).
func ParseCodeRedirect(redirectURL, expectedState string) (string, error) {
	code, err := native.ParseCodeRedirect(redirectURL, expectedState)
	return code, convertError(err)
}

// AuthData returns the token in use (after any renewal), or nil when there is none.
func (c *Configuration) AuthData() (*AuthResponse, error) {
	n, err := c.native()
	if err != nil {
		return nil, err
	}
	a, err := n.AuthData()
	return authResponse(a), convertError(err)
}

// Logout forgets the token and the stored credentials.
func (c *Configuration) Logout() error {
	n, err := c.native()
	if err != nil {
		return err
	}
	st := c.state
	st.mu.Lock()
	c.AccessToken, st.token = "", ""
	st.mu.Unlock()
	return convertError(n.Logout())
}

// convertError turns native errors into *SDKError.
func convertError(err error) error {
	var n *native.Error
	if err == nil || !errors.As(err, &n) {
		return err
	}
	e := &SDKError{
		Kind: n.Kind, Message: n.Message, StatusCode: n.HTTPStatus, Code: n.Code, CorrelationID: n.CorrelationID,
		OAuthError: n.OAuthError, OAuthErrorDescription: n.OAuthErrorDescription, Retryable: n.Retryable,
	}
	if n.RetryAfter > 0 {
		e.RetryAfter = n.RetryAfter
	}
	return e
}
