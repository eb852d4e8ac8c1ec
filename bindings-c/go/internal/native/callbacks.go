package native

/*
#include <stdint.h>
#include "purecore.h"
*/
import "C"

import (
	"runtime/cgo"
	"time"
	"unsafe"
)

// purecoreGoCallDone receives the outcome of purecore_client_call_async on a purecore
// thread and hands it to the waiting goroutine (the channel has room for it).
//
//export purecoreGoCallDone
func purecoreGoCallDone(userData unsafe.Pointer, status C.PurecoreStatus, resp *C.PurecoreResponse, err *C.PurecoreError) {
	ch := cgo.Handle(uintptr(userData)).Value().(chan callResult)
	ch <- callResult{status: status, resp: resp, err: err}
}

// RetryEvent is told to a retry hook before each retry.
type RetryEvent struct {
	Attempt int
	Method  string
	URL     string
	// Status is 0 for a network error.
	Status int
	Wait   time.Duration
	Reason string
}

//export purecoreGoRetryHook
func purecoreGoRetryHook(userData unsafe.Pointer, ev *C.PurecoreRetryEvent) {
	hook, ok := cgo.Handle(uintptr(userData)).Value().(func(RetryEvent))
	if !ok || hook == nil {
		return
	}
	event := RetryEvent{
		Attempt: int(ev.attempt),
		Method:  goString(ev.method),
		URL:     goString(ev.url),
		Status:  int(ev.status),
		Wait:    time.Duration(ev.wait_ms) * time.Millisecond,
		Reason:  goString(ev.reason),
	}
	defer func() { _ = recover() }() // a panicking hook must not take the process down
	hook(event)
}

func strRef(s C.PurecoreStr) string {
	if s.ptr == nil || s.len == 0 {
		return ""
	}
	return C.GoStringN(s.ptr, C.int(s.len))
}
