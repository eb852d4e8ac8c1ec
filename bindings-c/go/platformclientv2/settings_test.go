package platformclientv2_test

// Settings by name (ApplySettings): any setting of purecore's schema reaches the core
// without a Go field of its own, and a bad value is refused in the core's words.

import (
	"errors"
	"testing"

	pc "github.com/purecore-sdk/purecore-go/platformclientv2"
)

func TestApplySettingsSetsAnySettingByName(t *testing.T) {
	e := startEmulator(t)
	cfg := e.loggedIn()
	if _, _, err := pc.NewUsersApiWithConfig(cfg).GetUsersMe(nil, "", nil); err != nil {
		t.Fatalf("a call with the default limit: %v", err)
	}
	// A 10-byte limit on successful replies: the user's reply is larger, so the call fails.
	if err := cfg.ApplySettings(map[string]any{pc.SettingMaxResponseBodyBytes: 10}); err != nil {
		t.Fatalf("ApplySettings: %v", err)
	}
	// The reply's status and headers are kept, its body is not read.
	_, resp, err := pc.NewUsersApiWithConfig(cfg).GetUsersMe(nil, "", nil)
	if err == nil && (resp == nil || resp.HasBody || len(resp.RawBody) != 0) {
		t.Fatalf("want a reply too large for max_response_body_bytes, got %+v", resp)
	}
	var sdk *pc.SDKError
	// A bad value: the core's words, and the previous settings stay.
	err = cfg.ApplySettings(map[string]any{pc.SettingRetryMaxRetries: -1})
	want := "retry.max_retries must be a whole number from 0 to 100, not -1"
	if !errors.As(err, &sdk) || sdk.Kind != "configuration" || sdk.Message != want {
		t.Fatalf("want configuration error %q, got %v", want, err)
	}
	// nil restores the default: the call works again.
	if err := cfg.ApplySettings(map[string]any{pc.SettingMaxResponseBodyBytes: nil}); err != nil {
		t.Fatalf("ApplySettings(nil): %v", err)
	}
	if _, _, err := pc.NewUsersApiWithConfig(cfg).GetUsersMe(nil, "", nil); err != nil {
		t.Fatalf("a call with the default limit again: %v", err)
	}
}

// scenario: config.env
// PURECORE_* variables are read when a configuration's native client is made (its first
// call or Authorize*): they fill in what the Go code left at its default.
func TestEnvironmentVariablesTakeEffectWhenTheClientIsMade(t *testing.T) {
	e := startEmulator(t)
	t.Setenv("PURECORE_ENVIRONMENT", e.URL)
	t.Setenv("PURECORE_RETRY_MAX_RETRIES", "1")
	t.Setenv("PURECORE_RETRY_WAIT_MIN", "0.02")
	cfg := pc.NewConfiguration()
	t.Cleanup(cfg.Close)
	if err := cfg.AuthorizeClientCredentials(clientID, clientSecret); err != nil {
		t.Fatalf("PURECORE_ENVIRONMENT should send the login to the emulator: %v", err)
	}
	e.fault(map[string]any{"kind": "status", "status": 503, "count": 10, "target": "api"})
	_, resp, err := pc.NewUsersApiWithConfig(cfg).GetUsersMe(nil, "", nil)
	if err == nil || resp == nil || resp.StatusCode != 503 {
		t.Fatalf("want the 503 back, got %v %+v", err, resp)
	}
	if got := e.counters().APIRequestsByRoute["GET /api/v2/users/me"]; got != 2 {
		t.Fatalf("PURECORE_RETRY_MAX_RETRIES=1: want 2 sends, got %d", got)
	}

	t.Setenv("PURECORE_RETRY_MAX_RETRIES", "lots")
	bad := pc.NewConfiguration()
	t.Cleanup(bad.Close)
	err = bad.AuthorizeClientCredentials(clientID, clientSecret)
	var sdk *pc.SDKError
	want := "environment variable PURECORE_RETRY_MAX_RETRIES: retry.max_retries must be a whole number from 0 to 100, not 'lots'"
	if !errors.As(err, &sdk) || sdk.Kind != "configuration" || sdk.Message != want {
		t.Fatalf("want configuration error %q, got %v", want, err)
	}
}
