// Package native is the only cgo code of the module: thin Go wrappers over the purecore
// C ABI (purecore.h, a copy of bindings-c/include/purecore.h). It links the static
// library lib/<goos>_<goarch>/libpurecore.a at the module root, chosen by the build
// constraints of the #cgo lines below: a released module carries one per platform
// (packaging/go.sh builds them), and in a checkout scripts/build-go-lib builds this
// machine's. Each line also names the system libraries a static Rust library needs
// (rustc --print native-static-libs; packaging/go.sh fails when one is missing).
//
// Every C string is borrowed for the duration of one call; every owned result is copied
// into Go memory and freed with its purecore_*_free function before returning.
package native

/*
#cgo CFLAGS: -I${SRCDIR}
#cgo linux,amd64 LDFLAGS: ${SRCDIR}/../../lib/linux_amd64/libpurecore.a -lgcc_s -lutil -lrt -lpthread -lm -ldl
#cgo linux,arm64 LDFLAGS: ${SRCDIR}/../../lib/linux_arm64/libpurecore.a -lgcc_s -lutil -lrt -lpthread -lm -ldl
#cgo darwin,amd64 LDFLAGS: ${SRCDIR}/../../lib/darwin_amd64/libpurecore.a -framework Security -framework CoreFoundation -framework SystemConfiguration -liconv -lm
#cgo darwin,arm64 LDFLAGS: ${SRCDIR}/../../lib/darwin_arm64/libpurecore.a -framework Security -framework CoreFoundation -framework SystemConfiguration -liconv -lm
#cgo windows,amd64 LDFLAGS: ${SRCDIR}/../../lib/windows_amd64/libpurecore.a -lbcrypt -ladvapi32 -lkernel32 -lntdll -luserenv -lws2_32 -ldbghelp
#include <stdint.h>
#include "purecore.h"

extern void purecoreGoCallDone(void *user_data, PurecoreStatus status, PurecoreResponse *response, PurecoreError *error);
extern void purecoreGoRetryHook(void *user_data, const PurecoreRetryEvent *event);

static PurecoreCallCallback pc_call_done(void) { return purecoreGoCallDone; }
static PurecoreRetryCallback pc_retry_hook(void) { return purecoreGoRetryHook; }
static void *pc_handle(uintptr_t h) { return (void *)h; }
*/
import "C"

import (
	"context"
	"runtime"
	"runtime/cgo"
	"time"
	"unsafe"
)

// Status values of the C ABI.
const (
	StatusOK              = 0
	StatusInvalidArgument = 6
	StatusCancelled       = 10
)

var emptyByte byte

// str borrows s for one C call; an empty s is the empty string, not NULL.
func str(s string) C.PurecoreStr {
	if len(s) == 0 {
		return C.PurecoreStr{ptr: (*C.char)(unsafe.Pointer(&emptyByte)), len: 0}
	}
	return C.PurecoreStr{ptr: (*C.char)(unsafe.Pointer(unsafe.StringData(s))), len: C.size_t(len(s))}
}

// opt borrows s for one C call; an empty s is NULL (absent).
func opt(s string) C.PurecoreStr {
	if len(s) == 0 {
		return C.PurecoreStr{}
	}
	return str(s)
}

func goString(p *C.char) string {
	if p == nil {
		return ""
	}
	return C.GoString(p)
}

// Response is a copy of a PurecoreResponse.
type Response struct {
	Status        int
	StatusText    string
	Headers       [][2]string
	Body          []byte
	CorrelationID string
	Attempts      int
}

func copyResponse(r *C.PurecoreResponse) *Response {
	if r == nil {
		return nil
	}
	out := &Response{
		Status:        int(r.status),
		StatusText:    goString(r.status_text),
		CorrelationID: goString(r.correlation_id),
		Attempts:      int(r.attempts),
	}
	if r.body_len > 0 {
		out.Body = C.GoBytes(unsafe.Pointer(r.body), C.int(r.body_len))
	}
	if r.headers_len > 0 {
		hs := unsafe.Slice(r.headers, int(r.headers_len))
		out.Headers = make([][2]string, len(hs))
		for i, h := range hs {
			out.Headers[i] = [2]string{goString(h.name), goString(h.value)}
		}
	}
	return out
}

func takeResponse(r *C.PurecoreResponse) *Response {
	defer C.purecore_response_free(r)
	return copyResponse(r)
}

// Error is a copy of a PurecoreError.
type Error struct {
	Status                int
	Kind                  string
	Message               string
	HTTPStatus            int
	Code                  string
	CorrelationID         string
	ContextID             string
	OAuthError            string
	OAuthErrorDescription string
	// RetryAfter is negative when the reply had no Retry-After.
	RetryAfter time.Duration
	Retryable  bool
	Response   *Response
}

func (e *Error) Error() string { return e.Message }

func takeError(e *C.PurecoreError) *Error {
	if e == nil {
		return &Error{Status: 9, Kind: "internal", Message: "purecore failed without an error", RetryAfter: -1}
	}
	defer C.purecore_error_free(e)
	out := &Error{
		Status:                int(e.kind),
		Kind:                  goString(e.kind_name),
		Message:               goString(e.message),
		HTTPStatus:            int(e.http_status),
		Code:                  goString(e.code),
		CorrelationID:         goString(e.correlation_id),
		ContextID:             goString(e.context_id),
		OAuthError:            goString(e.oauth_error),
		OAuthErrorDescription: goString(e.oauth_error_description),
		RetryAfter:            -1,
		Retryable:             bool(e.retryable),
		Response:              copyResponse(e.response),
	}
	if e.retry_after_ms >= 0 {
		out.RetryAfter = time.Duration(e.retry_after_ms) * time.Millisecond
	}
	return out
}

// check turns a status and its error into a Go error.
func check[S ~uint32](status S, e *C.PurecoreError) error {
	if status == StatusOK {
		return nil
	}
	return takeError(e)
}

// AuthData is a copy of a PurecoreAuthData.
type AuthData struct {
	AccessToken  string
	TokenType    string
	RefreshToken string
	State        string
	// ExpiresIn is in seconds, -1 when unknown.
	ExpiresIn int64
	// ExpiresAtMs is milliseconds since the Unix epoch, -1 when unknown.
	ExpiresAtMs int64
}

func takeAuth(a *C.PurecoreAuthData) *AuthData {
	if a == nil {
		return nil
	}
	defer C.purecore_auth_data_free(a)
	return &AuthData{
		AccessToken:  goString(a.access_token),
		TokenType:    goString(a.token_type),
		RefreshToken: goString(a.refresh_token),
		State:        goString(a.state),
		ExpiresIn:    int64(a.expires_in),
		ExpiresAtMs:  int64(a.expires_at_ms),
	}
}

func takeString(s *C.char) string {
	defer C.purecore_string_free(s)
	return goString(s)
}

// Region is one Genesys Cloud region.
type Region struct{ Name, Domain string }

// Regions lists every region the core knows.
func Regions() []Region {
	n := int(C.purecore_region_count())
	out := make([]Region, 0, n)
	for i := 0; i < n; i++ {
		var name, domain *C.char
		if C.purecore_region_get(C.size_t(i), &name, &domain, nil) == StatusOK {
			out = append(out, Region{goString(name), goString(domain)})
		}
	}
	return out
}

// Version is the purecore version.
func Version() string { return goString(C.purecore_version()) }

// GenerateCodeVerifier returns a PKCE verifier of n characters.
func GenerateCodeVerifier(n int) (string, error) {
	var out *C.char
	var e *C.PurecoreError
	if err := check(C.purecore_pkce_generate_verifier(C.size_t(n), &out, &e), e); err != nil {
		return "", err
	}
	return takeString(out), nil
}

// ComputeCodeChallenge returns the S256 challenge of a verifier.
func ComputeCodeChallenge(verifier string) (string, error) {
	var out *C.char
	var e *C.PurecoreError
	if err := check(C.purecore_pkce_compute_challenge(str(verifier), &out, &e), e); err != nil {
		return "", err
	}
	return takeString(out), nil
}

// ParseCodeRedirect reads the code of a code/PKCE redirect; an empty state skips the check.
func ParseCodeRedirect(redirect, expectedState string) (string, error) {
	var out *C.char
	var e *C.PurecoreError
	if err := check(C.purecore_parse_code_redirect(str(redirect), opt(expectedState), &out, &e), e); err != nil {
		return "", err
	}
	return takeString(out), nil
}

type callResult struct {
	status C.PurecoreStatus
	resp   *C.PurecoreResponse
	err    *C.PurecoreError
}

// Call runs an operation by id with JSON parameters (keyed by spec names). A
// cancelled or expired ctx stops it promptly (returning ctx.Err()). A non-2xx reply is
// an *Error whose Response is set.
//
// While few calls are in flight the blocking C call is used (lowest latency); beyond
// that, the asynchronous one, so waiting goroutines do not hold OS threads.
func (c *Client) Call(ctx context.Context, operationID string, paramsJSON []byte) (*Response, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	inFlight := c.inFlight.Add(1)
	defer c.inFlight.Add(-1)
	done := ctx.Done()
	var cancel *C.PurecoreCancel
	if done != nil {
		var e *C.PurecoreError
		if err := check(C.purecore_cancel_new(&cancel, &e), e); err != nil {
			return nil, err
		}
		defer C.purecore_cancel_free(cancel)
	}
	params := C.PurecoreStr{}
	if len(paramsJSON) > 0 {
		params = C.PurecoreStr{ptr: (*C.char)(unsafe.Pointer(&paramsJSON[0])), len: C.size_t(len(paramsJSON))}
	}
	var r callResult
	if inFlight <= int64(blockingLimit) {
		if done != nil {
			fired := make(chan struct{})
			stop := context.AfterFunc(ctx, func() {
				C.purecore_cancel_cancel(cancel, nil)
				close(fired)
			})
			defer func() {
				if !stop() {
					<-fired // the cancel is running: let it finish before the token is freed
				}
			}()
		}
		r.status = C.PurecoreStatus(C.purecore_client_call(c.p, str(operationID), params, nil, 0, cancel, &r.resp, &r.err))
	} else {
		ch := make(chan callResult, 1)
		h := cgo.NewHandle(ch)
		defer h.Delete()
		var e *C.PurecoreError
		st := C.purecore_client_call_async(c.p, str(operationID), params, nil, 0, cancel, C.pc_call_done(), C.pc_handle(C.uintptr_t(h)), &e)
		if st != StatusOK {
			return nil, takeError(e)
		}
		select {
		case r = <-ch:
		case <-done:
			C.purecore_cancel_cancel(cancel, nil)
			r = <-ch
		}
	}
	if r.status == StatusOK {
		return takeResponse(r.resp), nil
	}
	err := takeError(r.err)
	if r.status == StatusCancelled && ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return nil, err
}

// blockingLimit is how many calls in flight use the blocking C call.
var blockingLimit = runtime.NumCPU()
