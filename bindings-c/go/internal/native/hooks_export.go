package native

/*
#include <stdint.h>
#include "purecore.h"
*/
import "C"

import (
	"bytes"
	"fmt"
	"runtime/cgo"
	"slices"
	"unsafe"
)

// purecoreGoRequestHook runs the hook registered with NewRequestHook (on the thread of
// the call) and applies its changes.
//
//export purecoreGoRequestHook
func purecoreGoRequestHook(userData unsafe.Pointer, r *C.PurecoreHookRequest) (status C.int32_t) {
	hook, ok := cgo.Handle(uintptr(userData)).Value().(func(*HookRequest))
	if !ok || hook == nil {
		return C.int32_t(C.PURECORE_STATUS_OK)
	}
	before, ok := readHookRequest(r)
	if !ok {
		return C.int32_t(C.PURECORE_STATUS_INTERNAL)
	}
	after := &HookRequest{
		OperationID: before.OperationID, Method: before.Method, URL: before.URL,
		Headers: slices.Clone(before.Headers), Body: bytes.Clone(before.Body),
	}
	defer func() {
		if p := recover(); p != nil {
			C.purecore_hook_request_set_error_message(r, str(fmt.Sprintf("the Go hook panicked: %v", p)), nil)
			status = C.int32_t(C.PURECORE_STATUS_INTERNAL)
		}
	}()
	hook(after)
	return C.int32_t(writeHookRequest(r, before, after))
}

// purecoreGoResponseHook hands a copy of one attempt to the hook registered with
// NewResponseHook (on the thread of the call).
//
//export purecoreGoResponseHook
func purecoreGoResponseHook(userData unsafe.Pointer, r *C.PurecoreHookResponse) C.int32_t {
	hook, ok := cgo.Handle(uintptr(userData)).Value().(func(*HookResponse))
	if !ok || hook == nil {
		return C.int32_t(C.PURECORE_STATUS_OK)
	}
	resp := &HookResponse{
		OperationID:  strRef(r.operation_id),
		Method:       strRef(r.method),
		URL:          strRef(r.url),
		Attempt:      int(r.attempt),
		Status:       int(r.status),
		ErrorMessage: strRef(r.error_message),
	}
	if r.error_status != C.PURECORE_STATUS_OK {
		resp.ErrorKind = C.GoString(C.purecore_status_name(C.int32_t(r.error_status)))
	}
	if r.headers_len > 0 {
		for _, h := range unsafe.Slice(r.headers, int(r.headers_len)) {
			resp.Headers = append(resp.Headers, [2]string{strRef(h.name), strRef(h.value)})
		}
	}
	resp.Body = []byte{}
	if r.body_len > 0 {
		resp.Body = C.GoBytes(unsafe.Pointer(r.body), C.int(r.body_len))
	}
	defer func() { _ = recover() }() // a panicking hook must not take the process down
	hook(resp)
	return C.int32_t(C.PURECORE_STATUS_OK)
}
