package platformclientv2_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	pc "github.com/purecore-sdk/purecore-go/platformclientv2"
)

// refresh.concurrent: 200 goroutines meet an expired token → 1 token request, 200 successes.
// scenario: refresh.concurrent, blocking.threads
func TestRefreshConcurrentGoroutines(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	cfg := e.loggedIn()
	e.expireTokens()
	const n = 200
	var wg sync.WaitGroup
	errs := make(chan error, n)
	api := pc.NewUsersApiWithConfig(cfg)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			user, resp, err := api.GetUsersMe(nil, "", nil)
			if err == nil && (resp.StatusCode != 200 || *user.Id != userID) {
				err = errors.New("unexpected reply")
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if c := e.counters(); c.TokenRequests != 2 {
		t.Fatalf("one login and exactly one refresh, got %d token requests", c.TokenRequests)
	}
}

// A cancelled context stops a call that is waiting on a slow reply, promptly.
func TestContextCancellationStopsTheCall(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	cfg := e.loggedIn()
	api := pc.NewUsersApiWithConfig(cfg)
	e.fault(map[string]any{"kind": "delay", "ms": 30000, "count": 1, "target": "api"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, _, err := api.GetUsersMeWithContext(ctx, nil, "", nil)
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("returned before the slow reply: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}

	// With more calls in flight than CPUs, the asynchronous C call is used: it stops too.
	const n = 16
	e.fault(map[string]any{"kind": "delay", "ms": 30000, "count": n, "target": "api"})
	ctx3, cancel3 := context.WithCancel(context.Background())
	many := make(chan error, n)
	for i := 0; i < n; i++ {
		go func() {
			_, _, err := api.GetUsersMeWithContext(ctx3, nil, "", nil)
			many <- err
		}()
	}
	time.Sleep(300 * time.Millisecond)
	cancel3()
	for i := 0; i < n; i++ {
		if err := <-many; !errors.Is(err, context.Canceled) {
			t.Fatalf("call %d: want context.Canceled, got %v", i, err)
		}
	}

	// A deadline does the same.
	e.fault(map[string]any{"kind": "delay", "ms": 30000, "count": 1, "target": "api"})
	ctx2, cancel2 := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel2()
	if _, _, err := api.GetUsersMeWithContext(ctx2, nil, "", nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want context.DeadlineExceeded, got %v", err)
	}
	// An already cancelled context sends nothing.
	before := e.counters().APIRequests
	if _, _, err := api.GetUsersMeWithContext(ctx, nil, "", nil); !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	if e.counters().APIRequests != before {
		t.Fatal("nothing is sent with a cancelled context")
	}
	// The client still works. (The rate governor sent only some of the 16 cancelled calls
	// while the first reply of the token was outstanding, so delay faults are left over:
	// the emulator forgets them, and its tokens, which the client renews by itself.)
	e.do("POST", "/admin/reset", map[string]any{})
	if _, resp, err := api.GetUsersMe(nil, "", nil); err != nil || resp.StatusCode != 200 {
		t.Fatal(err)
	}
}

// The region constants compile and agree with the core's region table.
func TestRegionConstantsMatchCore(t *testing.T) {
	cfg := pc.NewConfiguration()
	cfg.BasePath = pc.APNortheast1
	for name, base := range pc.RegionBases() {
		if pc.RegionConstant(name) != base {
			t.Errorf("region %s: constant %q, core %q", name, pc.RegionConstant(name), base)
		}
	}
	if len(pc.RegionBases()) < 18 || pc.RegionConstant(pc.DefaultRegion) != pc.USEast1 {
		t.Fatalf("%d regions", len(pc.RegionBases()))
	}
}
