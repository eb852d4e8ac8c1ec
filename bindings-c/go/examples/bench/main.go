// Benchmark (not a test): purecore-go beside net/http against the emulator at
// $PURECORE_EMULATOR_URL. Sequential latency (median of N calls) and throughput with 64
// calls in flight, for GET /api/v2/users/me. Run by bindings-c/bench.sh go.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/purecore-sdk/purecore-go/platformclientv2"
)

const (
	sequential = 2000
	inFlight   = 64
	perWorker  = 100
)

func main() {
	base := os.Getenv("PURECORE_EMULATOR_URL")
	if base == "" {
		fmt.Fprintln(os.Stderr, "set PURECORE_EMULATOR_URL")
		os.Exit(2)
	}
	cfg := platformclientv2.NewConfiguration()
	cfg.BasePath = base
	if err := cfg.AuthorizeClientCredentials("emulator-client", "emulator-secret"); err != nil {
		panic(err)
	}
	api := platformclientv2.NewUsersApiWithConfig(cfg)
	purecore := func() error {
		_, _, err := api.GetUsersMe(nil, "", nil)
		return err
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	purecoreCtx := func() error {
		_, _, err := api.GetUsersMeWithContext(ctx, nil, "", nil)
		return err
	}

	token := rawToken(base)
	httpClient := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: inFlight}}
	raw := func() error {
		req, _ := http.NewRequest("GET", base+"/api/v2/users/me", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := httpClient.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		var v map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
			return err
		}
		if resp.StatusCode != 200 {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return nil
	}

	rawLat, pcLat, ctxLat := latency(raw), latency(purecore), latency(purecoreCtx)
	rawTp, pcTp, ctxTp := throughput(raw), throughput(purecore), throughput(purecoreCtx)
	fmt.Printf("go: sequential median latency: net/http %.3f ms, purecore %.3f ms, ratio %.2fx (target <= 1.2x)\n",
		ms(rawLat), ms(pcLat), float64(pcLat)/float64(rawLat))
	fmt.Printf("go: %d in flight: net/http %.0f calls/s, purecore %.0f calls/s, ratio %.2fx (target >= 0.8x)\n",
		inFlight, rawTp, pcTp, pcTp/rawTp)
	fmt.Printf("go: the same with a cancellable context: %.3f ms (%.2fx), %.0f calls/s (%.2fx)\n",
		ms(ctxLat), float64(ctxLat)/float64(rawLat), ctxTp, ctxTp/rawTp)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func rawToken(base string) string {
	form := url.Values{"grant_type": {"client_credentials"}}
	req, _ := http.NewRequest("POST", base+"/oauth/token", strings.NewReader(form.Encode()))
	req.SetBasicAuth("emulator-client", "emulator-secret")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var t struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.Unmarshal(b, &t)
	return t.AccessToken
}

func latency(call func() error) time.Duration {
	for i := 0; i < 100; i++ { // warm-up
		must(call())
	}
	d := make([]time.Duration, sequential)
	for i := range d {
		start := time.Now()
		must(call())
		d[i] = time.Since(start)
	}
	sort.Slice(d, func(a, b int) bool { return d[a] < d[b] })
	return d[len(d)/2]
}

func throughput(call func() error) float64 {
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < inFlight; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				must(call())
			}
		}()
	}
	wg.Wait()
	return float64(inFlight*perWorker) / time.Since(start).Seconds()
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
