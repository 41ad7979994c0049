package sendivent

/*
#cgo CFLAGS: -I${SRCDIR}/../../include
#cgo !sendivent_system LDFLAGS: ${SRCDIR}/../../target/release/libsendivent.a -lm -ldl -lpthread
#cgo sendivent_system pkg-config: sendivent-static
#include <stdlib.h>
#include "sendivent.h"
*/
import "C"

import (
	"encoding/json"
	"runtime"
	"unsafe"
)

// Version is the version of the linked libsendivent, e.g. "0.1.0".
func Version() string {
	return C.GoString(C.sendivent_version())
}

// cString copies s into C memory; free it with C.free.
func cString(s string) *C.char {
	return C.CString(s)
}

// optionalCString is cString, or NULL for "".
func optionalCString(s string) *C.char {
	if s == "" {
		return nil
	}
	return C.CString(s)
}

func freeAll(ptrs ...*C.char) {
	for _, p := range ptrs {
		if p != nil {
			C.free(unsafe.Pointer(p))
		}
	}
}

// takeString copies a string returned by the library and releases it with sendivent_string_free.
func takeString(p *C.char) string {
	if p == nil {
		return ""
	}
	s := C.GoString(p)
	C.sendivent_string_free(p)
	return s
}

// bytesPtr points C at a Go byte slice for the duration of a call (no Go pointers inside).
func bytesPtr(b []byte) (*C.uint8_t, C.size_t) {
	if len(b) == 0 {
		return nil, 0
	}
	return (*C.uint8_t)(unsafe.Pointer(&b[0])), C.size_t(len(b))
}

// takeError converts an error object into *Error and frees it. res is the call's result.
func takeError(res C.sendivent_result, e *C.sendivent_error) error {
	if res == C.SENDIVENT_OK {
		return nil
	}
	err := &Error{Number: uint32(res)}
	if e == nil {
		err.Code = C.GoString(C.sendivent_result_name(C.uint32_t(res)))
		return err
	}
	defer C.sendivent_error_free(e)
	err.Code = C.GoString(C.sendivent_error_code(e))
	err.Status = int(C.sendivent_error_status(e))
	err.Message = C.GoString(C.sendivent_error_message(e))
	if id := C.sendivent_error_request_id(e); id != nil {
		err.RequestID = C.GoString(id)
	}
	if details := C.GoString(C.sendivent_error_details_json(e)); details != "" && details != "[]" {
		_ = json.Unmarshal([]byte(details), &err.SendErrors)
	}
	return err
}

// libraryCodes lists the code names of every result number the library knows (0 excluded).
func libraryCodes() map[uint32]string {
	codes := map[uint32]string{}
	for n := uint32(1); n < 1000; n++ {
		if name := C.sendivent_result_name(C.uint32_t(n)); name != nil {
			codes[n] = C.GoString(name)
		}
	}
	return codes
}

// setVerifierFinalizer frees a verifier the caller forgot to Close.
func setVerifierFinalizer(v *Verifier) {
	runtime.SetFinalizer(v, (*Verifier).Close)
}
