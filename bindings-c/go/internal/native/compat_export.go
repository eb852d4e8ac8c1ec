package native

/*
#include <stdint.h>
#include "purecore.h"
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

// purecoreGoToken receives every new token (from a purecore thread or inside a blocking
// call) and hands it to the hook registered with NewTokenHook.
//
//export purecoreGoToken
func purecoreGoToken(userData unsafe.Pointer, token C.PurecoreStr, expiresAtMs C.int64_t) {
	hook, ok := cgo.Handle(uintptr(userData)).Value().(func(string, int64))
	if !ok || hook == nil {
		return
	}
	t := strRef(token)
	defer func() { _ = recover() }() // a panicking hook must not take the process down
	hook(t, int64(expiresAtMs))
}

// purecoreGoLoginDone receives the outcome of purecore_client_login_async and hands it
// to the waiting goroutine (the channel has room for it).
//
//export purecoreGoLoginDone
func purecoreGoLoginDone(userData unsafe.Pointer, status C.PurecoreStatus, auth *C.PurecoreAuthData, err *C.PurecoreError) {
	ch := cgo.Handle(uintptr(userData)).Value().(chan loginResult)
	ch <- loginResult{status: status, auth: auth, err: err}
}
