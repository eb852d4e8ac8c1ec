// The purecore Go quickstart, written as a user of the official Go SDK would.
//
// Against the local emulator (bindings-c/demo.sh starts one and passes
// PURECORE_EMULATOR_URL): client credentials, GET users/me through the generated
// UsersApi, a forced token expiry that is refreshed transparently, and a 429 that is
// retried. Against a real org when GENESYS_CLOUD_REGION, GENESYS_CLOUD_CLIENT_ID and
// GENESYS_CLOUD_CLIENT_SECRET are set: client credentials, then the organization.
package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/purecore-sdk/purecore-go/platformclientv2"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart failed:", err)
		os.Exit(1)
	}
}

func run() error {
	region, id, secret := os.Getenv("GENESYS_CLOUD_REGION"), os.Getenv("GENESYS_CLOUD_CLIENT_ID"), os.Getenv("GENESYS_CLOUD_CLIENT_SECRET")
	if region != "" && id != "" && secret != "" {
		return realOrg(region, id, secret)
	}
	url := os.Getenv("PURECORE_EMULATOR_URL")
	if url == "" {
		return fmt.Errorf("set PURECORE_EMULATOR_URL (demo.sh does) or the GENESYS_CLOUD_* variables")
	}
	return emulator(url)
}

func realOrg(region, id, secret string) error {
	config := platformclientv2.GetDefaultConfiguration()
	config.BasePath = region // a region name such as eu_west_1, or platformclientv2.EUWest1
	if err := config.AuthorizeClientCredentials(id, secret); err != nil {
		return err
	}
	org, _, err := platformclientv2.NewOrganizationApi().GetOrganizationsMe()
	if err != nil {
		return err
	}
	fmt.Printf("organization: %s (%s)\n", deref(org.Name), deref(org.Id))
	return nil
}

func emulator(url string) error {
	config := platformclientv2.GetDefaultConfiguration()
	config.BasePath = url

	// START quickstart (README.md shows this part; scripts/check-parity keeps it equal)
	// 1. Log in with client credentials.
	if err := config.AuthorizeClientCredentials("emulator-client", "emulator-secret"); err != nil {
		return err
	}
	fmt.Println("1. logged in")

	// 2. GET /api/v2/users/me with an expand, through the generated API class.
	usersAPI := platformclientv2.NewUsersApi()
	me, resp, err := usersAPI.GetUsersMe([]string{"presence"}, "", nil)
	if err != nil {
		return err
	}
	presence := "?"
	if me.Presence != nil && me.Presence.PresenceDefinition != nil {
		presence = deref(me.Presence.PresenceDefinition.SystemPresence)
	}
	fmt.Printf("2. users/me: %s <%s>, presence %s (status %d, correlation id %s)\n",
		deref(me.Name), deref(me.Email), presence, resp.StatusCode, resp.CorrelationID)
	// END quickstart

	// 3. The server expires every token; the next call refreshes once and goes through.
	post(url+"/admin/expire-tokens", "{}")
	before := tokenRequests(url)
	_, resp, err = usersAPI.GetUsersMe(nil, "", nil)
	if err != nil {
		return err
	}
	fmt.Printf("3. after a forced expiry: status %d, %d new token request(s), no error seen\n", resp.StatusCode, tokenRequests(url)-before)

	// 4. The next answer is a 429 with Retry-After: 1; the call waits and succeeds.
	post(url+"/admin/faults", `{"kind":"status","status":429,"retry_after":1,"count":1}`)
	started := time.Now()
	_, resp, err = usersAPI.GetUsersMe(nil, "", nil)
	if err != nil {
		return err
	}
	fmt.Printf("4. after a 429 with Retry-After 1: status %d, %.1f s\n", resp.StatusCode, time.Since(started).Seconds())

	// 5. An API error: the response and the *APIError carry the details.
	_, resp, err = usersAPI.GetUser("nobody", nil, "", nil, "")
	fmt.Printf("5. GetUser(nobody): %v (status %d, correlation id %s)\n", err, resp.StatusCode, resp.CorrelationID)
	return nil
}

func post(url, body string) {
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err == nil {
		resp.Body.Close()
	}
}

func tokenRequests(url string) int {
	resp, err := http.Get(url + "/admin/counters")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	var c struct {
		TokenRequests int `json:"token_requests"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&c)
	return c.TokenRequests
}

func deref(s *string) string {
	if s == nil {
		return "?"
	}
	return *s
}
