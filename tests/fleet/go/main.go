// A fleet worker in Go (tests/fleet/run.py starts it): logs in with client credentials
// through the token store, says READY, waits for "go" on stdin, makes FLEET_CALLS calls at
// once (one goroutine each) and says DONE ok=N failed=M.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"sync"

	"github.com/purecore-sdk/purecore-go/platformclientv2"
)

func main() {
	config := platformclientv2.GetDefaultConfiguration()
	config.BasePath = os.Getenv("FLEET_EMULATOR")
	if err := config.ApplySettings(map[string]any{platformclientv2.SettingTokenStore: os.Getenv("FLEET_STORE")}); err != nil {
		fmt.Printf("FLEET DONE ok=0 failed=-1 first_error=%v\n", err)
		os.Exit(1)
	}
	if err := config.AuthorizeClientCredentials("emulator-client", "emulator-secret"); err != nil {
		fmt.Printf("FLEET DONE ok=0 failed=-1 first_error=%v\n", err)
		os.Exit(1)
	}
	fmt.Println("FLEET READY")
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
	n, _ := strconv.Atoi(os.Getenv("FLEET_CALLS"))
	users := platformclientv2.NewUsersApi()
	var mu sync.Mutex
	var wg sync.WaitGroup
	failed, first := 0, ""
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, _, err := users.GetUsersMe(nil, "", nil); err != nil {
				mu.Lock()
				failed++
				if first == "" {
					first = err.Error()
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	fmt.Printf("FLEET DONE ok=%d failed=%d first_error=%s\n", n-failed, failed, first)
}
