package native

// Wrappers over the C functions the official-SDK compatibility layer uses: requests by
// path, the token callback, the auth timeout and the grants without blocking.

/*
#include <stdint.h>
#include "purecore.h"

extern void purecoreGoToken(void *user_data, PurecoreStr access_token, int64_t expires_at_ms);
extern void purecoreGoLoginDone(void *user_data, PurecoreStatus status, PurecoreAuthData *auth, PurecoreError *error);
static PurecoreTokenCallback pc_token_cb(void) { return purecoreGoToken; }
static PurecoreLoginCallback pc_login_done(void) { return purecoreGoLoginDone; }
static void *pc_token_ptr(uintptr_t h) { return (void *)h; }
*/
import "C"

import (
	"context"
	"runtime"
	"runtime/cgo"
	"time"
	"unsafe"
)

// Grants of LoginAsync (the PURECORE_GRANT_* values).
const (
	GrantClientCredentials = 0
	GrantSaml2Bearer       = 1
	GrantCode              = 2
	GrantRefreshCode       = 3
	GrantPKCE              = 4
)

// SetAuthTimeout sets the timeout of token requests (0 keeps the current one).
func (c *Config) SetAuthTimeout(d time.Duration) error {
	return c.call(func(e **C.PurecoreError) uint32 {
		return C.purecore_config_set_timeouts(c.p, 0, ms(d), 0, e)
	})
}

// Pair is a name and a value (query parameter, header or form field).
type Pair = [2]string

// pairs copies pairs into C memory owned by the caller of free.
func cPairs(ps []Pair, pin *runtime.Pinner) []C.PurecoreHeaderRef {
	out := make([]C.PurecoreHeaderRef, len(ps))
	for i, p := range ps {
		out[i] = C.PurecoreHeaderRef{name: str(p[0]), value: str(p[1])}
		if out[i].name.ptr != nil {
			pin.Pin(out[i].name.ptr)
		}
		if out[i].value.ptr != nil {
			pin.Pin(out[i].value.ptr)
		}
	}
	return out
}

func firstRef(refs []C.PurecoreHeaderRef) *C.PurecoreHeaderRef {
	if len(refs) == 0 {
		return nil
	}
	return &refs[0]
}

// RawRequest is one request by path.
type RawRequest struct {
	Method, Path         string
	Query, Headers, Form []Pair
	Body                 []byte
	ContentType          string
}

// Request sends a request by path (blocking; ctx cancels it). A non-2xx reply is an
// *Error whose Response is set.
func (c *Client) Request(ctx context.Context, r RawRequest) (*Response, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var pin runtime.Pinner
	defer pin.Unpin()
	query, headers, form := cPairs(r.Query, &pin), cPairs(r.Headers, &pin), cPairs(r.Form, &pin)
	var body *C.uint8_t
	if len(r.Body) > 0 {
		body = (*C.uint8_t)(unsafe.Pointer(&r.Body[0]))
	}
	var cancel *C.PurecoreCancel
	if ctx.Done() != nil {
		var e *C.PurecoreError
		if err := check(C.purecore_cancel_new(&cancel, &e), e); err != nil {
			return nil, err
		}
		defer C.purecore_cancel_free(cancel)
		fired := make(chan struct{})
		stop := context.AfterFunc(ctx, func() {
			C.purecore_cancel_cancel(cancel, nil)
			close(fired)
		})
		defer func() {
			if !stop() {
				<-fired
			}
		}()
	}
	var resp *C.PurecoreResponse
	var e *C.PurecoreError
	st := C.purecore_client_request(c.p, str(r.Method), str(r.Path),
		firstRef(query), C.size_t(len(query)), firstRef(headers), C.size_t(len(headers)),
		firstRef(form), C.size_t(len(form)), body, C.size_t(len(r.Body)), opt(r.ContentType),
		cancel, &resp, &e)
	if st == StatusOK {
		return takeResponse(resp), nil
	}
	err := takeError(e)
	if st == StatusCancelled && ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return nil, err
}

// NewTokenHook registers fn, told every new access token and its expiry (ms since the
// epoch, -1 when unknown).
func NewTokenHook(fn func(token string, expiresAtMs int64)) *Hook { return &Hook{cgo.NewHandle(fn)} }

// SetTokenCallback installs h (nil removes it); h must outlive its installation.
func (c *Client) SetTokenCallback(h *Hook) error {
	return c.call(func(e **C.PurecoreError) uint32 {
		if h == nil || h.h == 0 {
			return C.purecore_client_set_token_callback(c.p, nil, nil, e)
		}
		return C.purecore_client_set_token_callback(c.p, C.pc_token_cb(), C.pc_token_ptr(C.uintptr_t(h.h)), e)
	})
}

type loginResult struct {
	status C.PurecoreStatus
	auth   *C.PurecoreAuthData
	err    *C.PurecoreError
}

// LoginAsync runs a grant (Grant* with its arguments in the C order) without holding
// an OS thread; ctx cancels it (its deadline included), giving ctx.Err().
func (c *Client) LoginAsync(ctx context.Context, grant int, args ...string) (*AuthData, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var pin runtime.Pinner
	defer pin.Unpin()
	cargs := make([]C.PurecoreStr, len(args))
	for i, a := range args {
		cargs[i] = str(a)
		if cargs[i].ptr != nil {
			pin.Pin(cargs[i].ptr)
		}
	}
	var cancel *C.PurecoreCancel
	var e *C.PurecoreError
	if err := check(C.purecore_cancel_new(&cancel, &e), e); err != nil {
		return nil, err
	}
	defer C.purecore_cancel_free(cancel)
	ch := make(chan loginResult, 1)
	h := cgo.NewHandle(ch)
	defer h.Delete()
	var argp *C.PurecoreStr
	if len(cargs) > 0 {
		argp = &cargs[0]
	}
	st := C.purecore_client_login_async(c.p, C.uint32_t(grant), argp, C.size_t(len(cargs)), cancel,
		C.pc_login_done(), C.pc_token_ptr(C.uintptr_t(h)), &e)
	if st != StatusOK {
		return nil, takeError(e)
	}
	var r loginResult
	select {
	case r = <-ch:
	case <-ctx.Done():
		C.purecore_cancel_cancel(cancel, nil)
		r = <-ch
	}
	if r.status == StatusOK {
		return takeAuth(r.auth), nil
	}
	err := takeError(r.err)
	if r.status == StatusCancelled && ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return nil, err
}
