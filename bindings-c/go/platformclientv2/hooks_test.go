package platformclientv2_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	pc "github.com/purecore-sdk/purecore-go/platformclientv2"
)

// RequestLogHook runs with 0 before the first try (through the core's request hook):
// a header it sets and a body it replaces are what the server receives, on every attempt.
// scenario: hooks.request
func TestRequestLogHookChangesTheRequest(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	cfg := e.loggedIn()
	var mu sync.Mutex
	var numbers []int
	cfg.RetryConfiguration.RequestLogHook = func(r *http.Request, n int) {
		mu.Lock()
		numbers = append(numbers, n)
		mu.Unlock()
		if n != 0 {
			return
		}
		r.Header.Set("X-Go-Hook", "go-hook-was-here")
		if r.Method == http.MethodPost {
			next := `{"interval":"2021-03-04T00:00:00Z/2021-03-05T00:00:00Z"}`
			r.Body = io.NopCloser(strings.NewReader(next))
		}
	}
	e.fault(map[string]any{"kind": "status", "status": 503, "count": 1, "target": "api"})
	if _, resp, err := me(t, cfg); err != nil || resp.StatusCode != 200 {
		t.Fatal(err)
	}
	var sent []recorded
	for _, r := range e.requests() {
		if strings.HasSuffix(r.Path, "/api/v2/users/me") {
			sent = append(sent, r)
		}
	}
	if len(sent) != 2 || sent[0].header("x-go-hook") != "go-hook-was-here" || sent[1].header("x-go-hook") != "go-hook-was-here" {
		t.Fatalf("the header goes with both attempts: %+v", sent)
	}
	mu.Lock()
	if len(numbers) != 2 || numbers[0] != 0 || numbers[1] != 1 {
		t.Fatalf("RequestLogHook numbers %v, want [0 1]", numbers)
	}
	mu.Unlock()

	interval := "2024-01-01T00:00:00Z/2024-01-02T00:00:00Z"
	if _, _, err := pc.NewAnalyticsApiWithConfig(cfg).PostAnalyticsConversationsDetailsQuery(pc.ConversationQuery{Interval: &interval}); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range e.requests() {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/analytics/conversations/details/query") {
			found = strings.Contains(r.Body, "2021-03-04T00:00:00Z/2021-03-05T00:00:00Z") && !strings.Contains(r.Body, "2024-01-01")
		}
	}
	if !found {
		t.Fatal("the server received the body the hook set")
	}
}

// ResponseLogHook sees every attempt through the core's response hook: a 503 and a
// 429 that are retried, then the 200, each with its status and body.
// scenario: hooks.response
func TestResponseLogHookEveryAttempt(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	cfg := e.loggedIn()
	var mu sync.Mutex
	var statuses []int
	var bodies [][]byte
	cfg.RetryConfiguration.ResponseLogHook = func(r *http.Response) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		statuses = append(statuses, r.StatusCode)
		bodies = append(bodies, b)
	}
	e.fault(map[string]any{"kind": "status", "status": 503, "count": 1, "target": "api"})
	e.fault(map[string]any{"kind": "status", "status": 429, "count": 1, "target": "api"})
	user, resp, err := me(t, cfg)
	if err != nil || resp.StatusCode != 200 {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(statuses) != 3 || statuses[0] != 503 || statuses[1] != 429 || statuses[2] != 200 {
		t.Fatalf("want 503, 429, 200; got %v", statuses)
	}
	if !bytes.Contains(bodies[0], []byte("service.unavailable")) || user.Id == nil || !bytes.Contains(bodies[2], []byte(*user.Id)) {
		t.Fatalf("bodies come along: %q / %q", bodies[0], bodies[2])
	}
}
