package sendivent

/*
#include <stdlib.h>
#include "sendivent.h"
*/
import "C"

import "encoding/json"

// Identifier is a resolved recipient identifier.
type Identifier struct {
	// Kind is what the identifier names.
	Kind IdentifierKind `json:"kind"`

	// Value is the normalised identifier (E.164 phone, lower-cased UUID, ...).
	Value string `json:"value"`
}

// ResolveIdentifier decides what a recipient string is, the way the API does, and normalises
// it. Errors: INVALID_EMAIL, INVALID_PHONE, VALIDATION_ERROR (empty).
func ResolveIdentifier(input string) (Identifier, error) {
	in := cString(input)
	defer freeAll(in)
	var kind C.sendivent_identifier_kind
	var out *C.char
	var cerr *C.sendivent_error
	if err := takeError(C.sendivent_resolve_identifier(in, &kind, &out, &cerr), cerr); err != nil {
		return Identifier{}, err
	}
	name := C.GoString(C.sendivent_identifier_kind_name(C.uint32_t(kind)))
	return Identifier{Kind: IdentifierKind(name), Value: takeString(out)}, nil
}

// ValidateEmail validates an address and returns it normalised (domain lower-cased).
func ValidateEmail(input string) (string, error) {
	return stringCall(input, func(in *C.char, out **C.char, e **C.sendivent_error) C.sendivent_result {
		return C.sendivent_validate_email(in, out, e)
	})
}

// ValidatePhone validates a phone number and returns it in E.164. A number without its country
// code is INVALID_PHONE.
func ValidatePhone(input string) (string, error) {
	return stringCall(input, func(in *C.char, out **C.char, e **C.sendivent_error) C.sendivent_result {
		return C.sendivent_validate_phone(in, out, e)
	})
}

func stringCall(input string, fn func(*C.char, **C.char, **C.sendivent_error) C.sendivent_result) (string, error) {
	in := cString(input)
	defer freeAll(in)
	var out *C.char
	var cerr *C.sendivent_error
	if err := takeError(fn(in, &out, &cerr), cerr); err != nil {
		return "", err
	}
	return takeString(out), nil
}

// DecodeResponse decodes an API answer body as the operation kind would (an operation name such
// as "contacts.get", "webhook_event" or "error_body") the way the client does, and returns the
// canonical JSON of what the SDK returns for it; json.Unmarshal it into the operation's result
// type (Contact for "contacts.get").
func DecodeResponse(kind string, body []byte) (json.RawMessage, error) {
	k, b := cString(kind), cString(string(body))
	defer freeAll(k, b)
	var out *C.char
	var cerr *C.sendivent_error
	if err := takeError(C.sendivent_decode_response(k, b, &out, &cerr), cerr); err != nil {
		return nil, err
	}
	return json.RawMessage(takeString(out)), nil
}
