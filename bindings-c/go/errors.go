package sendivent

import "errors"

// Error is every error this package returns for a failed call (besides context errors): core's
// description of the error, the same fields every language raises from. Use errors.As to get
// it, and errors.Is with a class to test what kind of error it is:
//
//	var serr *sendivent.Error
//	if errors.As(err, &serr) && serr.Code == sendivent.CodeSendFailed {
//		for _, reason := range serr.Errors { log.Print(reason.Code, reason.Message) }
//	}
//	if errors.Is(err, sendivent.ClassRateLimit) { /* back off for *serr.RetryAfter seconds */ }
type Error struct {
	ErrorDetails
}

// Error implements error: "CODE: message (HTTP status, request id ...)", as core shows it.
func (e *Error) Error() string {
	return e.Display
}

// Is reports whether target is a Class the error's class is or derives from
// (errors.Is(err, sendivent.ClassAPI) holds for every API error), or an *Error with the same
// Code (errors.Is(err, &sendivent.Error{ErrorDetails: sendivent.ErrorDetails{Code: ...}})).
func (e *Error) Is(target error) bool {
	switch t := target.(type) {
	case Class:
		return e.Class.IsA(t)
	case *Error:
		return t.Code == e.Code
	}
	return false
}

// Class is the class an error is raised as, named as in every language (ClassNotFound is
// "NotFoundError"). A Class is an error value only so that errors.Is can test for it.
type Class string

// Error returns the class name.
func (c Class) Error() string {
	return string(c)
}

// IsA reports whether c is ancestor or derives from it.
func (c Class) IsA(ancestor Class) bool {
	for class := c; class != ""; class = class.Parent() {
		if class == ancestor {
			return true
		}
	}
	return false
}

// CodeOf returns the Code of a *Error inside err, or "" when err is not one.
func CodeOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
