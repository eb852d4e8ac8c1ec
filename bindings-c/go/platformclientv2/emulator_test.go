package platformclientv2_test

// Shared set-up of the tests against the emulator: each test starts its own
// purecore-emulator process on 127.0.0.1 with port 0 and stops it at the end.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	pc "github.com/purecore-sdk/purecore-go/platformclientv2"
)

const (
	clientID     = "emulator-client"
	clientSecret = "emulator-secret"
	codeID       = "emulator-code-client"
	codeSecret   = "emulator-code-secret"
	publicID     = "emulator-public-client"
	redirectURI  = "http://localhost:8085/callback"
	samlOrg      = "emulator-org"
	userID       = "00000000-0000-4000-8000-000000000001"
	// samlAssertion is emulator/src/creds.rs SAML_ASSERTION.
	samlAssertion = "PHNhbWwyOkFzc2VydGlvbiB4bWxuczpzYW1sMj0idXJuOm9hc2lzOm5hbWVzOnRjOlNBTUw6Mi4wOmFzc2VydGlvbiIgSUQ9Il9lbXVsYXRvciIgVmVyc2lvbj0iMi4wIiBJc3N1ZUluc3RhbnQ9IjIwMjQtMDEtMDFUMDA6MDA6MDBaIj48c2FtbDI6SXNzdWVyPmVtdWxhdG9yLWlkcDwvc2FtbDI6SXNzdWVyPjxzYW1sMjpTdWJqZWN0PjxzYW1sMjpOYW1lSUQ+ZW11bGF0b3IudXNlckBleGFtcGxlLnRlc3Q8L3NhbWwyOk5hbWVJRD48L3NhbWwyOlN1YmplY3Q+PC9zYW1sMjpBc3NlcnRpb24+"
)

type emulator struct {
	t   *testing.T
	URL string
	// Admin is the plain-HTTP base of the admin endpoints (same as URL without --tls).
	Admin string
}

// emulatorBinary is $PURECORE_EMULATOR, or target/debug/purecore-emulator of the workspace.
func emulatorBinary(t *testing.T) string {
	if p := os.Getenv("PURECORE_EMULATOR"); p != "" {
		return p
	}
	p, err := filepath.Abs("../../../target/debug/purecore-emulator")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("the emulator binary is missing at %s: run `cargo build -p purecore-emulator` (bindings-c/test.sh does) or set PURECORE_EMULATOR", p)
	}
	return p
}

func startEmulator(t *testing.T, args ...string) *emulator {
	t.Helper()
	cmd := exec.Command(emulatorBinary(t), append([]string{"--port", "0"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("the emulator did not start: %v", err)
	}
	url := strings.TrimSpace(strings.TrimPrefix(line, "purecore-emulator listening on "))
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	return &emulator{t: t, URL: url, Admin: url}
}

func (e *emulator) do(method, path string, body any) []byte {
	e.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, e.Admin+path, r)
	req.Header.Set("Content-Type", "application/json")
	client := http.DefaultClient
	if strings.HasPrefix(e.Admin, "https") {
		e.t.Fatal("admin calls over TLS are not supported by the test helper")
	}
	resp, err := client.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		e.t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, out)
	}
	return out
}

func (e *emulator) fault(f map[string]any) { e.do("POST", "/admin/faults", f) }

func (e *emulator) expireTokens() { e.do("POST", "/admin/expire-tokens", map[string]any{}) }

type counters struct {
	TokenRequests        int            `json:"token_requests"`
	TokenRequestsByGrant map[string]int `json:"token_requests_by_grant"`
	APIRequests          int            `json:"api_requests"`
	APIRequestsByRoute   map[string]int `json:"api_requests_by_route"`
	Unauthorized         int            `json:"unauthorized"`
}

func (e *emulator) counters() counters {
	var c counters
	if err := json.Unmarshal(e.do("GET", "/admin/counters", nil), &c); err != nil {
		e.t.Fatal(err)
	}
	return c
}

type recorded struct {
	Method  string      `json:"method"`
	Path    string      `json:"path"`
	Query   string      `json:"query"`
	Headers [][2]string `json:"headers"`
	Body    string      `json:"body"`
}

func (r recorded) header(name string) string {
	for _, h := range r.Headers {
		if h[0] == name {
			return h[1]
		}
	}
	return ""
}

func (e *emulator) requests() []recorded {
	var out []recorded
	raw := e.do("GET", "/admin/requests", nil)
	if err := json.Unmarshal(raw, &out); err != nil {
		var wrapped struct {
			Requests []recorded `json:"requests"`
		}
		if err2 := json.Unmarshal(raw, &wrapped); err2 != nil {
			e.t.Fatalf("requests: %v", err)
		}
		out = wrapped.Requests
	}
	return out
}

// config returns a configuration pointed at the emulator with short retry waits.
func (e *emulator) config() *pc.Configuration {
	cfg := pc.NewConfiguration()
	cfg.BasePath = e.URL
	cfg.RetryConfiguration = &pc.RetryConfiguration{RetryWaitMin: 10 * time.Millisecond, RetryWaitMax: 50 * time.Millisecond, RetryMax: 3}
	e.t.Cleanup(cfg.Close)
	return cfg
}

// loggedIn returns a configuration logged in with client credentials.
func (e *emulator) loggedIn() *pc.Configuration {
	cfg := e.config()
	if err := cfg.AuthorizeClientCredentials(clientID, clientSecret); err != nil {
		e.t.Fatal(err)
	}
	return cfg
}

// location follows nothing: it returns where an authorize URL redirects to.
func location(t *testing.T, url string) string {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("authorize answered %d: %s", resp.StatusCode, b)
	}
	return resp.Header.Get("Location")
}
