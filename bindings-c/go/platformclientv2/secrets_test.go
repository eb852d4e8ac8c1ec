package platformclientv2_test

// Every public type that can hold a secret prints without it, in every way fmt, log and
// encoding/json can show it; errors from failures involving secrets do not quote them.

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"sort"
	"strings"
	"testing"

	pc "github.com/purecore-sdk/purecore-go/platformclientv2"
)

const (
	secAccess    = "SECRET-ACCESS-TOKEN-a1"
	secRefresh   = "SECRET-REFRESH-TOKEN-b2"
	secClient    = "SECRET-CLIENT-SECRET-c3"
	secProxy     = "SECRET-PROXY-PASSWORD-d4"
	secKey       = "SECRET-PRIVATE-KEY-e5"
	secCookie    = "SECRET-COOKIE-f6"
	secAuthz     = "SECRET-AUTHORIZATION-g7"
	secCode      = "SECRET-CODE-h8"
	secAssertion = "SECRET-ASSERTION-i9"
	secVerifier  = "SECRET-VERIFIER-j10-0123456789012345678901234567890123"
)

var allSecrets = []string{secAccess, secRefresh, secClient, secProxy, secKey, secCookie, secAuthz, secCode, secAssertion, secVerifier}

// renderings is v shown every way fmt, log and json can show it.
func renderings(v any) map[string]string {
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x", "%X", "%T %v", "%10v", "%-v"} {
		out[verb] = fmt.Sprintf(verb, v)
	}
	out["Sprint"] = fmt.Sprint(v)
	out["Sprintln"] = fmt.Sprintln(v)
	var buf bytes.Buffer
	fmt.Fprintln(&buf, v)
	out["Fprintln"] = buf.String()
	buf.Reset()
	logger := log.New(&buf, "", 0)
	logger.Printf("%v %+v %#v", v, v, v)
	logger.Println(v)
	out["log"] = buf.String()
	out["nested %+v"] = fmt.Sprintf("%+v", struct{ V any }{v})
	out["slice %v"] = fmt.Sprintf("%v", []any{v})
	if b, err := json.Marshal(v); err == nil {
		out["json"] = string(b)
	}
	if err, ok := v.(error); ok {
		out["Error()"] = err.Error()
	}
	return out
}

func assertNoSecret(t *testing.T, name string, v any) {
	t.Helper()
	for _, s := range allSecrets {
		hexed := hex.EncodeToString([]byte(s))
		var ways []string
		example := ""
		for how, text := range renderings(v) {
			if strings.Contains(text, s) || strings.Contains(strings.ToLower(text), hexed) {
				ways = append(ways, how)
				example = text
			}
		}
		if len(ways) > 0 {
			sort.Strings(ways)
			t.Errorf("%s shows %s with %s, e.g. %s", name, s, strings.Join(ways, ", "), example)
		}
	}
}

func secretConfiguration() *pc.Configuration {
	cfg := pc.NewConfiguration()
	cfg.AccessToken = secAccess
	cfg.AddDefaultHeader("Authorization", "Bearer "+secAuthz)
	cfg.AddDefaultHeader("Cookie", secCookie)
	cfg.AddDefaultHeader("X-App", "visible")
	cfg.RetryConfiguration = &pc.RetryConfiguration{RetryMax: 2, RequestLogHook: func(*http.Request, int) {}}
	cfg.SetGateway(&pc.GateWayConfiguration{Host: "gw.example.test", PathParams: []*pc.PathParams{{PathName: "login", PathValue: "l"}}})
	cfg.ProxyConfiguration = &pc.ProxyConfiguration{Host: "proxy.example.test", Port: "3128", Auth: &pc.Auth{UserName: "proxyuser", Password: secProxy}}
	_ = cfg.APIClient.SetMTLSContents("ca-pem", "cert-pem", secKey)
	return cfg
}

func TestSecretsNeverPrint(t *testing.T) {
	cfg := secretConfiguration()
	defer cfg.Close()
	auth := pc.AuthResponse{AccessToken: secAccess, RefreshToken: secRefresh, TokenType: "bearer", ExpiresIn: 60}
	proxy := *cfg.ProxyConfiguration
	creds := *proxy.Auth
	header := http.Header{}
	header.Add("Set-Cookie", "session="+secCookie)
	header.Add("Authorization", "Bearer "+secAuthz)
	header.Add("Content-Type", "application/json")
	resp := pc.APIResponse{StatusCode: 200, Status: "200 OK", IsSuccess: true, Header: header, CorrelationID: "cid"}

	objects := map[string]any{
		"*Configuration": cfg, "Configuration": *cfg,
		"*AuthResponse": &auth, "AuthResponse": auth,
		"*ProxyConfiguration": &proxy, "ProxyConfiguration": proxy,
		"*Auth": &creds, "Auth": creds,
		"*APIClient": &cfg.APIClient, "APIClient": cfg.APIClient,
		"*APIResponse": &resp, "APIResponse": resp,
		"Invoker": cfg.Invoker, "*RetryConfiguration": cfg.RetryConfiguration,
		"DefaultHeader": cfg.DefaultHeader,
	}
	for name, v := range objects {
		assertNoSecret(t, name, v)
	}
	// What is not secret still shows, so the redaction is targeted.
	shown := fmt.Sprintf("%+v %v %v", cfg, resp, auth)
	for _, want := range []string{"proxy.example.test", "proxyuser", "visible", "[REDACTED]", "application/json", "bearer"} {
		if !strings.Contains(shown, want) {
			t.Errorf("%q is missing from %s", want, shown)
		}
	}
	// The values themselves are intact.
	if cfg.AccessToken != secAccess || resp.Header.Get("Set-Cookie") != "session="+secCookie {
		t.Fatal("printing changed the values")
	}
}

// Errors of failures whose inputs were secrets do not quote them.
func TestSecretsNotInErrors(t *testing.T) {
	e := startEmulator(t)
	var errs []error
	add := func(err error) {
		if err == nil {
			t.Errorf("want an error (case %d)", len(errs))
		}
		errs = append(errs, err)
	}
	add(e.config().AuthorizeClientCredentials(clientID, secClient))
	_, err := e.config().AuthorizeCodeGrant(codeID, secClient, secCode, redirectURI)
	add(err)
	_, err = e.config().RefreshAuthorizationCodeGrant(codeID, secClient, secRefresh)
	add(err)
	_, err = e.config().AuthorizeSaml2Bearer(clientID, secClient, samlOrg, secAssertion)
	add(err)
	_, err = e.config().AuthorizePKCEGrant(publicID, secVerifier, secCode, redirectURI)
	add(err)
	_, err = e.config().AuthorizeImplicitGrant("http://localhost:8085/callback#access_token="+secAccess+"&state=evil", "s")
	add(err)
	_, err = pc.ParseCodeRedirect("http://localhost:8085/callback?code="+secCode+"&state=evil", "s")
	add(err)
	_, err = e.config().ComputePKCECodeChallenge(secVerifier + "\xff")
	add(err)

	bad := func(change func(c *pc.Configuration)) {
		c := e.config()
		change(c)
		_, _, err := pc.NewUsersApiWithConfig(c).GetUsersMe(nil, "", nil)
		add(err)
	}
	bad(func(c *pc.Configuration) { c.AccessToken = secAccess + "\r\nX-Evil: 1" })
	bad(func(c *pc.Configuration) { c.AccessToken = secAccess + "\xff" })
	bad(func(c *pc.Configuration) { c.AccessToken = secAccess })
	bad(func(c *pc.Configuration) { c.AddDefaultHeader("Authorization", "Bearer "+secAuthz+"\r\nX-Evil: 1") })
	bad(func(c *pc.Configuration) { c.AddDefaultHeader("Cookie", secCookie+"\n") })
	bad(func(c *pc.Configuration) {
		c.ProxyConfiguration = &pc.ProxyConfiguration{Host: "proxy.example.test", Port: "99999", Auth: &pc.Auth{UserName: "u", Password: secProxy}}
	})
	bad(func(c *pc.Configuration) {
		c.ProxyConfiguration = &pc.ProxyConfiguration{Host: "pro xy", Port: "1", Auth: &pc.Auth{UserName: "u", Password: secProxy + "\xff"}}
	})
	// Credentials written into the proxy host itself (a URL with user-info).
	bad(func(c *pc.Configuration) {
		c.ProxyConfiguration = &pc.ProxyConfiguration{Host: "u:" + secProxy + "@pro xy", Port: "1"}
	})
	bad(func(c *pc.Configuration) { _ = c.APIClient.SetMTLSContents("", "garbage cert", secKey) })
	bad(func(c *pc.Configuration) { _ = c.APIClient.SetMTLSContents("", "", secKey) })

	for i, err := range errs {
		if err == nil {
			continue
		}
		var sdk *pc.SDKError
		var api *pc.APIError
		if !errors.As(err, &sdk) && !errors.As(err, &api) {
			t.Errorf("case %d: untyped %T %v", i, err, err)
		}
		assertNoSecret(t, fmt.Sprintf("error %d (%T)", i, err), err)
	}
}
