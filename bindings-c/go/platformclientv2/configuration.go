package platformclientv2

// This file is written by hand: the grants of the official Go SDK, and how the fields of
// a Configuration reach the native client. Behaviour (refresh, retries, logging, config
// file) lives in the purecore core; this file only converts values.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

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

// settingValues is what a Configuration's fields say, as settings of purecore's one
// schema (dotted names, durations in seconds; nil puts the core's default back). Go
// keeps none of the core's defaults or ranges: a zero value means "not set", and the
// core checks every value and names the setting in its error. Only the names whose
// value changed since the last call are sent (see changedValues).
func (c *Configuration) settingValues() map[string]any {
	v := map[string]any{
		"environment":                    c.BasePath,
		"refresh.refresh_access_token":   c.ShouldRefreshAccessToken,
		"refresh.refresh_token_wait_max": orNil(c.RefreshTokenWaitTime),
		"refresh.expiry_margin":          secondsOrNil(c.TokenExpiryMargin),
		"auth_timeout":                   secondsOrNil(c.AuthTimeout),
		"retry.max_retries":              nil,
		"retry.wait_min":                 nil,
		"retry.wait_max":                 nil,
		"logging.log_level":              nil,
		"logging.log_format":             nil,
		"logging.log_to_console":         nil,
		"logging.log_file_path":          nil,
		"logging.log_request_body":       nil,
		"logging.log_response_body":      nil,
		"gateway.host":                   "",
		"proxy.url":                      "",
		"default_headers":                map[string]string(maps.Clone(c.DefaultHeader)),
	}
	if r := c.RetryConfiguration; r != nil {
		v["retry.max_retries"] = r.RetryMax
		v["retry.wait_min"] = secondsOrNil(r.RetryWaitMin)
		v["retry.wait_max"] = secondsOrNil(r.RetryWaitMax)
	}
	if l := c.LoggingConfiguration; l != nil {
		v["logging.log_level"] = choice(int(l.LogLevel), "none", "error", "debug", "trace")
		v["logging.log_format"] = choice(int(l.logFormat), "text", "json")
		v["logging.log_to_console"] = l.logToConsole
		v["logging.log_file_path"] = l.logFilePath
		v["logging.log_request_body"] = l.LogRequestBody
		v["logging.log_response_body"] = l.LogResponseBody
	}
	if g := c.GateWayConfiguration; g != nil && g.Host != "" {
		v["gateway.host"] = g.Host
		v["gateway.protocol"] = orNil(g.Protocol)
		v["gateway.port"] = gatewayPort(g.Port)
		v["gateway.path_params_login"], v["gateway.path_params_api"] = "", ""
		for _, p := range g.PathParams {
			if p != nil && p.PathName == "login" {
				v["gateway.path_params_login"] = p.PathValue
			} else if p != nil {
				v["gateway.path_params_api"] = p.PathValue
			}
		}
	}
	if p := c.ProxyConfiguration; p != nil && p.Host != "" {
		proto := p.Protocol
		if proto == "" {
			proto = "http"
		}
		url := proto + "://" + p.Host
		if p.Port != "" {
			url += ":" + p.Port
		}
		v["proxy.url"], v["proxy.username"], v["proxy.password"] = url, "", ""
		if p.Auth != nil {
			v["proxy.username"], v["proxy.password"] = p.Auth.UserName, p.Auth.Password
		}
	}
	c.compatSettings(v)
	for k, x := range c.nativeState().extra {
		v[k] = x
	}
	return v
}

// ApplySettings sets any of purecore's settings by its name (the Setting... constants,
// e.g. SettingMaxResponseBodyBytes), durations in seconds; nil restores the default. The
// values stay set (over the fields above) for the life of the Configuration. The core
// checks each value: a bad one is a configuration error naming the setting, the value and
// the allowed values, and nothing changes.
func (c *Configuration) ApplySettings(settings map[string]any) error {
	st := c.nativeState()
	st.mu.Lock()
	old := maps.Clone(st.extra)
	if st.extra == nil {
		st.extra = map[string]any{}
	}
	maps.Copy(st.extra, settings)
	st.mu.Unlock()
	if _, err := c.native(); err != nil {
		st.mu.Lock()
		st.extra = old
		st.mu.Unlock()
		return err
	}
	return nil
}

// orNil is v, or nil (the core's default) for a zero value.
func orNil[T comparable](v T) any {
	var zero T
	if v == zero {
		return nil
	}
	return v
}

// secondsOrNil is d in seconds, or nil (the core's default) for 0.
func secondsOrNil(d time.Duration) any {
	if d == 0 {
		return nil
	}
	return d.Seconds()
}

// choice is the word of an enum value; a value out of range is sent as it is, for the
// core to refuse naming the setting and its words.
func choice(n int, words ...string) any {
	if n >= 0 && n < len(words) {
		return words[n]
	}
	return n
}

// gatewayPort is GateWayConfiguration.Port as a number (0, none, when empty); a text
// that is not a number is sent as it is, for the core to refuse.
func gatewayPort(port string) any {
	if port == "" {
		return 0
	}
	if p, err := strconv.Atoi(port); err == nil {
		return p
	}
	return port
}

// changedValues is the patch that brings the native settings from old to cur: the
// names whose value differs (a name absent from old is new). A nil value that was never
// sent is left out: it is the core's default already.
func changedValues(cur, old map[string]any, first bool) map[string]any {
	patch := map[string]any{}
	for k, v := range cur {
		o, had := old[k]
		if (first && v == nil) || (had && reflect.DeepEqual(o, v)) {
			continue
		}
		patch[k] = v
	}
	return patch
}

// checkUTF8 refuses text that is not UTF-8 (JSON would silently replace it), naming the
// setting, as the C API does for its strings.
func checkUTF8(patch map[string]any) error {
	bad := func(name string) error {
		return &SDKError{Kind: "invalid_argument", Message: name + " is not valid UTF-8"}
	}
	for name, v := range patch {
		switch x := v.(type) {
		case string:
			if !utf8.ValidString(x) {
				return bad(name)
			}
		case []string:
			for _, s := range x {
				if !utf8.ValidString(s) {
					return bad(name)
				}
			}
		case map[string]string:
			for k, s := range x {
				if !utf8.ValidString(k) || !utf8.ValidString(s) {
					return bad(name)
				}
			}
		}
	}
	return nil
}

// apply sends the settings that changed to cfg, and installs or removes the hooks.
func (c *Configuration) apply(cfg *native.Config, cur, old map[string]any, first bool, st *nativeState) error {
	var errs []error
	if patch := changedValues(cur, old, first); len(patch) > 0 {
		if err := checkUTF8(patch); err != nil {
			return err
		}
		text, err := json.Marshal(patch)
		if err != nil {
			return configError("the settings cannot be encoded: %v", err)
		}
		errs = append(errs, cfg.ApplyJSON(string(text)))
	}
	r := c.RetryConfiguration
	retryHook := r != nil && r.RequestLogHook != nil
	if first || retryHook != st.retryHookOn {
		if retryHook && st.hook == nil {
			st.hook = native.NewRetryHook(c.runRetryHook)
		}
		if retryHook {
			errs = append(errs, cfg.SetRetryHook(st.hook))
		} else {
			errs = append(errs, cfg.SetRetryHook(nil))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	st.retryHookOn = retryHook
	return nil
}

// installCallHooks installs or removes the client's request hook (RequestLogHook with
// 0 before the first try) and response hook (ResponseLogHook, every attempt).
func (c *Configuration) installCallHooks(client *native.Client, st *nativeState, first bool) error {
	r := c.RetryConfiguration
	requestHook, responseHook := r != nil && r.RequestLogHook != nil, r != nil && r.ResponseLogHook != nil
	var errs []error
	if first || requestHook != st.requestHookOn {
		if requestHook && st.reqHook == nil {
			st.reqHook = native.NewRequestHook(c.runRequestHook)
		}
		if requestHook {
			errs = append(errs, client.SetRequestHook(st.reqHook))
		} else {
			errs = append(errs, client.SetRequestHook(nil))
		}
	}
	if first || responseHook != st.responseHookOn {
		if responseHook && st.respHook == nil {
			st.respHook = native.NewResponseHook(c.runResponseHook)
		}
		if responseHook {
			errs = append(errs, client.SetResponseHook(st.respHook))
		} else {
			errs = append(errs, client.SetResponseHook(nil))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	st.requestHookOn, st.responseHookOn = requestHook, responseHook
	return nil
}

type nativeState struct {
	mu             sync.Mutex
	client         *native.Client
	applied        map[string]any
	retryHookOn    bool
	requestHookOn  bool
	responseHookOn bool
	token          string
	hook           *native.Hook
	reqHook        *native.Hook
	respHook       *native.Hook
	configFile     string
	liveReload     bool
	// extra holds the settings given by name (ApplySettings).
	extra map[string]any
	// renewed is the latest token purecore obtained (see syncRenewedToken).
	renewed   atomic.Pointer[string]
	tokenHook *native.Hook
}

var stateInit sync.Mutex

func configError(format string, args ...any) error {
	return &SDKError{Kind: "configuration", Message: fmt.Sprintf(format, args...)}
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

// runRequestHook calls RetryConfiguration.RequestLogHook with 0 before the first try
// (on the thread of the call), with the request as it will be sent: what the hook
// changes in its URL (path and query), headers and body is sent on every attempt.
func (c *Configuration) runRequestHook(hr *native.HookRequest) {
	r := c.RetryConfiguration
	if r == nil || r.RequestLogHook == nil {
		return
	}
	var body io.Reader
	if hr.Body != nil {
		body = bytes.NewReader(hr.Body)
	}
	req, err := http.NewRequest(hr.Method, hr.URL, body)
	if err != nil {
		return
	}
	for _, h := range hr.Headers {
		req.Header.Add(h[0], h[1])
	}
	before := req.Header.Clone()
	r.RequestLogHook(req, 0)
	if req.URL != nil && req.URL.String() != hr.URL {
		hr.URL = req.URL.String()
	}
	if !maps.EqualFunc(req.Header, before, slices.Equal[[]string]) {
		hr.Headers = hr.Headers[:0]
		for name, values := range req.Header {
			for _, v := range values {
				hr.Headers = append(hr.Headers, [2]string{name, v})
			}
		}
	}
	switch {
	case req.Body == nil || req.Body == http.NoBody:
		if hr.Body != nil && len(hr.Body) > 0 {
			hr.Body = nil
		}
	default:
		if b, err := io.ReadAll(req.Body); err == nil {
			hr.Body = b
		}
	}
}

// runResponseHook calls RetryConfiguration.ResponseLogHook with each reply to an API
// call (every attempt, on the thread of the call) as an *http.Response with its body.
func (c *Configuration) runResponseHook(ev *native.HookResponse) {
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
		Status:        fmt.Sprintf("%d %s", ev.Status, http.StatusText(ev.Status)),
		StatusCode:    ev.Status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        header,
		Body:          io.NopCloser(bytes.NewReader(ev.Body)),
		ContentLength: int64(len(ev.Body)),
		Request:       req,
	})
}

// hooksChanged tells whether a hook was set or removed since the last apply.
func (c *Configuration) hooksChanged(st *nativeState) bool {
	r := c.RetryConfiguration
	request, response := r != nil && r.RequestLogHook != nil, r != nil && r.ResponseLogHook != nil
	return request != st.retryHookOn || request != st.requestHookOn || response != st.responseHookOn
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
	cur := c.settingValues()
	if st.client == nil {
		cfg, err := native.NewConfig()
		if err != nil {
			return nil, err
		}
		defer cfg.Free()
		first := maps.Clone(cur)
		first["host_language"] = "go"
		if st.configFile != "" {
			first["config_file"], first["live_reload_config"] = st.configFile, st.liveReload
		}
		if err := c.apply(cfg, first, nil, true, st); err != nil {
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
		if err := c.installCallHooks(client, st, true); err != nil {
			client.Close()
			return nil, convertError(err)
		}
		st.client, st.applied = client, cur
	} else if patch := changedValues(cur, st.applied, false); len(patch) > 0 || c.hooksChanged(st) {
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
		if err := c.installCallHooks(st.client, st, false); err != nil {
			return nil, convertError(err)
		}
		st.applied = cur
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
	st.reqHook.Delete()
	st.reqHook = nil
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
