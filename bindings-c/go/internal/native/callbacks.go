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

// ExchangeEvent is told to an exchange hook after every HTTP exchange.
type ExchangeEvent struct {
	Method, URL string
	// Status is 0 when no reply came.
	Status        int
	Attempt       int
	Duration      time.Duration
	CorrelationID string
	Error         string
	// Headers of the reply, names in lower case.
	Headers     [][2]string
	IsTokenCall bool
}

//export purecoreGoExchangeHook
func purecoreGoExchangeHook(userData unsafe.Pointer, ev *C.PurecoreExchangeEvent) {
	hook, ok := cgo.Handle(uintptr(userData)).Value().(func(ExchangeEvent))
	if !ok || hook == nil {
		return
	}
	event := ExchangeEvent{
		Method:        goString(ev.method),
		URL:           goString(ev.url),
		Status:        int(ev.status),
		Attempt:       int(ev.attempt),
		Duration:      time.Duration(ev.duration_us) * time.Microsecond,
		CorrelationID: goString(ev.correlation_id),
		Error:         goString(ev.error),
		IsTokenCall:   bool(ev.is_token_call),
	}
	if ev.headers_len > 0 {
		for _, h := range unsafe.Slice(ev.headers, int(ev.headers_len)) {
			event.Headers = append(event.Headers, [2]string{strRef(h.name), strRef(h.value)})
		}
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
