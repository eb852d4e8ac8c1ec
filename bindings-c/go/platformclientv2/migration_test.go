package platformclientv2_test

// Code written for the official Go SDK, run unchanged: a program in the style of its
// test programs (pointer helpers, []T results, mTLS, proxy and gateway), plus SetField,
// CallAPI, typed errors, AccessToken after a renewal and the grants with a context.

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	pc "github.com/purecore-sdk/purecore-go/platformclientv2"
)

// connectProxy is an HTTPS (CONNECT) proxy that requires Basic proxy credentials.
type connectProxy struct {
	addr             string
	connects, denied atomic.Int32
	mu               sync.Mutex
	conns            []net.Conn
}

func startConnectProxy(t *testing.T, user, pass string) *connectProxy {
	t.Helper()
	p := &connectProxy{}
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
			return
		}
		if r.Header.Get("Proxy-Authorization") != want {
			p.denied.Add(1)
			w.Header().Set("Proxy-Authenticate", `Basic realm="test"`)
			w.WriteHeader(http.StatusProxyAuthRequired)
			return
		}
		up, err := net.Dial("tcp", r.Host)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			up.Close()
			return
		}
		p.connects.Add(1)
		p.mu.Lock()
		p.conns = append(p.conns, conn, up)
		p.mu.Unlock()
		_, _ = conn.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n"))
		go func() { _, _ = io.Copy(up, buf.Reader); up.Close() }()
		go func() { _, _ = io.Copy(conn, up); conn.Close() }()
	}))
	t.Cleanup(func() {
		srv.Close()
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, c := range p.conns {
			c.Close()
		}
	})
	p.addr = strings.TrimPrefix(srv.URL, "http://")
	return p
}

// startMTLSEmulator starts an emulator that refuses clients without a certificate and
// returns it with the folder holding ca.pem, client.pem and client-key.pem.
func startMTLSEmulator(t *testing.T) (*emulator, string) {
	dir := t.TempDir()
	e := startEmulator(t, "--mtls", dir)
	for _, f := range []string{"ca.pem", "client.pem", "client-key.pem"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Fatalf("the emulator did not write %s: %v", f, err)
		}
	}
	return e, dir
}

func TestMigrationProgram(t *testing.T) {
	t.Parallel()
	e, dir := startMTLSEmulator(t)
	certPath, keyPath, caPath := filepath.Join(dir, "client.pem"), filepath.Join(dir, "client-key.pem"), filepath.Join(dir, "ca.pem")

	// 1. log in (over mTLS, the certificates given in the official order)
	config := pc.NewConfiguration()
	t.Cleanup(config.Close)
	config.BasePath = e.URL
	if err := config.APIClient.SetMTLSCertificates(certPath, keyPath, caPath); err != nil {
		t.Fatal(err)
	}
	if err := config.AuthorizeClientCredentials(clientID, clientSecret); err != nil {
		t.Fatalf("log in: %v", err)
	}
	usersAPI := pc.NewUsersApiWithConfig(config)

	// 2. create a user with only name, email and password
	user, _, err := usersAPI.PostUsers(pc.CreateUser{
		Name:     pc.String("Migration User"),
		Email:    pc.String("migration.user@example.test"),
		Password: pc.String("Migr4tion!Pass"),
	})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if user.Id == nil || user.Version == nil || *user.Version != 1 || *user.Name != "Migration User" {
		t.Fatalf("created: %+v", user)
	}
	userID := *user.Id

	// 3. update it with its version
	updated, _, err := usersAPI.PatchUser(userID, pc.UpdateUser{
		Version:    user.Version,
		Title:      pc.String("Engineer"),
		Department: pc.String("Platform"),
	})
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	if *updated.Version != 2 || *updated.Title != "Engineer" {
		t.Fatalf("updated: version %d title %v", *updated.Version, updated.Title)
	}

	// 4. set its profile skills: the result is a []string, as in the official SDK
	var skills []string
	skills, _, err = usersAPI.PutUserProfileskills(userID, []string{"Go", "Rust"})
	if err != nil || len(skills) != 2 || skills[0] != "Go" || skills[1] != "Rust" {
		t.Fatalf("profile skills: %v %v", skills, err)
	}

	// 5. get it with expand
	got, _, err := usersAPI.GetUser(userID, []string{"profileSkills"}, "", nil, "")
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	if got.ProfileSkills == nil || strings.Join(*got.ProfileSkills, ",") != "Go,Rust" || *got.Title != "Engineer" || *got.Department != "Platform" {
		t.Fatalf("expanded: %+v", got)
	}

	// 6. get it through a proxy that needs credentials
	proxy := startConnectProxy(t, "proxyuser", "proxy-pass")
	viaProxy := pc.NewConfiguration()
	t.Cleanup(viaProxy.Close)
	viaProxy.BasePath = e.URL
	if err := viaProxy.APIClient.SetMTLSCertificates(certPath, keyPath, caPath); err != nil {
		t.Fatal(err)
	}
	viaProxy.APIClient.SetProxyAgent(&pc.ProxyAgent{ProxyURL: "http://proxyuser:proxy-pass@" + proxy.addr})
	if err := viaProxy.AuthorizeClientCredentials(clientID, clientSecret); err != nil {
		t.Fatalf("log in through the proxy: %v", err)
	}
	proxied, _, err := pc.NewUsersApiWithConfig(viaProxy).GetUser(userID, nil, "", nil, "")
	if err != nil || *proxied.Id != userID {
		t.Fatalf("get through the proxy: %v", err)
	}
	if proxy.connects.Load() == 0 || proxy.denied.Load() != 0 {
		t.Fatalf("the proxy saw %d tunnels and %d refusals", proxy.connects.Load(), proxy.denied.Load())
	}
	noCreds := pc.NewConfiguration()
	t.Cleanup(noCreds.Close)
	noCreds.BasePath = e.URL
	noCreds.RetryConfiguration = &pc.RetryConfiguration{RetryMax: 0} // fail at once
	_ = noCreds.APIClient.SetMTLSCertificates(certPath, keyPath, caPath)
	noCreds.APIClient.SetProxyAgent(&pc.ProxyAgent{ProxyURL: "http://" + proxy.addr})
	if err := noCreds.AuthorizeClientCredentials(clientID, clientSecret); err == nil || proxy.denied.Load() == 0 {
		t.Fatalf("the proxy requires credentials: %v", err)
	}

	// 7. get it through a gateway that needs mTLS (MTLSConfiguration holds the PEMs)
	u, _ := url.Parse(e.URL)
	pem := func(p string) []byte {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	gateway := &pc.GateWayConfiguration{Protocol: "https", Host: u.Hostname(), Port: u.Port(),
		PathParams: []*pc.PathParams{{PathName: "login", PathValue: "gw/login"}, {PathName: "api", PathValue: "gw/api"}}}
	viaGateway := pc.NewConfiguration()
	t.Cleanup(viaGateway.Close)
	viaGateway.BasePath = "https://api.gateway-only.localhost:9" // never reached: the gateway is
	viaGateway.SetGateway(gateway)
	viaGateway.MTLSConfiguration = &pc.MTLSConfiguration{CertFile: pem(certPath), KeyFile: pem(keyPath), CAFile: pem(caPath)}
	if err := viaGateway.AuthorizeClientCredentials(clientID, clientSecret); err != nil {
		t.Fatalf("log in through the gateway: %v", err)
	}
	if gw, _, err := pc.NewUsersApiWithConfig(viaGateway).GetUser(userID, nil, "", nil, ""); err != nil || *gw.Id != userID {
		t.Fatalf("get through the gateway: %v", err)
	}
	noCert := pc.NewConfiguration()
	t.Cleanup(noCert.Close)
	noCert.BasePath = "https://api.gateway-only.localhost:9"
	noCert.RetryConfiguration = &pc.RetryConfiguration{RetryMax: 0} // fail at once
	noCert.SetGateway(gateway)
	if err := noCert.APIClient.SetMTLSContents("", "", string(pem(caPath))); err != nil {
		t.Fatal(err)
	}
	var sdkErr *pc.SDKError
	if err := noCert.AuthorizeClientCredentials(clientID, clientSecret); !errors.As(err, &sdkErr) || sdkErr.Kind != "connection" {
		t.Fatalf("the gateway refuses a client without a certificate: %v", err)
	}

	// 8. delete it
	if _, _, err := usersAPI.DeleteUser(userID); err != nil {
		t.Fatalf("delete: %v", err)
	}
	_, resp, err := usersAPI.GetUser(userID, nil, "", nil, "")
	var apiErr *pc.APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 404 || resp.StatusCode != 404 {
		t.Fatalf("deleted: %v", err)
	}
}

func TestPointerHelpers(t *testing.T) {
	now := time.Now()
	if *pc.String("a") != "a" || !*pc.Bool(true) || *pc.Int(3) != 3 || *pc.Int32(4) != 4 || *pc.Int64(5) != 5 ||
		*pc.Float32(1.5) != 1.5 || *pc.Float64(2.5) != 2.5 || !pc.Time(now).Equal(now) {
		t.Fatal("pointer helpers")
	}
	if pc.String("a") == pc.String("a") {
		t.Fatal("each call returns a new pointer")
	}
}

func TestSetFieldSendsNull(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	cfg := e.loggedIn()
	api := pc.NewUsersApiWithConfig(cfg)
	user, _, err := api.PostUsers(pc.CreateUser{Name: pc.String("Null Test"), Email: pc.String("null.test@example.test"), Title: pc.String("Boss")})
	if err != nil {
		t.Fatal(err)
	}
	// A nil field is left out: the title stays.
	update := pc.UpdateUser{Version: user.Version, Department: pc.String("Sales")}
	user, _, err = api.PatchUser(*user.Id, update)
	if err != nil || user.Title == nil || *user.Title != "Boss" {
		t.Fatalf("without SetField: %v %+v", err, user)
	}
	// SetField(name, nil) sends an explicit null: the title goes.
	update = pc.UpdateUser{}
	update.SetField("Version", user.Version)
	update.SetField("Title", nil)
	user, _, err = api.PatchUser(*user.Id, update)
	if err != nil {
		t.Fatal(err)
	}
	if user.Title != nil || *user.Department != "Sales" || *user.Version != 3 {
		t.Fatalf("after SetField(\"Title\", nil): %+v", user)
	}
	reqs := e.requests()
	body := reqs[len(reqs)-1].Body
	if !strings.Contains(body, `"title":null`) || !strings.Contains(body, `"version":2`) {
		t.Fatalf("sent %s", body)
	}
	// A value of the element type is stored through a pointer; the JSON name works too.
	update = pc.UpdateUser{}
	update.SetField("title", "Chief")
	if update.Title == nil || *update.Title != "Chief" {
		t.Fatalf("SetField by JSON name: %+v", update)
	}
	// A bad name or type fails the call with a message naming it, before sending.
	before := len(e.requests())
	bad := pc.UpdateUser{Version: user.Version}
	bad.SetField("Titel", nil)
	if _, _, err := api.PatchUser(*user.Id, bad); err == nil || !strings.Contains(err.Error(), `no field "Titel"`) {
		t.Fatalf("bad field name: %v", err)
	}
	bad = pc.UpdateUser{Version: user.Version}
	bad.SetField("Title", 42)
	if _, _, err := api.PatchUser(*user.Id, bad); err == nil || !strings.Contains(err.Error(), "UpdateUser.Title is *string, not int") {
		t.Fatalf("bad field type: %v", err)
	}
	if n := len(e.requests()); n != before {
		t.Fatalf("%d requests were sent for bad models", n-before)
	}
}

func TestCallAPI(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	cfg := e.loggedIn()
	resp, err := cfg.APIClient.CallAPI(cfg.BasePath+"/api/v2/users/me", "GET", nil, map[string]string{"X-Test": "1"},
		map[string]string{"expand": "presence", "empty": ""}, nil, "", nil, "")
	if err != nil || !resp.IsSuccess || resp.StatusCode != 200 || !strings.Contains(string(resp.RawBody), `"id"`) {
		t.Fatalf("GET users/me: %v %+v", err, resp)
	}
	last := e.requests()[len(e.requests())-1]
	if last.Path != "/api/v2/users/me" || last.Query != "expand=presence" || last.header("x-test") != "1" ||
		!strings.HasPrefix(last.header("authorization"), "Bearer ") {
		t.Fatalf("sent %+v", last)
	}
	body := pc.CreateUser{Name: pc.String("Raw User"), Email: pc.String("raw.user@example.test")}
	resp, err = cfg.APIClient.CallAPI("/api/v2/users", "POST", body, nil, nil, nil, "", nil, "")
	if err != nil || resp.StatusCode != 200 || !strings.Contains(string(resp.RawBody), "raw.user@example.test") {
		t.Fatalf("POST users: %v %+v", err, resp)
	}
	// A Content-Type header gives the type of the body, sent once.
	resp, err = cfg.APIClient.CallAPI("/api/v2/users", "POST", `{"name":"Typed Body","email":"typed.body@example.test"}`,
		map[string]string{"Content-Type": "application/json; charset=utf-8"}, nil, nil, "", nil, "")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("POST with a Content-Type: %v %+v", err, resp)
	}
	last = e.requests()[len(e.requests())-1]
	var types []string
	for _, h := range last.Headers {
		if h[0] == "content-type" {
			types = append(types, h[1])
		}
	}
	if len(types) != 1 || types[0] != "application/json; charset=utf-8" || !strings.Contains(last.Body, "typed.body@example.test") {
		t.Fatalf("content types sent: %q, body %s", types, last.Body)
	}
	// A non-2xx reply is a response, as in the official SDK.
	resp, err = cfg.APIClient.CallAPI(cfg.BasePath+"/api/v2/users/00000000-0000-4000-8000-0000000000ff", "GET", nil, nil, nil, nil, "", nil, "")
	if err != nil || resp.IsSuccess || resp.StatusCode != 404 || resp.Error == nil || resp.Error.Code == "" {
		t.Fatalf("404: %v %+v", err, resp)
	}
	var sdkErr *pc.SDKError
	if _, err := cfg.APIClient.CallAPI("/oauth/token", "POST", nil, nil, nil, url.Values{"grant_type": {"client_credentials"}}, "", nil, "login"); !errors.As(err, &sdkErr) || sdkErr.Kind != "invalid_argument" {
		t.Fatalf("pathName login: %v", err)
	}
	if _, err := cfg.APIClient.CallAPI("users/me", "GET", nil, nil, nil, nil, "", nil, ""); !errors.As(err, &sdkErr) || !strings.Contains(sdkErr.Message, "users/me") {
		t.Fatalf("a relative path: %v", err)
	}
	var detached pc.APIClient
	if _, err := detached.CallAPI("/api/v2/users/me", "GET", nil, nil, nil, nil, "", nil, ""); !errors.As(err, &sdkErr) || sdkErr.Kind != "configuration" {
		t.Fatalf("an APIClient without a Configuration: %v", err)
	}
}

func TestTypedAPIErrors(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	cfg := e.loggedIn()
	cfg.RetryConfiguration.RetryMax = 0
	usersAPI := pc.NewUsersApiWithConfig(cfg)

	e.fault(map[string]any{"kind": "status", "status": 429, "retry_after": 7, "count": 1, "target": "api"})
	_, resp, err := usersAPI.GetUsersMe(nil, "", nil)
	var sdkErr *pc.SDKError
	if !errors.As(err, &sdkErr) || sdkErr.Kind != "rate_limited" || sdkErr.StatusCode != 429 || sdkErr.RetryAfter != 7*time.Second {
		t.Fatalf("429: %#v", err)
	}
	var apiErr *pc.APIError
	if !errors.As(err, &apiErr) || apiErr.Kind != "rate_limited" || apiErr.RetryAfter != 7*time.Second || apiErr.Status != 429 || resp.StatusCode != 429 {
		t.Fatalf("429 as *APIError: %#v", err)
	}

	// A 401 that survives the renewal: the kind says so.
	e.fault(map[string]any{"kind": "status", "status": 401, "count": 5, "target": "api"})
	_, resp, err = usersAPI.GetUsersMe(nil, "", nil)
	if !errors.As(err, &sdkErr) || sdkErr.Kind != "authentication" || sdkErr.StatusCode != 401 || resp == nil || resp.StatusCode != 401 {
		t.Fatalf("401: %#v", err)
	}
	e.do("POST", "/admin/reset", map[string]any{})

	// Other statuses keep the http_status kind; a non-JSON body still gives a typed error.
	e.fault(map[string]any{"kind": "status", "status": 502, "count": 1, "target": "api", "body": "<html>Bad gateway</html>", "content_type": "text/html"})
	_, _, err = usersAPI.GetUsersMe(nil, "", nil)
	if !errors.As(err, &sdkErr) || sdkErr.Kind != "http_status" || sdkErr.StatusCode != 502 || !errors.As(err, &apiErr) {
		t.Fatalf("502: %#v", err)
	}
}

func TestAccessTokenAfterRenewal(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	cfg := e.loggedIn()
	first := cfg.AccessToken
	if first == "" {
		t.Fatal("no token after the grant")
	}
	for round := 0; round < 2; round++ { // twice: the synchronised field stays renewable
		old := cfg.AccessToken
		e.expireTokens()
		if _, _, err := me(t, cfg); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		auth, err := cfg.AuthData()
		if err != nil {
			t.Fatal(err)
		}
		if cfg.AccessToken == old || cfg.AccessToken != auth.AccessToken {
			t.Fatalf("round %d: AccessToken is not the renewed token", round)
		}
	}
	if n := e.counters().TokenRequests; n != 3 {
		t.Fatalf("%d token requests, want 3 (the grant and two renewals)", n)
	}
	// A token set by hand is kept.
	cfg.AccessToken = first
	_, _, _ = me(t, cfg)
	if cfg.AccessToken != first {
		t.Fatal("a token set by hand was replaced")
	}
}

// TestAccessTokenRace is meant for go test -race: calls renew the token while the
// field is read after each call on the same goroutine.
func TestAccessTokenRace(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	cfg := e.loggedIn()
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 5; j++ {
				if _, _, err := pc.NewUsersApiWithConfig(cfg).GetUsersMe(nil, "", nil); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	e.expireTokens()
	wg.Wait()
	if _, _, err := me(t, cfg); err != nil {
		t.Fatal(err)
	}
	if auth, _ := cfg.AuthData(); cfg.AccessToken != auth.AccessToken {
		t.Fatal("AccessToken is not the token in use")
	}
}

func TestAuthorizeWithContextTimesOut(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	cfg := e.config()
	// Enough delayed replies for every try (token requests that time out are retried).
	e.fault(map[string]any{"kind": "delay", "ms": 3000, "target": "token", "count": 20})

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := cfg.AuthorizeClientCredentialsWithContext(ctx, clientID, clientSecret)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Fatalf("deadline: %v after %s", err, time.Since(start))
	}
	ctx2, cancel2 := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel2)
	start = time.Now()
	if _, err := cfg.AuthorizeCodeGrantWithContext(ctx2, codeID, codeSecret, "no-code", redirectURI); !errors.Is(err, context.Canceled) || time.Since(start) > 2*time.Second {
		t.Fatalf("cancel: %v after %s", err, time.Since(start))
	}

	// AuthTimeout bounds the blocking grant (purecore's token-request timeout).
	cfg.AuthTimeout = 300 * time.Millisecond
	start = time.Now()
	var sdkErr *pc.SDKError
	if err := cfg.AuthorizeClientCredentials(clientID, clientSecret); !errors.As(err, &sdkErr) || sdkErr.Kind != "timeout" || time.Since(start) > 3*time.Second {
		t.Fatalf("AuthTimeout: %v after %s", err, time.Since(start))
	}
	cfg.AuthTimeout = -time.Second
	if err := cfg.AuthorizeClientCredentials(clientID, clientSecret); !errors.As(err, &sdkErr) || !strings.Contains(sdkErr.Message, "auth_timeout") {
		t.Fatalf("a negative AuthTimeout: %v", err)
	}

	// Without a fault, the context variant logs in and the token is used.
	e.do("POST", "/admin/reset", map[string]any{})
	cfg.AuthTimeout = 0
	if err := cfg.AuthorizeClientCredentialsWithContext(context.Background(), clientID, clientSecret); err != nil || cfg.AccessToken == "" {
		t.Fatal(err)
	}
	if _, _, err := me(t, cfg); err != nil {
		t.Fatal(err)
	}
}

func TestSetMTLSContentsNeedsCertAndKey(t *testing.T) {
	var c pc.APIClient
	var sdkErr *pc.SDKError
	if err := c.SetMTLSContents("CERT", "", ""); !errors.As(err, &sdkErr) || sdkErr.Kind != "invalid_argument" {
		t.Fatalf("a certificate without a key: %v", err)
	}
}

func TestNewSecretHoldersDoNotPrintSecrets(t *testing.T) {
	agent := &pc.ProxyAgent{ProxyURL: "http://proxyuser:proxy-pass@127.0.0.1:3128"}
	mtls := &pc.MTLSConfiguration{CertFile: []byte("CERT"), KeyFile: []byte("PRIVATE-KEY-BYTES"), CAFile: []byte("CA")}
	out := fmt.Sprintf("%v %+v %#v %s %v %+v %#v", agent, *agent, agent, agent, mtls, *mtls, mtls)
	if strings.Contains(out, "proxy-pass") || strings.Contains(out, "PRIVATE-KEY") || strings.Contains(out, "80, 82") {
		t.Fatalf("a secret is printed: %s", out)
	}
	if !strings.Contains(out, "proxyuser") || !strings.Contains(out, "127.0.0.1:3128") {
		t.Fatalf("the proxy is not shown: %s", out)
	}
}

func TestUndecodableReplyIsTyped(t *testing.T) {
	t.Parallel()
	cfg := pc.NewConfiguration()
	cfg.Invoker = pc.InvokerFunc(func(ctx context.Context, id string, params map[string]any) (*pc.APIResponse, error) {
		return &pc.APIResponse{StatusCode: 200, Status: "200 OK", IsSuccess: true, RawBody: []byte("{not json")}, nil
	})
	_, _, err := pc.NewUsersApiWithConfig(cfg).GetUsersMe(nil, "", nil)
	var sdkErr *pc.SDKError
	if !errors.As(err, &sdkErr) || sdkErr.Kind != "decoding" || !strings.Contains(sdkErr.Message, "getUsersMe") {
		t.Fatalf("an undecodable reply: %#v", err)
	}
}

// TokenExpiryMargin: the renewal margin is set from Go (capped at half the lifetime).
func TestTokenExpiryMargin(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	e.do("POST", "/admin/token-lifetime", map[string]any{"seconds": 4})
	cfg := e.config()
	cfg.TokenExpiryMargin = 500 * time.Millisecond
	if err := cfg.AuthorizeClientCredentials(clientID, clientSecret); err != nil {
		t.Fatal(err)
	}
	if _, _, err := me(t, cfg); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2300 * time.Millisecond)
	if _, _, err := me(t, cfg); err != nil {
		t.Fatal(err)
	}
	if n := len(tokenRequests(e)); n != 1 {
		t.Fatalf("1.7 s left is outside a 0.5 s margin, so no renewal; %d token requests", n)
	}
	cfg.TokenExpiryMargin = 30 * time.Second // capped at 2 s: due now
	if _, _, err := me(t, cfg); err != nil {
		t.Fatal(err)
	}
	if n := len(tokenRequests(e)); n != 2 {
		t.Fatalf("renewed before the call: %d token requests", n)
	}
	if c := e.counters(); c.Unauthorized != 0 {
		t.Fatalf("a caller saw %d 401s", c.Unauthorized)
	}
}
