package platformclientv2

import (
	"context"
	"errors"
	"testing"
	"time"
)

// A generated method passes its operation id and the parameters that are set to the
// Invoker, and decodes the body into the model.
func TestGeneratedMethodUsesInvoker(t *testing.T) {
	var gotID string
	var got map[string]any
	cfg := NewConfiguration()
	cfg.Invoker = InvokerFunc(func(ctx context.Context, id string, params map[string]any) (*APIResponse, error) {
		gotID, got = id, params
		body := `{"id":"u1","name":"N","dateLastLogin":"2024-01-02T03:04:05.000Z","unknown":1}`
		return &APIResponse{StatusCode: 200, IsSuccess: true, HasBody: true, RawBody: []byte(body)}, nil
	})
	api := NewUsersApiWithConfig(cfg)
	user, resp, err := api.GetUser("u1", []string{"presence"}, "", nil, "")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("err %v resp %+v", err, resp)
	}
	if gotID != "getUser" || got["userId"] != "u1" || len(got) != 2 {
		t.Fatalf("invoked %s with %v", gotID, got)
	}
	if *user.Id != "u1" || *user.Name != "N" || !user.DateLastLogin.Equal(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Fatalf("decoded %+v", user)
	}
	// Zero values are "not set"; a page size is sent when given.
	if _, _, err := api.GetUsers(25, 0, nil, nil, "", nil, "", nil, ""); err != nil {
		t.Fatal(err)
	}
	if gotID != "getUsers" || got["pageSize"] != 25 || len(got) != 1 {
		t.Fatalf("invoked %s with %v", gotID, got)
	}
}

func TestErrorsAndMissingInvoker(t *testing.T) {
	cfg := NewConfiguration()
	cfg.Invoker = nil
	if _, _, err := NewUsersApiWithConfig(cfg).GetUsersMe(nil, "", nil); !errors.Is(err, ErrNoInvoker) {
		t.Fatalf("want ErrNoInvoker, got %v", err)
	}
	cfg.Invoker = InvokerFunc(func(ctx context.Context, id string, params map[string]any) (*APIResponse, error) {
		return &APIResponse{StatusCode: 404, Status: "404 Not Found", Error: &APIError{Status: 404, Message: "nope", ContextID: "c1"}}, nil
	})
	_, resp, err := NewUsersApiWithConfig(cfg).GetUser("x", nil, "", nil, "")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 404 || resp.StatusCode != 404 {
		t.Fatalf("want APIError 404, got %v", err)
	}
	if _, err := NewUsersApiWithConfig(cfg).DeleteUserRoutinglanguage("u", "l"); err == nil {
		t.Fatal("want an error for a 404 without a body")
	}
}

func TestCompatAlias(t *testing.T) {
	var listing Userentitylisting = UserEntityListing{}
	_ = listing
}
