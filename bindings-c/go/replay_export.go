package sendivent

/*
#include "sendivent_cgo.h"
*/
import "C"

import (
	"fmt"
	"runtime/cgo"
	"time"
	"unsafe"
)

// storeOf is the ReplayStore behind the userdata of a guard made by NewReplayGuard.
func storeOf(userdata unsafe.Pointer) ReplayStore {
	return cgo.Handle(*(*C.uintptr_t)(userdata)).Value().(ReplayStore)
}

// sendiventGoReplayInsert is the insert_if_absent callback of a guard over a Go ReplayStore: the
// store's answer, or its error (or panic) written into error_buf, which makes the verification
// fail with REPLAY_STORE_ERROR. A panic must not unwind into the library.
//
//export sendiventGoReplayInsert
func sendiventGoReplayInsert(userdata unsafe.Pointer, key *C.char, ttlSeconds C.double, now C.int64_t, errorBuf *C.char, errorBufLen C.size_t) (inserted C.bool) {
	fail := func(message string) {
		buf := unsafe.Slice((*byte)(unsafe.Pointer(errorBuf)), int(errorBufLen))
		n := copy(buf[:len(buf)-1], message)
		if n == 0 {
			n = copy(buf[:len(buf)-1], "the store failed")
		}
		buf[n] = 0
	}
	defer func() {
		if r := recover(); r != nil {
			fail(fmt.Sprintf("the ReplayStore panicked: %v", r))
		}
	}()
	ttl := time.Duration(float64(ttlSeconds) * float64(time.Second))
	ok, err := storeOf(userdata).InsertIfAbsent(C.GoString(key), time.Unix(int64(now), 0), ttl)
	if err != nil {
		fail(err.Error())
		return false
	}
	return C.bool(ok)
}

// sendiventGoReplayFree releases the store handle when the library frees the guard.
//
//export sendiventGoReplayFree
func sendiventGoReplayFree(userdata unsafe.Pointer) {
	cgo.Handle(*(*C.uintptr_t)(userdata)).Delete()
	C.free(userdata)
}
