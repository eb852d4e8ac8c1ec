package platformclientv2_test

// The cross-language scenarios of tests/README.md, one test per row (the row id is in
// each test's comment), through the official Go SDK's shapes.

import (
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	pc "github.com/purecore-sdk/purecore-go/platformclientv2"
)

func me(t *testing.T, cfg *pc.Configuration) (*pc.UserMe, *pc.APIResponse, error) {
	t.Helper()
	return pc.NewUsersApiWithConfig(cfg).GetUsersMe([]string{"presence"}, "", nil)
}

func tokenRequests(e *emulator) []recorded {
	var out []recorded
	for _, r := range e.requests() {
		if strings.HasSuffix(r.Path, "/oauth/token") {
			out = append(out, r)
		}
	}
	return out
}

// grant.client_credentials
// scenario: grant.client_credentials
func TestGrantClientCredentials(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	cfg := e.config()
	before := time.Now()
	if err := cfg.AuthorizeClientCredentials(clientID, clientSecret); err != nil {
		t.Fatal(err)
	}
	if cfg.AccessToken == "" {
		t.Fatal("AccessToken is set after login")
	}
	auth, err := cfg.AuthData()
	if err != nil || auth.ExpiresIn <= 0 || auth.ExpiresAt.Before(before) {
		t.Fatalf("expiry is absolute: %+v %v", auth, err)
	}
	reqs := tokenRequests(e)
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(clientID+":"+clientSecret))
	if len(reqs) != 1 || reqs[0].header("authorization") != basic || !strings.Contains(reqs[0].Body, "grant_type=client_credentials") {
		t.Fatalf("token request: %+v", reqs)
	}
	user, resp, err := me(t, cfg)
	if err != nil || !resp.IsSuccess || resp.StatusCode != 200 || *user.Id != userID || resp.CorrelationID == "" {
		t.Fatalf("users/me: %v %+v", err, resp)
	}
	if resp.Header.Get("Content-Type") == "" || len(resp.RawBody) == 0 {
		t.Fatalf("extended response: %+v", resp)
	}
}

// grant.saml2
// scenario: grant.saml2
func TestGrantSaml2(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	cfg := e.config()
	if _, err := cfg.AuthorizeSaml2Bearer(clientID, clientSecret, samlOrg, samlAssertion); err != nil {
		t.Fatal(err)
	}
	body, _ := url.ParseQuery(tokenRequests(e)[0].Body)
	if body.Get("orgName") != samlOrg || body.Get("assertion") != samlAssertion {
		t.Fatalf("form: %v", body)
	}
	_, err := cfg.AuthorizeSaml2Bearer(clientID, clientSecret, "other-org", samlAssertion)
	var sdkErr *pc.SDKError
	if !errors.As(err, &sdkErr) || sdkErr.OAuthError != "invalid_grant" || sdkErr.Kind != "authentication" {
		t.Fatalf("wrong org: %#v", err)
	}
}

func codeFor(t *testing.T, cfg *pc.Configuration, client, challenge string) string {
	t.Helper()
	u, state, err := cfg.AuthorizeURL(pc.AuthorizeRequest{ClientID: client, RedirectURI: redirectURI, ResponseType: "code", CodeChallenge: challenge})
	if err != nil {
		t.Fatal(err)
	}
	code, err := pc.ParseCodeRedirect(location(t, u), state)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// grant.code
// scenario: grant.code
func TestGrantCode(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	cfg := e.config()
	code := codeFor(t, cfg, codeID, "")
	auth, err := cfg.AuthorizeCodeGrant(codeID, codeSecret, code, redirectURI)
	if err != nil || auth.RefreshToken == "" || cfg.AccessToken != auth.AccessToken {
		t.Fatalf("code grant: %+v %v", auth, err)
	}
	if _, err := cfg.AuthorizeCodeGrant(codeID, codeSecret, code, redirectURI); err == nil {
		t.Fatal("a code is single-use")
	}
	again, err := cfg.RefreshAuthorizationCodeGrant(codeID, codeSecret, auth.RefreshToken)
	if err != nil || again.AccessToken == auth.AccessToken {
		t.Fatalf("refresh: %+v %v", again, err)
	}
	if _, resp, err := me(t, cfg); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%v", err)
	}
}

// grant.pkce
// scenario: grant.pkce
func TestGrantPKCE(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	cfg := e.config()
	verifier, err := cfg.GeneratePKCECodeVerifier(64)
	if err != nil || len(verifier) != 64 {
		t.Fatal(verifier, err)
	}
	challenge, err := cfg.ComputePKCECodeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
	if err != nil || challenge != "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" {
		t.Fatal(challenge, err)
	}
	challenge, _ = cfg.ComputePKCECodeChallenge(verifier)
	code := codeFor(t, cfg, publicID, challenge)
	if _, err := cfg.AuthorizePKCEGrant(publicID, verifier, code, redirectURI); err != nil {
		t.Fatal(err)
	}
	reqs := tokenRequests(e)
	form, _ := url.ParseQuery(reqs[len(reqs)-1].Body)
	if form.Get("code_verifier") != verifier || form.Get("client_id") != publicID || reqs[len(reqs)-1].header("authorization") != "" {
		t.Fatalf("pkce exchange: %+v", reqs[len(reqs)-1])
	}
}

// grant.implicit
// scenario: grant.implicit
func TestGrantImplicit(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	cfg := e.config()
	u, state, err := cfg.AuthorizeURL(pc.AuthorizeRequest{ClientID: publicID, RedirectURI: redirectURI, Org: samlOrg, LoginHint: "user@example.test", Prompt: "login"})
	if err != nil || !strings.Contains(u, "response_type=token") || !strings.Contains(u, "login_hint=user%40example.test") {
		t.Fatal(u, err)
	}
	redirect := location(t, u)
	if _, err := cfg.AuthorizeImplicitGrant(redirect, "forged"); err == nil {
		t.Fatal("the state is checked")
	}
	auth, err := cfg.AuthorizeImplicitGrant(redirect, state)
	if err != nil || auth.State != state {
		t.Fatal(auth, err)
	}
	if _, resp, err := me(t, cfg); err != nil || resp.StatusCode != 200 {
		t.Fatal(err)
	}
}

// grant.token
// scenario: grant.token
func TestGrantToken(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	other := e.loggedIn()
	cfg := e.config()
	cfg.AccessToken = other.AccessToken
	if _, _, err := me(t, cfg); err != nil {
		t.Fatal(err)
	}
	last := e.requests()[len(e.requests())-1]
	if last.header("authorization") != "Bearer "+other.AccessToken {
		t.Fatalf("the token is sent: %+v", last)
	}
	before := e.counters().TokenRequests
	e.expireTokens()
	_, resp, err := me(t, cfg)
	if err == nil || resp == nil || resp.StatusCode != 401 {
		t.Fatalf("an expired caller-supplied token is not renewed: %v %+v", err, resp)
	}
	if e.counters().TokenRequests != before {
		t.Fatal("no token request for a caller-supplied token")
	}
}

// grant.failure
// scenario: grant.failure
func TestGrantFailure(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	cfg := e.config()
	err := cfg.AuthorizeClientCredentials(clientID, "wrong-secret")
	var sdkErr *pc.SDKError
	if !errors.As(err, &sdkErr) || sdkErr.OAuthError != "invalid_client" || sdkErr.StatusCode != 401 {
		t.Fatalf("%#v", err)
	}
	if strings.Contains(err.Error(), "wrong-secret") {
		t.Fatal("the secret is not in the error")
	}
	before := e.counters().TokenRequests
	err = cfg.AuthorizeClientCredentials("", clientSecret)
	if !errors.As(err, &sdkErr) || sdkErr.Kind != "invalid_argument" || e.counters().TokenRequests != before {
		t.Fatalf("missing credentials fail before any request: %v", err)
	}
}

// refresh.proactive: the core renews within its expiry margin (30 s by default, capped at
// half the token's lifetime), so a token living 4 s is renewed after 2 s, before the
// server ever sees it expired, and not on every call before that.
// scenario: refresh.proactive
func TestRefreshProactive(t *testing.T) {
	t.Parallel()
	e := startEmulator(t, "--token-lifetime", "4")
	cfg := e.loggedIn()
	if _, _, err := me(t, cfg); err != nil {
		t.Fatal(err)
	}
	if c := e.counters(); c.TokenRequests != 1 {
		t.Fatalf("a fresh token is not renewed on every call: %+v", c)
	}
	time.Sleep(2300 * time.Millisecond)
	if _, _, err := me(t, cfg); err != nil {
		t.Fatal(err)
	}
	c := e.counters()
	if c.TokenRequests != 2 || c.Unauthorized != 0 {
		t.Fatalf("renewed before expiry, no 401: %+v", c)
	}
}

// refresh.off
// scenario: refresh.off
func TestRefreshOff(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	cfg := e.loggedIn()
	cfg.ShouldRefreshAccessToken = false
	e.expireTokens()
	_, resp, err := me(t, cfg)
	if err == nil || resp == nil || resp.StatusCode != 401 || e.counters().TokenRequests != 1 {
		t.Fatalf("the 401 comes through: %v %+v", err, resp)
	}
}

// refresh.failure
// scenario: refresh.failure
func TestRefreshFailure(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	cfg := e.loggedIn()
	e.expireTokens()
	e.fault(map[string]any{"kind": "status", "status": 503, "count": 100, "target": "token"})
	errs := make(chan error, 20)
	for i := 0; i < 20; i++ {
		go func() {
			_, _, err := me(t, cfg)
			errs <- err
		}()
	}
	for i := 0; i < 20; i++ {
		err := <-errs
		var sdkErr *pc.SDKError
		if !errors.As(err, &sdkErr) || !strings.Contains(sdkErr.Message, "refresh") {
			t.Fatalf("every waiting caller gets the refresh failure: %#v", err)
		}
	}
}

// retry.429
// scenario: retry.429
func TestRetry429(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	cfg := e.loggedIn()
	hooked := make(chan int, 4)
	cfg.RetryConfiguration.RequestLogHook = func(r *http.Request, n int) { hooked <- n }
	e.fault(map[string]any{"kind": "status", "status": 429, "retry_after": 1, "count": 1, "target": "api"})
	start := time.Now()
	if _, resp, err := me(t, cfg); err != nil || resp.StatusCode != 200 {
		t.Fatal(err)
	}
	if time.Since(start) < time.Second {
		t.Fatal("Retry-After 1 is honoured")
	}
	if n, m := <-hooked, <-hooked; n != 0 || m != 1 {
		t.Fatalf("RequestLogHook saw %d then %d, want 0 (the first try) then 1 (the retry)", n, m)
	}
}

// ResponseLogHook sees every reply: each attempt, with status, headers and request.
func TestResponseLogHook(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	cfg := e.loggedIn()
	var mu sync.Mutex
	var seen []*http.Response
	cfg.RetryConfiguration.ResponseLogHook = func(r *http.Response) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, r)
	}
	e.fault(map[string]any{"kind": "status", "status": 503, "count": 1, "target": "api"})
	_, resp, err := me(t, cfg)
	if err != nil || resp.StatusCode != 200 {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 2 || seen[0].StatusCode != 503 || seen[1].StatusCode != 200 {
		t.Fatalf("want the 503 and then the 200, got %d replies", len(seen))
	}
	last := seen[1]
	if last.Header.Get("ININ-Correlation-Id") != resp.CorrelationID || last.Request.Method != "GET" ||
		!strings.HasSuffix(last.Request.URL.Path, "/api/v2/users/me") || last.Status != "200 OK" {
		t.Fatalf("%+v", last)
	}
}

// retry.post_not_resent
// scenario: retry.post_not_resent
func TestRetryPostNotResent(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	cfg := e.loggedIn()
	e.fault(map[string]any{"kind": "status", "status": 500, "count": 1, "target": "api", "method": "POST"})
	interval := "2024-01-01T00:00:00Z/2024-01-02T00:00:00Z"
	_, resp, err := pc.NewAnalyticsApiWithConfig(cfg).PostAnalyticsConversationsDetailsQuery(pc.ConversationQuery{Interval: &interval})
	if err == nil || resp.StatusCode != 500 {
		t.Fatalf("%v %+v", err, resp)
	}
	if n := e.counters().APIRequestsByRoute["POST /api/v2/analytics/conversations/details/query"]; n != 1 {
		t.Fatalf("sent %d times", n)
	}
}

// retry.exhausted
// scenario: retry.exhausted
func TestRetryExhausted(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	cfg := e.loggedIn()
	e.fault(map[string]any{"kind": "status", "status": 503, "count": 10, "target": "api"})
	_, resp, err := me(t, cfg)
	var apiErr *pc.APIError
	if !errors.As(err, &apiErr) || resp.StatusCode != 503 || apiErr.Code == "" || resp.CorrelationID == "" || len(resp.RawBody) == 0 {
		t.Fatalf("the last reply is kept: %v %+v", err, resp)
	}
	if apiErr.ContextID == "" || !strings.Contains(resp.ErrorMessage, "API Error: 503") {
		t.Fatalf("%+v", resp)
	}
}

// errors.non_json
// scenario: errors.non_json
func TestErrorsNonJSON(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	cfg := e.loggedIn()
	cfg.RetryConfiguration.RetryMax = 0
	e.fault(map[string]any{"kind": "status", "status": 502, "count": 1, "target": "api", "body": "<html>Bad gateway</html>", "content_type": "text/html"})
	_, resp, err := me(t, cfg)
	if err == nil || resp.StatusCode != 502 || string(resp.RawBody) != "<html>Bad gateway</html>" || !strings.Contains(err.Error(), "Bad gateway") {
		t.Fatalf("%v %+v", err, resp)
	}
	e.fault(map[string]any{"kind": "status", "status": 500, "count": 1, "target": "api", "body": ""})
	_, resp, err = me(t, cfg)
	if err == nil || resp.StatusCode != 500 || len(resp.RawBody) != 0 {
		t.Fatalf("%v %+v", err, resp)
	}
}

// logging.redaction
// scenario: logging.redaction
func TestLoggingRedaction(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	cfg := e.config()
	logFile := filepath.Join(t.TempDir(), "purecore.log")
	cfg.LoggingConfiguration.SetLogLevel(pc.LTrace)
	cfg.LoggingConfiguration.SetLogFormat(pc.JSON)
	cfg.LoggingConfiguration.SetLogToConsole(false)
	cfg.LoggingConfiguration.SetLogFilePath(logFile)
	cfg.LoggingConfiguration.LogRequestBody = true
	cfg.LoggingConfiguration.LogResponseBody = true
	secrets := []string{clientSecret, codeSecret, samlAssertion, base64.StdEncoding.EncodeToString([]byte(clientID + ":" + clientSecret))}
	if err := cfg.AuthorizeClientCredentials(clientID, clientSecret); err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, cfg.AccessToken)
	if _, err := cfg.AuthorizeSaml2Bearer(clientID, clientSecret, samlOrg, samlAssertion); err != nil {
		t.Fatal(err)
	}
	code := codeFor(t, cfg, codeID, "")
	auth, err := cfg.AuthorizeCodeGrant(codeID, codeSecret, code, redirectURI)
	if err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, code, auth.AccessToken, auth.RefreshToken)
	if _, err := cfg.RefreshAuthorizationCodeGrant(codeID, codeSecret, auth.RefreshToken); err != nil {
		t.Fatal(err)
	}
	verifier, _ := cfg.GeneratePKCECodeVerifier(60)
	challenge, _ := cfg.ComputePKCECodeChallenge(verifier)
	pkceCode := codeFor(t, cfg, publicID, challenge)
	if _, err := cfg.AuthorizePKCEGrant(publicID, verifier, pkceCode, redirectURI); err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, verifier, pkceCode, cfg.AccessToken)
	if _, _, err := me(t, cfg); err != nil {
		t.Fatal(err)
	}
	log, err := os.ReadFile(logFile)
	if err != nil || len(log) == 0 {
		t.Fatalf("log file: %v", err)
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(string(log), s) {
			t.Fatalf("a secret reached the log: %.12s...", s)
		}
	}
	if !strings.Contains(string(log), "/api/v2/users/me") {
		t.Fatal("the call is logged")
	}
}

// config.reload
// scenario: config.reload
func TestConfigReload(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	path := filepath.Join(t.TempDir(), "config")
	write := func(s string) {
		if err := os.WriteFile(path+".tmp", []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(path+".tmp", path); err != nil {
			t.Fatal(err)
		}
	}
	write("[general]\nhost = " + e.URL + "\n[retry]\nretry_max = 0\n")
	cfg, err := pc.NewConfigurationWithConfigFile(path, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cfg.Close)
	if err := cfg.AuthorizeClientCredentials(clientID, clientSecret); err != nil {
		t.Fatalf("the file's host applies: %v", err)
	}
	e.fault(map[string]any{"kind": "status", "status": 503, "count": 1, "target": "api"})
	if _, resp, _ := me(t, cfg); resp == nil || resp.StatusCode != 503 {
		t.Fatalf("retry_max = 0 from the file: %+v", resp)
	}
	write("[general]\nhost = " + e.URL + "\n[retry]\nretry_max = 3\nretry_wait_min = 0.01\n[logging]\nlog_level = loud\n")
	deadline := time.Now().Add(20 * time.Second)
	for cfg.ConfigFileError() == nil {
		if time.Now().After(deadline) {
			t.Fatal("the broken file was never noticed")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if msg := cfg.ConfigFileError().Error(); !strings.Contains(msg, ":7:") {
		t.Fatalf("the bad line is named: %s", msg)
	}
	e.fault(map[string]any{"kind": "status", "status": 503, "count": 1, "target": "api"})
	if _, resp, _ := me(t, cfg); resp.StatusCode != 503 {
		t.Fatal("a broken file keeps the previous settings")
	}
	write("[general]\nhost = " + e.URL + "\n[retry]\nretry_max = 3\nretry_wait_min = 0.01\n")
	for cfg.ConfigFileError() != nil {
		if time.Now().After(deadline) {
			t.Fatal("the fixed file was never applied")
		}
		time.Sleep(50 * time.Millisecond)
	}
	e.fault(map[string]any{"kind": "status", "status": 503, "count": 1, "target": "api"})
	if _, resp, err := me(t, cfg); err != nil || resp.StatusCode != 200 {
		t.Fatalf("the change applies while running: %v", err)
	}
}

// transport.tls
// scenario: transport.tls
func TestTransportTLS(t *testing.T) {
	t.Parallel()
	caPath := filepath.Join(t.TempDir(), "ca.pem")
	e := startEmulator(t, "--tls", "--ca-out", caPath)
	cfg := e.config()
	err := cfg.AuthorizeClientCredentials(clientID, clientSecret)
	var sdkErr *pc.SDKError
	if !errors.As(err, &sdkErr) || sdkErr.Kind != "connection" {
		t.Fatalf("untrusted without the CA: %#v", err)
	}
	if err := cfg.APIClient.SetMTLSCertificates("", "", caPath); err != nil {
		t.Fatal(err)
	}
	if err := cfg.AuthorizeClientCredentials(clientID, clientSecret); err != nil {
		t.Fatal(err)
	}
	if _, _, err := me(t, cfg); err != nil {
		t.Fatal(err)
	}
}

// transport.gateway_proxy
// scenario: transport.gateway_proxy
func TestTransportGatewayAndProxy(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	u, _ := url.Parse(e.URL)
	cfg := e.config()
	cfg.BasePath = pc.EUWest1
	cfg.SetGateway(&pc.GateWayConfiguration{Protocol: "http", Host: u.Hostname(), Port: u.Port(),
		PathParams: []*pc.PathParams{{PathName: "login", PathValue: "gw/login"}, {PathName: "api", PathValue: "gw/api"}}})
	if err := cfg.AuthorizeClientCredentials(clientID, clientSecret); err != nil {
		t.Fatal(err)
	}
	if _, _, err := me(t, cfg); err != nil {
		t.Fatal(err)
	}
	reqs := e.requests()
	if !strings.HasPrefix(reqs[0].Path, "/gw/login/oauth/token") || !strings.HasPrefix(reqs[len(reqs)-1].Path, "/gw/api/api/v2/users/me") {
		t.Fatalf("gateway prefixes: %s %s", reqs[0].Path, reqs[len(reqs)-1].Path)
	}

	proxied := e.config()
	proxied.BasePath = "http://purecore-proxy-test.localhost:9"
	proxied.ProxyConfiguration = &pc.ProxyConfiguration{Protocol: "http", Host: u.Hostname(), Port: u.Port(), Auth: &pc.Auth{UserName: "proxyuser", Password: "proxy-pass"}}
	if err := proxied.AuthorizeClientCredentials(clientID, clientSecret); err != nil {
		t.Fatal(err)
	}
	reqs = e.requests()
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("proxyuser:proxy-pass"))
	if got := reqs[len(reqs)-1].header("proxy-authorization"); got != want {
		t.Fatalf("proxy credentials: %q", got)
	}
}

// bad_input
// scenario: bad_input
func TestBadInput(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	cfg := e.loggedIn()
	var sdkErr *pc.SDKError

	bad := e.config()
	bad.BasePath = "nowhere_9"
	if err := bad.AuthorizeClientCredentials(clientID, clientSecret); !errors.As(err, &sdkErr) || sdkErr.Kind != "configuration" || !strings.Contains(sdkErr.Message, "unknown region") {
		t.Fatalf("unknown region: %v", err)
	}
	cfg.DefaultHeader["Bad Header"] = "x"
	if _, _, err := me(t, cfg); !errors.As(err, &sdkErr) || !strings.Contains(sdkErr.Message, "Bad Header") {
		t.Fatalf("bad header: %v", err)
	}
	delete(cfg.DefaultHeader, "Bad Header")
	if _, _, err := pc.NewUsersApiWithConfig(cfg).GetUser("", nil, "", nil, ""); !errors.As(err, &sdkErr) || sdkErr.Kind != "invalid_argument" {
		t.Fatalf("an empty path parameter: %v", err)
	}
	if _, _, err := pc.NewUsersApiWithConfig(cfg).GetUser("https://evil.example/x", nil, "", nil, ""); err == nil {
		t.Fatal("a URL is escaped into one path segment, not followed")
	}
	if got := e.requests()[len(e.requests())-1].Path; !strings.HasPrefix(got, "/api/v2/users/https%3A%2F%2Fevil.example%2Fx") {
		t.Fatalf("escaped: %s", got)
	}
	cfg.RetryConfiguration.RetryWaitMin, cfg.RetryConfiguration.RetryWaitMax = time.Second, time.Millisecond
	if _, _, err := me(t, cfg); !errors.As(err, &sdkErr) || sdkErr.Kind != "configuration" {
		t.Fatalf("bad settings: %v", err)
	}
	cfg.RetryConfiguration.RetryWaitMax = 2 * time.Second
	cfg.SetGateway(&pc.GateWayConfiguration{Host: "gw", Port: "eighty"})
	if _, _, err := me(t, cfg); err == nil || !strings.Contains(err.Error(), "eighty") {
		t.Fatalf("bad gateway port: %v", err)
	}
	cfg.SetGateway(nil)
	if _, resp, err := me(t, cfg); err != nil || resp.StatusCode != 200 {
		t.Fatalf("fixed settings apply: %v", err)
	}
}
