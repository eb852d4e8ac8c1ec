package native

// The client's request and response hooks (purecore_client_set_request_hook and
// purecore_client_set_response_hook): the request hook sees each call's built request
// once and may change it; the response hook sees every attempt.

/*
#include <stdint.h>
#include "purecore.h"

extern int32_t purecoreGoRequestHook(void *user_data, PurecoreHookRequest *request);
extern int32_t purecoreGoResponseHook(void *user_data, const PurecoreHookResponse *response);
static PurecoreRequestHookCallback pc_request_hook_cb(void) { return purecoreGoRequestHook; }
static PurecoreResponseHookCallback pc_response_hook_cb(void) { return purecoreGoResponseHook; }
static void *pc_hook_ptr(uintptr_t h) { return (void *)h; }
*/
import "C"

import (
	"bytes"
	"runtime/cgo"
	"slices"
	"unsafe"
)

// HookRequest is a copy of the request a request hook sees; the hook changes URL,
// Headers and Body in place, and the call sends what they hold then (on every attempt).
type HookRequest struct {
	// OperationID is "" for a request by path.
	OperationID, Method, URL string
	// Headers in order (the bearer token is added at each send).
	Headers [][2]string
	// Body is nil when the request has none.
	Body []byte
}

// HookResponse is one attempt of a call, as a response hook sees it.
type HookResponse struct {
	OperationID, Method, URL string
	// Attempt is 1 for the first send.
	Attempt int
	// Status is 0 when no reply came.
	Status int
	// Headers of the reply, names in lower case.
	Headers [][2]string
	Body    []byte
	// ErrorKind is "" when the attempt succeeded, else the status name of its failure.
	ErrorKind, ErrorMessage string
}

// NewRequestHook registers fn; a panic in fn ends the call with an internal error.
func NewRequestHook(fn func(*HookRequest)) *Hook { return &Hook{cgo.NewHandle(fn)} }

// NewResponseHook registers fn; a panic in fn is ignored.
func NewResponseHook(fn func(*HookResponse)) *Hook { return &Hook{cgo.NewHandle(fn)} }

// SetRequestHook installs h on the client (nil removes it); h must outlive its installation.
func (c *Client) SetRequestHook(h *Hook) error {
	return c.call(func(e **C.PurecoreError) uint32 {
		if h == nil || h.h == 0 {
			return C.purecore_client_set_request_hook(c.p, nil, nil, e)
		}
		return C.purecore_client_set_request_hook(c.p, C.pc_request_hook_cb(), C.pc_hook_ptr(C.uintptr_t(h.h)), e)
	})
}

// SetResponseHook installs h on the client (nil removes it); h must outlive its installation.
func (c *Client) SetResponseHook(h *Hook) error {
	return c.call(func(e **C.PurecoreError) uint32 {
		if h == nil || h.h == 0 {
			return C.purecore_client_set_response_hook(c.p, nil, nil, e)
		}
		return C.purecore_client_set_response_hook(c.p, C.pc_response_hook_cb(), C.pc_hook_ptr(C.uintptr_t(h.h)), e)
	})
}

func hookStr(get func(*C.PurecoreStr) uint32) (string, bool) {
	var s C.PurecoreStr
	if get(&s) != C.PURECORE_STATUS_OK {
		return "", false
	}
	return strRef(s), true
}

// readHookRequest copies the request behind r into Go memory.
func readHookRequest(r *C.PurecoreHookRequest) (*HookRequest, bool) {
	var req HookRequest
	var ok1, ok2, ok3 bool
	req.OperationID, ok1 = hookStr(func(s *C.PurecoreStr) uint32 { return C.purecore_hook_request_operation_id(r, s, nil) })
	req.Method, ok2 = hookStr(func(s *C.PurecoreStr) uint32 { return C.purecore_hook_request_method(r, s, nil) })
	req.URL, ok3 = hookStr(func(s *C.PurecoreStr) uint32 { return C.purecore_hook_request_url(r, s, nil) })
	var n C.size_t
	if !ok1 || !ok2 || !ok3 || C.purecore_hook_request_header_count(r, &n, nil) != C.PURECORE_STATUS_OK {
		return nil, false
	}
	for i := C.size_t(0); i < n; i++ {
		var h C.PurecoreHeaderRef
		if C.purecore_hook_request_header_at(r, i, &h, nil) != C.PURECORE_STATUS_OK {
			return nil, false
		}
		req.Headers = append(req.Headers, [2]string{strRef(h.name), strRef(h.value)})
	}
	var body *C.uint8_t
	var blen C.size_t
	if C.purecore_hook_request_body(r, &body, &blen, nil) != C.PURECORE_STATUS_OK {
		return nil, false
	}
	if body != nil {
		req.Body = C.GoBytes(unsafe.Pointer(body), C.int(blen))
	}
	return &req, true
}

// writeHookRequest sends what the hook changed back to the request behind r.
func writeHookRequest(r *C.PurecoreHookRequest, before, after *HookRequest) uint32 {
	if after.URL != before.URL {
		if st := C.purecore_hook_request_set_url(r, str(after.URL), nil); st != C.PURECORE_STATUS_OK {
			return st
		}
	}
	if !slices.Equal(after.Headers, before.Headers) {
		for _, h := range before.Headers {
			if st := C.purecore_hook_request_remove_header(r, str(h[0]), nil); st != C.PURECORE_STATUS_OK {
				return st
			}
		}
		for _, h := range after.Headers {
			if st := C.purecore_hook_request_add_header(r, str(h[0]), str(h[1]), nil); st != C.PURECORE_STATUS_OK {
				return st
			}
		}
	}
	if (after.Body == nil) != (before.Body == nil) || !bytes.Equal(after.Body, before.Body) {
		var st uint32
		switch {
		case after.Body == nil:
			st = C.purecore_hook_request_set_body(r, nil, 0, nil)
		case len(after.Body) == 0:
			st = C.purecore_hook_request_set_body(r, (*C.uint8_t)(unsafe.Pointer(&emptyByte)), 0, nil)
		default:
			st = C.purecore_hook_request_set_body(r, (*C.uint8_t)(unsafe.Pointer(&after.Body[0])), C.size_t(len(after.Body)), nil)
		}
		if st != C.PURECORE_STATUS_OK {
			return st
		}
	}
	return C.PURECORE_STATUS_OK
}
