package sendivent

/*
#include <stdlib.h>
#include "sendivent.h"
*/
import "C"

import (
	"encoding/json"
	"net/http"
	"sort"
	"time"
	"unsafe"
)

// Identifier is a resolved recipient identifier.
type Identifier struct {
	// Kind is "email", "phone", "uuid", "slack_channel", "slack_user" or "external_id".
	Kind string `json:"kind"`
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
	return Identifier{Kind: C.GoString(C.sendivent_identifier_kind_name(C.uint32_t(kind))), Value: takeString(out)}, nil
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

// DecodeResponse decodes an API answer body as the named shape (e.g. "send_response",
// "contact_envelope") the way the client does, and returns its canonical JSON.
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

// VerifyOptions adjust webhook verification. The zero value (or nil) means: 5 minutes
// tolerance, the system clock, timestamp checked.
type VerifyOptions struct {
	// Tolerance is how far webhook-timestamp may be from now, either way, in whole seconds.
	// nil means the default, 5 minutes. A zero duration means the timestamp must equal now: it
	// never disables the check (that is SkipTimestampCheck).
	Tolerance *time.Duration
	// Now pins the current time (tests, replays); zero reads the system clock.
	Now time.Time
	// SkipTimestampCheck skips the tolerance check entirely: only for replaying stored
	// webhooks, as it leaves you open to replays.
	SkipTimestampCheck bool
}

func (o *VerifyOptions) c() C.sendivent_verify_options {
	opts := C.sendivent_verify_options_default()
	if o == nil {
		return opts
	}
	if o.Tolerance != nil {
		secs := *o.Tolerance / time.Second
		if secs < 0 {
			secs = 0
		}
		opts.tolerance_secs = C.uint64_t(secs)
	}
	if !o.Now.IsZero() {
		opts.use_now = true
		opts.now = C.int64_t(o.Now.Unix())
	}
	opts.skip_timestamp_check = C.bool(o.SkipTimestampCheck)
	return opts
}

// Duration returns a pointer to d, for VerifyOptions.Tolerance.
func Duration(d time.Duration) *time.Duration { return &d }

// cHeaders copies headers into C strings: the first value of each name, names sorted.
func cHeaders(headers http.Header) ([]C.sendivent_webhook_header, []*C.char) {
	names := make([]string, 0, len(headers))
	for name, values := range headers {
		if len(values) > 0 {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	list := make([]C.sendivent_webhook_header, 0, len(names))
	owned := make([]*C.char, 0, 2*len(names))
	for _, name := range names {
		n, v := cString(name), cString(headers[name][0])
		owned = append(owned, n, v)
		list = append(list, C.sendivent_webhook_header{name: n, value: v})
	}
	return list, owned
}

func headerPtr(list []C.sendivent_webhook_header) (*C.sendivent_webhook_header, C.size_t) {
	if len(list) == 0 {
		return nil, 0
	}
	return &list[0], C.size_t(len(list))
}

// Verifier verifies webhooks with one or more secrets (several while rotating), keyed once.
// It is safe for concurrent use. Close releases it.
type Verifier struct {
	ptr *C.sendivent_webhook_verifier
}

// NewVerifier parses the secrets (whsec_… or whpk_…). Secret pitfalls have their own codes:
// WEBHOOK_SECRET_EMPTY, WEBHOOK_SECRET_IS_API_KEY, WEBHOOK_SECRET_IS_SIGNATURE,
// WEBHOOK_INVALID_SECRET.
func NewVerifier(secrets ...string) (*Verifier, error) {
	owned := make([]*C.char, len(secrets))
	for i, s := range secrets {
		owned[i] = cString(s)
	}
	defer freeAll(owned...)
	var list **C.char
	if len(owned) > 0 {
		// C memory: cgo forbids passing Go memory holding pointers the checker cannot see into.
		arr := (*[1 << 20]*C.char)(C.malloc(C.size_t(len(owned)) * C.size_t(unsafe.Sizeof(uintptr(0)))))[:len(owned):len(owned)]
		copy(arr, owned)
		list = &arr[0]
		defer C.free(unsafe.Pointer(list))
	} else {
		var empty *C.char
		list = &empty
	}
	var ptr *C.sendivent_webhook_verifier
	var cerr *C.sendivent_error
	if err := takeError(C.sendivent_webhook_verifier_new(list, C.size_t(len(owned)), &ptr, &cerr), cerr); err != nil {
		return nil, err
	}
	v := &Verifier{ptr: ptr}
	setVerifierFinalizer(v)
	return v, nil
}

// Close releases the verifier. Do not use it afterwards.
func (v *Verifier) Close() {
	if v.ptr != nil {
		C.sendivent_webhook_verifier_free(v.ptr)
		v.ptr = nil
	}
}

// Verify checks a received webhook: body is the raw request body exactly as received.
// The error's Code says why it failed (WEBHOOK_NO_MATCHING_SIGNATURE, WEBHOOK_TIMESTAMP_TOO_OLD, ...).
func (v *Verifier) Verify(body []byte, headers http.Header, opts *VerifyOptions) error {
	list, owned := cHeaders(headers)
	defer freeAll(owned...)
	hp, hn := headerPtr(list)
	bp, bn := bytesPtr(body)
	copts := opts.c()
	var cerr *C.sendivent_error
	return takeError(C.sendivent_webhook_verifier_verify(v.ptr, bp, bn, hp, hn, &copts, &cerr), cerr)
}

// VerifyEvent verifies like Verify and parses the body (WEBHOOK_INVALID_PAYLOAD if it is not
// a webhook event).
func (v *Verifier) VerifyEvent(body []byte, headers http.Header, opts *VerifyOptions) (*WebhookEvent, error) {
	list, owned := cHeaders(headers)
	defer freeAll(owned...)
	hp, hn := headerPtr(list)
	bp, bn := bytesPtr(body)
	copts := opts.c()
	var out *C.char
	var cerr *C.sendivent_error
	if err := takeError(C.sendivent_webhook_verifier_verify_event(v.ptr, bp, bn, hp, hn, &copts, &out, &cerr), cerr); err != nil {
		return nil, err
	}
	var event WebhookEvent
	if err := json.Unmarshal([]byte(takeString(out)), &event); err != nil {
		return nil, &Error{Code: CodeWebhookInvalidPayload, Number: uint32(C.SENDIVENT_ERR_WEBHOOK_INVALID_PAYLOAD), Message: err.Error()}
	}
	return &event, nil
}

// VerifyWebhook verifies with one secret (parsed on every call; keep a Verifier on hot paths).
func VerifyWebhook(secret string, body []byte, headers http.Header, opts *VerifyOptions) error {
	v, err := NewVerifier(secret)
	if err != nil {
		return err
	}
	defer v.Close()
	return v.Verify(body, headers, opts)
}

// VerifyWebhookEvent verifies with one secret and parses the event.
func VerifyWebhookEvent(secret string, body []byte, headers http.Header, opts *VerifyOptions) (*WebhookEvent, error) {
	v, err := NewVerifier(secret)
	if err != nil {
		return nil, err
	}
	defer v.Close()
	return v.VerifyEvent(body, headers, opts)
}

// SignWebhook returns the webhook-signature header value for a message (v1,<base64> for a
// whsec_ secret): what Sendivent sends, for tests and local senders.
func SignWebhook(secret, msgID string, timestamp int64, body []byte) (string, error) {
	s, id := cString(secret), cString(msgID)
	defer freeAll(s, id)
	bp, bn := bytesPtr(body)
	var out *C.char
	var cerr *C.sendivent_error
	if err := takeError(C.sendivent_webhook_sign(s, id, C.int64_t(timestamp), bp, bn, &out, &cerr), cerr); err != nil {
		return "", err
	}
	return takeString(out), nil
}
