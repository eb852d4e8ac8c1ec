package platformclientv2_test

// The bad-input table of the Go API: nil and zero values, negative and huge numbers, bad
// strings (invalid UTF-8, CR/LF, bad hosts, bad redirects, bad PEMs, bad proxies), each
// of which must return a typed error of the expected kind: an *SDKError with a known
// Kind, an *APIError, ErrNoInvoker or the context's error. Panics (crashes), cases over
// 20 s (hangs) and untyped errors are counted and must be 0.

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	pc "github.com/purecore-sdk/purecore-go/platformclientv2"
)

var knownKinds = map[string]bool{
	"authentication": true, "http_status": true, "rate_limited": true, "timeout": true, "connection": true,
	"invalid_argument": true, "configuration": true, "decoding": true, "internal": true, "cancelled": true,
}

// kindOf names the type of err: an SDKError's Kind, "api", "no_invoker", "context", or
// "" when it is untyped.
func kindOf(err error) string {
	var sdk *pc.SDKError
	var api *pc.APIError
	switch {
	case errors.As(err, &sdk):
		if knownKinds[sdk.Kind] && sdk.Message != "" {
			return sdk.Kind
		}
	case errors.As(err, &api):
		return "api"
	case errors.Is(err, pc.ErrNoInvoker):
		return "no_invoker"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "context"
	}
	return ""
}

type badCase struct {
	name string
	want string
	run  func() error
}

type outcome struct {
	err      error
	panicked any
}

func TestBadInputTable(t *testing.T) {
	e := startEmulator(t)
	fresh := func() *pc.Configuration { return e.config() }
	// withCfg changes a fresh configuration, then makes the native client (no request).
	withCfg := func(change func(c *pc.Configuration)) func() error {
		return func() error {
			c := fresh()
			change(c)
			_, err := c.AuthData()
			return err
		}
	}
	logged := e.loggedIn()
	users := pc.NewUsersApiWithConfig(logged)
	call := func(change func(c *pc.Configuration)) func() error {
		return func() error {
			c := fresh()
			change(c)
			_, _, err := pc.NewUsersApiWithConfig(c).GetUsersMe(nil, "", nil)
			return err
		}
	}
	invoker := func(resp *pc.APIResponse) func() error {
		return func() error {
			c := pc.NewConfiguration()
			c.Invoker = pc.InvokerFunc(func(context.Context, string, map[string]any) (*pc.APIResponse, error) { return resp, nil })
			_, _, err := pc.NewUsersApiWithConfig(c).GetUsersMe(nil, "", nil)
			return err
		}
	}
	grant := func(f func(c *pc.Configuration) error) func() error { return func() error { return f(fresh()) } }
	implicit := func(url, state string) func() error {
		return grant(func(c *pc.Configuration) error { _, err := c.AuthorizeImplicitGrant(url, state); return err })
	}
	verifier := func(n int) func() error {
		return func() error { _, err := fresh().GeneratePKCECodeVerifier(n); return err }
	}
	challenge := func(v string) func() error {
		return func() error { _, err := fresh().ComputePKCECodeChallenge(v); return err }
	}
	codeOf := func(url, state string) func() error {
		return func() error { _, err := pc.ParseCodeRedirect(url, state); return err }
	}
	authURL := func(r pc.AuthorizeRequest) func() error {
		return func() error { _, _, err := fresh().AuthorizeURL(r); return err }
	}
	basePath := func(p string) func() error { return withCfg(func(c *pc.Configuration) { c.BasePath = p }) }
	retry := func(r pc.RetryConfiguration) func() error {
		return withCfg(func(c *pc.Configuration) { c.RetryConfiguration = &r })
	}
	refreshWait := func(n int) func() error { return withCfg(func(c *pc.Configuration) { c.RefreshTokenWaitTime = n }) }
	gateway := func(g pc.GateWayConfiguration) func() error {
		return withCfg(func(c *pc.Configuration) { c.SetGateway(&g) })
	}
	proxy := func(p pc.ProxyConfiguration) func() error {
		return withCfg(func(c *pc.Configuration) { c.ProxyConfiguration = &p })
	}
	header := func(k, v string) func() error { return withCfg(func(c *pc.Configuration) { c.AddDefaultHeader(k, v) }) }
	mtls := func(ca, cert, key string) func() error {
		return withCfg(func(c *pc.Configuration) { _ = c.APIClient.SetMTLSContents(cert, key, ca) })
	}
	const r = redirectURI
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, stop := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer stop()
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.pem")

	cases := []badCase{
		// Numbers: negative, too large, wrapping.
		{"RetryMax -1", "configuration", retry(pc.RetryConfiguration{RetryMax: -1})},
		{"RetryMax 101", "configuration", retry(pc.RetryConfiguration{RetryMax: 101})},
		{"RetryMax MaxInt", "configuration", retry(pc.RetryConfiguration{RetryMax: math.MaxInt})},
		{"RetryMax MinInt", "configuration", retry(pc.RetryConfiguration{RetryMax: math.MinInt})},
		{"RetryMax 4294967295", "configuration", retry(pc.RetryConfiguration{RetryMax: 4294967295})},
		{"RetryWaitMin -1ns", "configuration", retry(pc.RetryConfiguration{RetryWaitMin: -1})},
		{"RetryWaitMin -1h", "configuration", retry(pc.RetryConfiguration{RetryWaitMin: -time.Hour})},
		{"RetryWaitMax -1ms", "configuration", retry(pc.RetryConfiguration{RetryWaitMax: -time.Millisecond})},
		{"RetryWaitMax 200 days", "configuration", retry(pc.RetryConfiguration{RetryWaitMax: 200 * 24 * time.Hour})},
		{"RetryWaitMin MaxInt64", "configuration", retry(pc.RetryConfiguration{RetryWaitMin: math.MaxInt64})},
		{"RetryWaitMin over RetryWaitMax", "configuration", retry(pc.RetryConfiguration{RetryWaitMin: time.Second, RetryWaitMax: time.Millisecond})},
		{"RefreshTokenWaitTime -1", "configuration", refreshWait(-1)},
		{"RefreshTokenWaitTime 10000001", "configuration", refreshWait(10_000_001)},
		{"RefreshTokenWaitTime MinInt", "configuration", refreshWait(math.MinInt)},
		{"RefreshTokenWaitTime MaxInt", "configuration", refreshWait(math.MaxInt)},
		{"gateway Port abc", "configuration", gateway(pc.GateWayConfiguration{Host: "gw.example.test", Port: "abc"})},
		{"gateway Port -1", "configuration", gateway(pc.GateWayConfiguration{Host: "gw.example.test", Port: "-1"})},
		{"gateway Port 70000", "configuration", gateway(pc.GateWayConfiguration{Host: "gw.example.test", Port: "70000"})},
		{"gateway Port 1e3", "configuration", gateway(pc.GateWayConfiguration{Host: "gw.example.test", Port: "1e3"})},
		{"gateway Port huge", "configuration", gateway(pc.GateWayConfiguration{Host: "gw.example.test", Port: "99999999999999999999"})},
		{"gateway Host with space", "configuration", gateway(pc.GateWayConfiguration{Host: "gw example"})},
		{"gateway Host invalid UTF-8", "invalid_argument", gateway(pc.GateWayConfiguration{Host: "gw\xff"})},
		{"LogLevel -1", "configuration", withCfg(func(c *pc.Configuration) { c.LoggingConfiguration.SetLogLevel(-1) })},
		{"LogLevel 4", "configuration", withCfg(func(c *pc.Configuration) { c.LoggingConfiguration.LogLevel = 4 })},
		{"LogFormat -1", "configuration", withCfg(func(c *pc.Configuration) { c.LoggingConfiguration.SetLogFormat(-1) })},
		{"LogFormat 2", "configuration", withCfg(func(c *pc.Configuration) { c.LoggingConfiguration.SetLogFormat(2) })},
		{"PKCE verifier -1", "invalid_argument", verifier(-1)},
		{"PKCE verifier 0", "invalid_argument", verifier(0)},
		{"PKCE verifier 42", "invalid_argument", verifier(42)},
		{"PKCE verifier 129", "invalid_argument", verifier(129)},
		{"PKCE verifier MaxInt", "invalid_argument", verifier(math.MaxInt)},
		{"PKCE verifier MinInt", "invalid_argument", verifier(math.MinInt)},

		// Environments and hosts.
		{"BasePath empty", "configuration", basePath("")},
		{"BasePath blank", "configuration", basePath("   ")},
		{"BasePath example.1", "configuration", basePath("example.1")},
		{"BasePath mypurecloud.xn--ie", "configuration", basePath("mypurecloud.xn--ie")},
		{"BasePath nowhere_9", "configuration", basePath("nowhere_9")},
		{"BasePath http://", "configuration", basePath("http://")},
		{"BasePath ftp://", "configuration", basePath("ftp://example.test")},
		{"BasePath invalid UTF-8", "invalid_argument", basePath("\xff\xfe")},
		{"BasePath .com", "configuration", basePath(".com")},
		{"BasePath with space", "configuration", basePath("exa mple.com")},
		{"BasePath remote http", "configuration", basePath("http://api.example.test")},
		{"BasePath [::1", "configuration", basePath("https://[::1")},
		{"BasePath CR/LF", "configuration", basePath("mypurecloud.ie\r\nX-Evil: 1")},
		{"BasePath not punycode", "configuration", basePath("bücher.example")},

		// Proxies.
		{"proxy Host with space", "configuration", proxy(pc.ProxyConfiguration{Host: "pro xy", Port: "80"})},
		{"proxy Port abc", "configuration", proxy(pc.ProxyConfiguration{Host: "proxy.example.test", Port: "abc"})},
		{"proxy Port 99999", "configuration", proxy(pc.ProxyConfiguration{Host: "proxy.example.test", Port: "99999", Auth: &pc.Auth{UserName: "u", Password: "p"}})},
		{"proxy Protocol ftp", "configuration", proxy(pc.ProxyConfiguration{Protocol: "ftp", Host: "proxy.example.test", Port: "21"})},
		{"proxy Host invalid UTF-8", "invalid_argument", proxy(pc.ProxyConfiguration{Host: "proxy\xff"})},
		{"proxy password invalid UTF-8", "invalid_argument", proxy(pc.ProxyConfiguration{Host: "proxy.example.test", Port: "3128", Auth: &pc.Auth{UserName: "u", Password: "\xff"}})},

		// Headers.
		{"DefaultHeader value CR/LF", "invalid_argument", header("X-App", "a\r\nX-Evil: 1")},
		{"DefaultHeader name CR/LF", "invalid_argument", header("X-App\r\nX-Evil", "1")},
		{"DefaultHeader value LF", "invalid_argument", header("X-App", "a\nb")},
		{"DefaultHeader name empty", "invalid_argument", header("", "1")},
		{"DefaultHeader name with space", "invalid_argument", header("Bad Header", "1")},
		{"DefaultHeader value invalid UTF-8", "invalid_argument", header("X-App", "\xff")},
		{"DefaultHeader value NUL", "invalid_argument", header("X-App", "a\x00b")},

		// TLS.
		{"mTLS CA garbage", "configuration", mtls("garbage", "", "")},
		{"mTLS CA bad base64", "configuration", mtls("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n", "", "")},
		{"mTLS certificate without key", "invalid_argument", func() error { return (&pc.APIClient{}).SetMTLSContents("cert", "", "") }},
		{"mTLS key without certificate", "invalid_argument", func() error { return (&pc.APIClient{}).SetMTLSContents("", "key", "") }},
		{"mTLS garbage identity", "configuration", mtls("", "garbage cert", "garbage key")},
		{"mTLS files missing", "configuration", func() error {
			var a pc.APIClient
			return a.SetMTLSCertificates(missing, "", "")
		}},
		{"config file missing", "configuration", func() error {
			_, err := pc.NewConfigurationWithConfigFile(filepath.Join(dir, "nope"), false)
			return err
		}},
		{"config file is a directory", "configuration", func() error {
			_, err := pc.NewConfigurationWithConfigFile(dir, false)
			return err
		}},
		{"config file invalid", "configuration", func() error {
			p := filepath.Join(dir, "bad.ini")
			if err := os.WriteFile(p, []byte("[logging]\nlog_level = loud\n"), 0o600); err != nil {
				return err
			}
			_, err := pc.NewConfigurationWithConfigFile(p, false)
			return err
		}},

		// Zero values and nil.
		{"zero Configuration AuthData", "configuration", func() error { _, err := (&pc.Configuration{}).AuthData(); return err }},
		{"zero Configuration call", "no_invoker", func() error {
			_, _, err := pc.NewUsersApiWithConfig(&pc.Configuration{}).GetUsersMe(nil, "", nil)
			return err
		}},
		{"zero Configuration grant", "configuration", func() error {
			return (&pc.Configuration{}).AuthorizeClientCredentials(clientID, clientSecret)
		}},
		{"zero Configuration AuthorizeURL", "configuration", func() error {
			_, _, err := (&pc.Configuration{}).AuthorizeURL(pc.AuthorizeRequest{ClientID: "a", RedirectURI: r})
			return err
		}},
		{"nil Invoker", "no_invoker", func() error {
			c := fresh()
			c.Invoker = nil
			_, _, err := pc.NewUsersApiWithConfig(c).GetUser("u", nil, "", nil, "")
			return err
		}},

		// Tokens set by hand.
		{"AccessToken blank", "invalid_argument", call(func(c *pc.Configuration) { c.AccessToken = "   " })},
		{"AccessToken invalid UTF-8", "invalid_argument", call(func(c *pc.Configuration) { c.AccessToken = "tok\xff" })},
		{"AccessToken CR/LF", "invalid_argument", call(func(c *pc.Configuration) { c.AccessToken = "tok\r\nX-Evil: 1" })},
		{"AccessToken rejected", "authentication", call(func(c *pc.Configuration) { c.AccessToken = "not-a-token" })},
		{"no token", "authentication", call(func(c *pc.Configuration) {})},

		// Grants.
		{"client credentials empty", "invalid_argument", grant(func(c *pc.Configuration) error { return c.AuthorizeClientCredentials("", "") })},
		{"client credentials empty id", "invalid_argument", grant(func(c *pc.Configuration) error { return c.AuthorizeClientCredentials("", clientSecret) })},
		{"client credentials empty secret", "invalid_argument", grant(func(c *pc.Configuration) error { return c.AuthorizeClientCredentials(clientID, "") })},
		{"client credentials wrong secret", "authentication", grant(func(c *pc.Configuration) error { return c.AuthorizeClientCredentials(clientID, "wrong") })},
		{"client credentials invalid UTF-8 id", "invalid_argument", grant(func(c *pc.Configuration) error { return c.AuthorizeClientCredentials("\xff", "s") })},
		{"client credentials invalid UTF-8 secret", "invalid_argument", grant(func(c *pc.Configuration) error { return c.AuthorizeClientCredentials(clientID, "\xff") })},
		{"client credentials CR/LF id", "authentication", grant(func(c *pc.Configuration) error { return c.AuthorizeClientCredentials("id\r\nX: 1", "s") })},
		{"saml2 empty", "invalid_argument", grant(func(c *pc.Configuration) error { _, err := c.AuthorizeSaml2Bearer("", "", "", ""); return err })},
		{"saml2 empty org", "invalid_argument", grant(func(c *pc.Configuration) error {
			_, err := c.AuthorizeSaml2Bearer(clientID, clientSecret, "", samlAssertion)
			return err
		})},
		{"saml2 empty assertion", "invalid_argument", grant(func(c *pc.Configuration) error {
			_, err := c.AuthorizeSaml2Bearer(clientID, clientSecret, samlOrg, "")
			return err
		})},
		{"saml2 wrong org", "authentication", grant(func(c *pc.Configuration) error {
			_, err := c.AuthorizeSaml2Bearer(clientID, clientSecret, "other-org", "eA==")
			return err
		})},
		{"code grant empty code", "invalid_argument", grant(func(c *pc.Configuration) error {
			_, err := c.AuthorizeCodeGrant(codeID, codeSecret, "", r)
			return err
		})},
		{"code grant bad code", "authentication", grant(func(c *pc.Configuration) error {
			_, err := c.AuthorizeCodeGrant(codeID, codeSecret, "bad-code", r)
			return err
		})},
		{"code grant empty redirect", "invalid_argument", grant(func(c *pc.Configuration) error {
			_, err := c.AuthorizeCodeGrant(codeID, codeSecret, "c", "")
			return err
		})},
		{"refresh empty token", "invalid_argument", grant(func(c *pc.Configuration) error {
			_, err := c.RefreshAuthorizationCodeGrant(codeID, codeSecret, "")
			return err
		})},
		{"refresh bogus token", "authentication", grant(func(c *pc.Configuration) error {
			_, err := c.RefreshAuthorizationCodeGrant(codeID, codeSecret, "bogus")
			return err
		})},
		{"PKCE empty verifier", "invalid_argument", grant(func(c *pc.Configuration) error {
			_, err := c.AuthorizePKCEGrant(publicID, "", "code", r)
			return err
		})},
		{"PKCE empty code", "invalid_argument", grant(func(c *pc.Configuration) error {
			_, err := c.AuthorizePKCEGrant(publicID, "v", "", r)
			return err
		})},
		{"PKCE bad code", "authentication", grant(func(c *pc.Configuration) error {
			_, err := c.AuthorizePKCEGrant(publicID, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "bad-code", r)
			return err
		})},
		{"implicit empty", "authentication", implicit("", "")},
		{"implicit not a url", "authentication", implicit("not a url", "")},
		{"implicit no fragment", "authentication", implicit("http://localhost:8085/callback", "")},
		{"implicit error", "authentication", implicit("http://localhost:8085/callback#error=access_denied", "")},
		{"implicit wrong state", "authentication", implicit("http://localhost:8085/callback#access_token=t&state=evil", "s")},
		{"implicit expires_in twice", "authentication", implicit("http://localhost:8085/callback#access_token=t&expires_in=1&expires_in=9", "")},
		{"implicit access_token twice", "authentication", implicit("http://localhost:8085/callback#access_token=a&access_token=b", "")},
		{"code redirect code twice", "authentication", codeOf("http://localhost:8085/callback?code=a&code=b", "")},
		{"implicit invalid UTF-8", "invalid_argument", implicit("http://x/\xff#access_token=t", "")},

		// PKCE helpers and redirects.
		{"challenge empty", "invalid_argument", challenge("")},
		{"challenge invalid UTF-8", "invalid_argument", challenge("\xff")},
		{"code redirect empty", "authentication", codeOf("", "")},
		{"code redirect not a url", "authentication", codeOf("not a url", "")},
		{"code redirect without code", "authentication", codeOf("http://localhost:8085/callback?state=s", "")},
		{"code redirect error", "authentication", codeOf("http://localhost:8085/callback?error=access_denied", "")},
		{"code redirect wrong state", "authentication", codeOf("http://localhost:8085/callback?code=c&state=evil", "s")},
		{"code redirect invalid UTF-8", "invalid_argument", codeOf("http://x/?code=\xff", "")},
		{"authorize URL zero request", "invalid_argument", authURL(pc.AuthorizeRequest{})},
		{"authorize URL without redirect", "invalid_argument", authURL(pc.AuthorizeRequest{ClientID: "a"})},
		{"authorize URL without client id", "invalid_argument", authURL(pc.AuthorizeRequest{RedirectURI: r})},
		{"authorize URL invalid UTF-8 id", "invalid_argument", authURL(pc.AuthorizeRequest{ClientID: "\xff", RedirectURI: r})},
		{"authorize URL invalid UTF-8 state", "invalid_argument", authURL(pc.AuthorizeRequest{ClientID: "a", RedirectURI: r, State: "\xff"})},

		// Calls.
		{"GetUser empty id", "invalid_argument", func() error { _, _, err := users.GetUser("", nil, "", nil, ""); return err }},
		{"GetUser unknown id", "http_status", func() error { _, _, err := users.GetUser("no-such-user", nil, "", nil, ""); return err }},
		{"DeleteUser empty id", "invalid_argument", func() error { _, _, err := users.DeleteUser(""); return err }},
		{"GetUsersMe cancelled", "context", func() error { _, _, err := users.GetUsersMeWithContext(cancelled, nil, "", nil); return err }},
		{"GetUsersMe deadline passed", "context", func() error { _, _, err := users.GetUsersMeWithContext(expired, nil, "", nil); return err }},
		{"reply not JSON", "decoding", invoker(&pc.APIResponse{StatusCode: 200, IsSuccess: true, HasBody: true, RawBody: []byte("{")})},
		{"reply of another shape", "decoding", invoker(&pc.APIResponse{StatusCode: 200, IsSuccess: true, HasBody: true, RawBody: []byte("[1,2]")})},
		{"reply 500 without body", "http_status", invoker(&pc.APIResponse{StatusCode: 500, Status: "500 Internal Server Error"})},
		{"reply 404 with message", "http_status", invoker(&pc.APIResponse{StatusCode: 404, Status: "404 Not Found", ErrorMessage: "API Error: 404 - gone (c)"})},
	}

	var crashes, hangs, untyped, wrong int
	for _, c := range cases {
		done := make(chan outcome, 1)
		go func() {
			var out outcome
			defer func() {
				out.panicked = recover()
				done <- out
			}()
			out.err = c.run()
		}()
		select {
		case out := <-done:
			switch kind := kindOf(out.err); {
			case out.panicked != nil:
				crashes++
				t.Errorf("CRASH %s: panic %v", c.name, out.panicked)
			case kind == "":
				untyped++
				t.Errorf("UNTYPED %s: %T %v", c.name, out.err, out.err)
			case kind != c.want:
				wrong++
				t.Errorf("KIND %s: want %s, got %s: %v", c.name, c.want, kind, out.err)
			}
		case <-time.After(20 * time.Second):
			hangs++
			t.Errorf("HANG %s: no answer in 20 s", c.name)
		}
	}
	summary := fmt.Sprintf("bad input (Go): %d cases, %d crashes, %d hangs, %d untyped errors, %d of another kind than expected", len(cases), crashes, hangs, untyped, wrong)
	fmt.Println(summary)
	if len(cases) < 100 {
		t.Errorf("only %d cases (want at least 100)", len(cases))
	}
	if crashes+hangs+untyped+wrong != 0 {
		t.Error(summary)
	}
}

// Numbers out of range are refused by the core (they reach it as JSON numbers, so a -1
// never wraps around), naming the setting of the one schema in the same words as every
// language.
func TestNumbersNameTheField(t *testing.T) {
	e := startEmulator(t)
	cases := []struct {
		change func(c *pc.Configuration)
		want   string
	}{
		{func(c *pc.Configuration) { c.RetryConfiguration.RetryMax = -1 }, "retry.max_retries must be a whole number from 0 to 100, not -1"},
		{func(c *pc.Configuration) { c.RetryConfiguration.RetryMax = 4294967295 }, "retry.max_retries must be a whole number from 0 to 100, not 4294967295"},
		{func(c *pc.Configuration) { c.RetryConfiguration.RetryWaitMin = -1500 * time.Millisecond }, "retry.wait_min must be a number of seconds from 0 to 10000000, not -1.5"},
		{func(c *pc.Configuration) { c.RetryConfiguration.RetryWaitMax = 10_000_001 * time.Second }, "retry.wait_max must be a number of seconds from 0 to 10000000, not 10000001"},
		{func(c *pc.Configuration) { c.LoggingConfiguration.SetLogLevel(-1) }, "logging.log_level must be one of trace, debug, error, none, not -1"},
		{func(c *pc.Configuration) { c.RefreshTokenWaitTime = -1 }, "refresh.refresh_token_wait_max must be a number of seconds from 0 to 10000000, not -1"},
		{func(c *pc.Configuration) { c.TokenExpiryMargin = -time.Second }, "refresh.expiry_margin must be a number of seconds from 0 to 10000000, not -1"},
		{func(c *pc.Configuration) { c.AuthTimeout = -2 * time.Second }, "auth_timeout must be a number of seconds from 0 to 10000000, not -2"},
		{func(c *pc.Configuration) {
			c.SetGateway(&pc.GateWayConfiguration{Host: "gw.example.test", Port: "-80"})
		}, "gateway.port must be a whole number from 0 to 65535, not -80"},
	}
	for _, c := range cases {
		cfg := e.loggedIn()
		c.change(cfg)
		_, _, err := pc.NewUsersApiWithConfig(cfg).GetUsersMe(nil, "", nil)
		var sdk *pc.SDKError
		if !errors.As(err, &sdk) || sdk.Kind != "configuration" || sdk.Message != c.want {
			t.Errorf("want configuration error %q, got %v", c.want, err)
		}
	}
	// In range again: the next call works with the same configuration.
	cfg := e.loggedIn()
	cfg.RetryConfiguration.RetryMax = -1
	if _, _, err := pc.NewUsersApiWithConfig(cfg).GetUsersMe(nil, "", nil); err == nil {
		t.Fatal("want an error")
	}
	cfg.RetryConfiguration.RetryMax = 100
	if _, resp, err := pc.NewUsersApiWithConfig(cfg).GetUsersMe(nil, "", nil); err != nil || resp.StatusCode != 200 {
		t.Fatalf("fixed: %v", err)
	}
}

// A lifetime the clock cannot hold is clamped by the core, never a panic.
func TestHugeImplicitExpiry(t *testing.T) {
	e := startEmulator(t)
	auth, err := e.config().AuthorizeImplicitGrant("http://localhost:8085/callback#access_token=t&expires_in=18446744073709551615", "")
	if err != nil || auth.ExpiresIn <= 0 || auth.ExpiresAt.IsZero() {
		t.Fatalf("want a clamped expiry, got %v %v", auth, err)
	}
}
