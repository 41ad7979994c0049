package sendivent

import (
	"errors"
	"fmt"
	"strings"
)

// Error is every error this package returns for a failed call (besides context errors). Use
// errors.As to get it, and switch on Code:
//
//	var serr *sendivent.Error
//	if errors.As(err, &serr) && serr.Code == sendivent.CodeSendFailed {
//		for _, reason := range serr.SendErrors { log.Print(reason.Code, reason.Message) }
//	}
type Error struct {
	// Code is the stable code string, e.g. "INVALID_PHONE", "NOT_FOUND", "SEND_FAILED". API
	// errors keep the server's code exactly as sent, so codes newer than this package survive.
	Code string
	// Number is the C ABI's result number of the code (API_ERROR for unknown API codes).
	Number uint32
	// Status is the HTTP status of the response the error came from, 0 when there was none.
	Status int
	// Message is for people; it never contains the API key or a webhook secret.
	Message string
	// RequestID is the X-Request-Id of the failed response, when the server sent one.
	RequestID string
	// SendErrors are the API's reasons for a failed send (Code == CodeSendFailed).
	SendErrors []SendError
}

// Error implements error: "CODE: message (HTTP status, request id ...)".
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", e.Code, e.Message)
	if e.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d", e.Status)
		if e.RequestID != "" {
			fmt.Fprintf(&b, ", request id %s", e.RequestID)
		}
		b.WriteString(")")
	}
	return b.String()
}

// Is reports whether target is an *Error with the same Code, so that
// errors.Is(err, &sendivent.Error{Code: sendivent.CodeNotFound}) works.
func (e *Error) Is(target error) bool {
	var t *Error
	if !errors.As(target, &t) {
		return false
	}
	return t.Code == e.Code
}

// Retryable reports whether the same call may succeed later: connection errors, timeouts,
// rate limits and server errors. The client has already retried these before returning.
func (e *Error) Retryable() bool {
	switch e.Code {
	case CodeConnectionError, CodeTimeout, CodeRateLimited, CodeServerError, CodeProviderError:
		return true
	}
	return e.Status == 408 || e.Status == 503 || e.Status == 504
}

// CodeOf returns the Code of a *Error inside err, or "" when err is not one.
func CodeOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
