package sendivent

/*
#cgo !sendivent_system CFLAGS: -I${SRCDIR}/../../include -I${SRCDIR}/../../target/release
#cgo !sendivent_system LDFLAGS: ${SRCDIR}/../../target/release/libsendivent.a -lm -ldl -lpthread
#cgo sendivent_system CFLAGS: -DSENDIVENT_SYSTEM
#cgo sendivent_system pkg-config: sendivent-static
#include "sendivent_cgo.h"
*/
import "C"

import (
	"encoding/json"
	"unsafe"
)

// Version is the version of the linked libsendivent ("MAJOR.MINOR.PATCH"), which is the core's.
func Version() string {
	return C.GoString(C.sendivent_version())
}

// cString copies s into C memory; free it with freeAll.
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

// takeError converts the error object of a failed call into *Error and frees it; nil when res
// is SENDIVENT_OK.
func takeError(res C.sendivent_result, e *C.sendivent_error) error {
	if res == C.SENDIVENT_OK {
		return nil
	}
	if e == nil {
		return internalError("libsendivent failed without an error object")
	}
	defer C.sendivent_error_free(e)
	return errorFromDetails([]byte(C.GoString(C.sendivent_error_details_json(e))))
}

// errorFromDetails is the *Error for core's description of an error (ErrorDetails JSON).
func errorFromDetails(details []byte) error {
	var e Error
	if err := json.Unmarshal(details, &e.ErrorDetails); err != nil {
		return internalError("cannot read an error's details: " + err.Error())
	}
	return &e
}

// internalError reports a bug in this package or the library without going through the library,
// which is what failed.
func internalError(message string) error {
	return &Error{ErrorDetails{Code: CodeInternalError, Class: ClassInternal, Message: message,
		Display: CodeInternalError + ": " + message}}
}

// sdkError is an error this package raises itself, built by core from its code (as every
// language builds it): the class, message and retryability come from core's table.
func sdkError(code, message string) error {
	c, m := cString(code), cString(message)
	defer freeAll(c, m)
	var e *C.sendivent_error
	return takeError(C.sendivent_error_from_code(c, m, &e), e)
}

// errorFromAnswer is the error the client builds from an HTTP error answer, without a server
// (core's Error::from_answer): the behaviour vectors check the package's error mapping with it.
func errorFromAnswer(status int, headers [][2]string, body string, isSend bool) error {
	h := []byte("null")
	if headers != nil {
		h, _ = json.Marshal(headers)
	}
	ch, cb := cString(string(h)), cString(body)
	defer freeAll(ch, cb)
	var e *C.sendivent_error
	return takeError(C.sendivent_error_from_answer(C.uint16_t(status), ch, cb, C.bool(isSend), &e), e)
}

// redact shows a secret the way the SDK shows secrets everywhere: its prefix and last four
// characters (core's redaction). "" stays "".
func redact(secret string) string {
	if secret == "" {
		return ""
	}
	s := cString(secret)
	defer freeAll(s)
	var out *C.char
	if C.sendivent_redact(s, &out, nil) != C.SENDIVENT_OK {
		return "…"
	}
	return takeString(out)
}

// libraryCodeName is the code string the linked library gives a result number ("" when the
// number is not assigned): the test that the code table and the library agree reads it.
func libraryCodeName(number int) string {
	name := C.sendivent_result_name(C.uint32_t(number))
	if name == nil {
		return ""
	}
	return C.GoString(name)
}
