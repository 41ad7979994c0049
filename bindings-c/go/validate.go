package sendivent

/*
#include "sendivent_cgo.h"
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

// ResolveRecipient decides what a `to` string names on a send to channel, as the send does
// (docs/contract.md §3): with ChannelSlack a Slack channel id ("C01234ABCDE") is a channel
// broadcast, as "#name" is; otherwise, and for "" (every channel), as ResolveIdentifier.
func ResolveRecipient(input string, channel Channel) (Identifier, error) {
	in, ch := cString(input), optionalCString(string(channel))
	defer freeAll(in, ch)
	var kind C.sendivent_identifier_kind
	var out *C.char
	var cerr *C.sendivent_error
	if err := takeError(C.sendivent_resolve_recipient(in, ch, &kind, &out, &cerr), cerr); err != nil {
		return Identifier{}, err
	}
	name := C.GoString(C.sendivent_identifier_kind_name(C.uint32_t(kind)))
	return Identifier{Kind: IdentifierKind(name), Value: takeString(out)}, nil
}

// PrepareSend returns the JSON body Client.Send sends for req on channel ("" for every channel
// of the event): req encoded as Send encodes it, then checked and normalised by the library as
// the send is (the official SDKs' contact spellings become externalId and slack, phones E.164,
// emails' domains lower case). A bad recipient fails here as it would fail the send, with
// INVALID_EMAIL, INVALID_PHONE or VALIDATION_ERROR.
func PrepareSend(channel Channel, req SendRequest) (json.RawMessage, error) {
	body, err := sendBody(req)
	if err != nil {
		return nil, err
	}
	b, ch := cString(string(body)), optionalCString(string(channel))
	defer freeAll(b, ch)
	var out *C.char
	var cerr *C.sendivent_error
	if err := takeError(C.sendivent_prepare_send(b, ch, &out, &cerr), cerr); err != nil {
		return nil, err
	}
	return json.RawMessage(takeString(out)), nil
}

// sendBody is the JSON of req as Client.Send hands it to the library: the "body" argument that
// encodeArgs builds for every call.
func sendBody(req SendRequest) ([]byte, error) {
	args, err := encodeArgs(nil, nil, req)
	if err != nil {
		return nil, sdkError(CodeInvalidRequest, "cannot encode the send request: "+err.Error())
	}
	var fields struct {
		Body json.RawMessage `json:"body"`
	}
	if err := json.Unmarshal(args, &fields); err != nil {
		return nil, internalError("cannot read back the encoded send request: " + err.Error())
	}
	return fields.Body, nil
}
