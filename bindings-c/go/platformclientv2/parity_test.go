package platformclientv2_test

// Scenarios of tests/scenarios.toml that scenarios_test.go does not run: a mutual-TLS
// handshake, and an every-page walk of a page-number listing.

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	pc "github.com/purecore-sdk/purecore-go/platformclientv2"
)

// transport.mtls: the emulator in --mtls mode refuses a client without a certificate
// signed by its CA, and serves one with it (given as files, or as PEM contents).
// scenario: transport.mtls
func TestTransportMTLS(t *testing.T) {
	t.Parallel()
	e, dir := startMTLSEmulator(t)
	certPath, keyPath, caPath := filepath.Join(dir, "client.pem"), filepath.Join(dir, "client-key.pem"), filepath.Join(dir, "ca.pem")

	without := e.config()
	without.RetryConfiguration = &pc.RetryConfiguration{RetryMax: 0}
	if err := without.APIClient.SetMTLSCertificates("", "", caPath); err != nil {
		t.Fatal(err)
	}
	var sdkErr *pc.SDKError
	if err := without.AuthorizeClientCredentials(clientID, clientSecret); !errors.As(err, &sdkErr) || sdkErr.Kind != "connection" {
		t.Fatalf("refused without a client certificate: %#v", err)
	}

	withFiles := e.config()
	if err := withFiles.APIClient.SetMTLSCertificates(certPath, keyPath, caPath); err != nil {
		t.Fatal(err)
	}
	if err := withFiles.AuthorizeClientCredentials(clientID, clientSecret); err != nil {
		t.Fatalf("login with the client certificate: %v", err)
	}
	if user, resp, err := me(t, withFiles); err != nil || resp.StatusCode != 200 || *user.Id != userID {
		t.Fatalf("a call over mutual TLS: %v", err)
	}

	read := func(p string) string {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	withContents := e.config()
	if err := withContents.APIClient.SetMTLSContents(read(certPath), read(keyPath), read(caPath)); err != nil {
		t.Fatal(err)
	}
	if err := withContents.AuthorizeClientCredentials(clientID, clientSecret); err != nil {
		t.Fatalf("login with the certificate as PEM contents: %v", err)
	}
	if user, _, err := me(t, withContents); err != nil || *user.Id != userID {
		t.Fatalf("a call over mutual TLS (contents): %v", err)
	}
}

// paging.page_number: a walk over every page of getUsers, as a user of the official SDK
// writes it, sees each user once and sends one request per page, none past the last.
// scenario: paging.page_number
func TestPagingPageNumber(t *testing.T) {
	t.Parallel()
	e := startEmulator(t)
	users := pc.NewUsersApiWithConfig(e.loggedIn())
	seen := map[string]int{}
	var order []string
	var page *pc.UserEntityListing
	pages := 0
	for pageNumber := 1; pageNumber <= 100; pageNumber++ {
		var err error
		page, _, err = users.GetUsers(10, pageNumber, nil, nil, "", nil, "", nil, "")
		if err != nil {
			t.Fatalf("page %d: %v", pageNumber, err)
		}
		pages++
		if pageNumber == 1 && page.NextUri == nil {
			t.Fatal("the first page links to the next")
		}
		for _, u := range *page.Entities {
			seen[*u.Id]++
			order = append(order, *u.Id)
		}
		if pageNumber >= *page.PageCount {
			break
		}
	}
	if page.Total == nil || *page.Total != 57 || *page.PageCount != 6 || pages != 6 {
		t.Fatalf("57 users on 6 pages of 10: total %v, %d pages of %d", page.Total, pages, *page.PageCount)
	}
	if page.NextUri != nil {
		t.Fatalf("the last page links to another: %s", *page.NextUri)
	}
	if int64(len(order)) != *page.Total || len(seen) != len(order) || order[0] != userID {
		t.Fatalf("every user once: %d ids, %d distinct, of %d", len(order), len(seen), *page.Total)
	}
	sent := 0
	for _, r := range e.requests() {
		if r.Path == "/api/v2/users" && strings.Contains(r.Query, "pageSize=10") {
			sent++
		}
	}
	if sent != pages {
		t.Fatalf("one request per page, none past the last: %d requests for %d pages", sent, pages)
	}
}
