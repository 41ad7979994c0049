package sendivent

/*
#include "sendivent_cgo.h"
*/
import "C"

import (
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"sync"
	"time"
	"unsafe"
)

// VerifyOptions adjust webhook verification. The zero value (or nil) means: 5 minutes
// tolerance, the system clock, timestamp checked.
type VerifyOptions struct {
	// Tolerance is how far webhook-timestamp may be from now, either way: 0 to 7 days (out of
	// bounds: INVALID_ARGUMENT). nil means the default, 5 minutes. A zero duration means the
	// timestamp must equal now: it never disables the check (that is SkipTimestampCheck).
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
		opts.tolerance = C.double(o.Tolerance.Seconds())
	}
	if !o.Now.IsZero() {
		opts.use_now = true
		opts.now = C.int64_t(o.Now.Unix())
	}
	opts.skip_timestamp_check = C.bool(o.SkipTimestampCheck)
	return opts
}

// cHeaders copies every value of every header into C strings, names sorted and each name's
// values in order: the library decides what repeated headers mean.
func cHeaders(headers http.Header) (*C.sendivent_webhook_header, C.size_t, func()) {
	pairs := headerPairs(headers)
	if len(pairs) == 0 {
		return nil, 0, func() {}
	}
	// C memory: the array holds pointers, which cgo forbids in Go memory passed to C.
	size := C.size_t(len(pairs)) * C.size_t(unsafe.Sizeof(C.sendivent_webhook_header{}))
	list := (*C.sendivent_webhook_header)(C.malloc(size))
	items := unsafe.Slice(list, len(pairs))
	for i, pair := range pairs {
		items[i] = C.sendivent_webhook_header{name: cString(pair[0]), value: cString(pair[1])}
	}
	return list, C.size_t(len(pairs)), func() {
		for _, item := range items {
			freeAll(item.name, item.value)
		}
		C.free(unsafe.Pointer(list))
	}
}

// Verifier verifies webhooks with one or more secrets (several while rotating), keyed once.
// It is safe for concurrent use. Close releases it; printing it shows its secrets redacted.
type Verifier struct {
	mu  sync.RWMutex
	ptr *C.sendivent_webhook_verifier
}

// NewVerifier parses the secrets (whsec_… or whpk_…). Secret pitfalls have their own codes:
// WEBHOOK_SECRET_EMPTY, WEBHOOK_SECRET_IS_API_KEY, WEBHOOK_SECRET_IS_SIGNATURE,
// WEBHOOK_INVALID_SECRET.
func NewVerifier(secrets ...string) (*Verifier, error) {
	count := len(secrets)
	// C memory: the array holds pointers (see cHeaders).
	list := (**C.char)(C.malloc(C.size_t(max(count, 1)) * C.size_t(unsafe.Sizeof((*C.char)(nil)))))
	defer C.free(unsafe.Pointer(list))
	items := unsafe.Slice(list, max(count, 1))
	items[0] = nil
	for i, secret := range secrets {
		items[i] = cString(secret)
	}
	defer freeAll(items[:count]...)
	var ptr *C.sendivent_webhook_verifier
	var cerr *C.sendivent_error
	if err := takeError(C.sendivent_webhook_verifier_new(list, C.size_t(count), &ptr, &cerr), cerr); err != nil {
		return nil, err
	}
	v := &Verifier{ptr: ptr}
	runtime.SetFinalizer(v, (*Verifier).Close)
	return v, nil
}

// Close releases the verifier once every verification in flight has returned. Verifications
// after Close fail with INVALID_ARGUMENT. Close is idempotent.
func (v *Verifier) Close() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.ptr != nil {
		C.sendivent_webhook_verifier_free(v.ptr)
		v.ptr = nil
		runtime.SetFinalizer(v, nil)
	}
	return nil
}

// use runs fn with the live verifier, or fails when it is closed.
func (v *Verifier) use(fn func(*C.sendivent_webhook_verifier) error) error {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.ptr == nil {
		return sdkError(CodeInvalidArgument, "the verifier is closed")
	}
	err := fn(v.ptr)
	// The finalizer must not free the verifier while C uses it.
	runtime.KeepAlive(v)
	return err
}

// Verify checks a received webhook: body is the raw request body exactly as received, headers
// the request's headers (every value of every name is passed on). The error's Code says why it
// failed (WEBHOOK_NO_MATCHING_SIGNATURE, WEBHOOK_TIMESTAMP_TOO_OLD, ...); its class is
// ClassWebhookVerification.
func (v *Verifier) Verify(body []byte, headers http.Header, opts *VerifyOptions) error {
	list, count, free := cHeaders(headers)
	defer free()
	bp, bn := bytesPtr(body)
	copts := opts.c()
	return v.use(func(ptr *C.sendivent_webhook_verifier) error {
		var cerr *C.sendivent_error
		err := takeError(C.sendivent_webhook_verifier_verify(ptr, bp, bn, list, count, &copts, &cerr), cerr)
		runtime.KeepAlive(body)
		return err
	})
}

// VerifyEvent verifies like Verify and parses the body (WEBHOOK_INVALID_PAYLOAD if it is not
// a webhook event).
func (v *Verifier) VerifyEvent(body []byte, headers http.Header, opts *VerifyOptions) (*WebhookEvent, error) {
	list, count, free := cHeaders(headers)
	defer free()
	bp, bn := bytesPtr(body)
	copts := opts.c()
	var event WebhookEvent
	err := v.use(func(ptr *C.sendivent_webhook_verifier) error {
		var out *C.char
		var cerr *C.sendivent_error
		res := C.sendivent_webhook_verifier_verify_event(ptr, bp, bn, list, count, &copts, &out, &cerr)
		runtime.KeepAlive(body)
		if err := takeError(res, cerr); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(takeString(out)), &event); err != nil {
			return internalError("the Go types do not match the library's webhook event: " + err.Error())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &event, nil
}

// VerifyDetailed verifies like Verify and tells which secret matched (Verified.SecretIndex, in
// the order given to NewVerifier, and SecretFingerprint, safe to log): while rotating secrets,
// retire the old one once it stops appearing.
func (v *Verifier) VerifyDetailed(body []byte, headers http.Header, opts *VerifyOptions) (*Verified, error) {
	var verified *Verified
	err := v.verification(body, headers, opts, func(ptr *C.sendivent_webhook_verifier, call verifyCall) error {
		var out *C.char
		var cerr *C.sendivent_error
		if err := takeError(C.sendivent_webhook_verifier_verify_detailed(ptr, call.body, call.bodyLen, call.headers, call.count, call.opts, &out, &cerr), cerr); err != nil {
			return err
		}
		var err error
		verified, err = decodeVerified(takeString(out))
		return err
	})
	return verified, err
}

// VerifyOnce verifies like VerifyDetailed, then records the webhook-id in guard: a second
// delivery of one webhook is an error of class ClassWebhookDuplicate (not a verification
// failure: answer it 2xx without handling it again), a store that fails one of class
// ClassReplayStore (answer 5xx so the sender retries). Only authentic webhooks are recorded.
func (v *Verifier) VerifyOnce(body []byte, headers http.Header, guard *ReplayGuard, opts *VerifyOptions) (*Verified, error) {
	var verified *Verified
	err := guard.use(func(g *C.sendivent_replay_guard) error {
		return v.verification(body, headers, opts, func(ptr *C.sendivent_webhook_verifier, call verifyCall) error {
			var out *C.char
			var cerr *C.sendivent_error
			if err := takeError(C.sendivent_webhook_verifier_verify_once(ptr, g, call.body, call.bodyLen, call.headers, call.count, call.opts, &out, &cerr), cerr); err != nil {
				return err
			}
			var err error
			verified, err = decodeVerified(takeString(out))
			return err
		})
	})
	return verified, err
}

// VerifyEventOnce verifies and records like VerifyOnce and parses the body as a webhook event;
// a body that is not an event is WEBHOOK_INVALID_PAYLOAD every time, never a duplicate.
func (v *Verifier) VerifyEventOnce(body []byte, headers http.Header, guard *ReplayGuard, opts *VerifyOptions) (*WebhookEvent, *Verified, error) {
	var event *WebhookEvent
	var verified *Verified
	err := guard.use(func(g *C.sendivent_replay_guard) error {
		return v.verification(body, headers, opts, func(ptr *C.sendivent_webhook_verifier, call verifyCall) error {
			var eventOut, verifiedOut *C.char
			var cerr *C.sendivent_error
			if err := takeError(C.sendivent_webhook_verifier_verify_event_once(ptr, g, call.body, call.bodyLen, call.headers, call.count, call.opts, &eventOut, &verifiedOut, &cerr), cerr); err != nil {
				return err
			}
			event = new(WebhookEvent)
			if err := json.Unmarshal([]byte(takeString(eventOut)), event); err != nil {
				takeString(verifiedOut)
				return internalError("the Go types do not match the library's webhook event: " + err.Error())
			}
			var err error
			verified, err = decodeVerified(takeString(verifiedOut))
			return err
		})
	})
	if err != nil {
		return nil, nil, err
	}
	return event, verified, nil
}

// verifyCall holds the C arguments of one verification.
type verifyCall struct {
	body    *C.uint8_t
	bodyLen C.size_t
	headers *C.sendivent_webhook_header
	count   C.size_t
	opts    *C.sendivent_verify_options
}

// verification converts the arguments and runs fn with the live verifier.
func (v *Verifier) verification(body []byte, headers http.Header, opts *VerifyOptions, fn func(*C.sendivent_webhook_verifier, verifyCall) error) error {
	list, count, free := cHeaders(headers)
	defer free()
	bp, bn := bytesPtr(body)
	copts := opts.c()
	err := v.use(func(ptr *C.sendivent_webhook_verifier) error {
		return fn(ptr, verifyCall{body: bp, bodyLen: bn, headers: list, count: count, opts: &copts})
	})
	runtime.KeepAlive(body)
	return err
}

func decodeVerified(text string) (*Verified, error) {
	var verified Verified
	if err := json.Unmarshal([]byte(text), &verified); err != nil {
		return nil, internalError("the Go types do not match the library's verification: " + err.Error())
	}
	return &verified, nil
}

// Format prints the verifier (core's description of it) with its secrets redacted.
func (v *Verifier) Format(f fmt.State, verb rune) {
	text := "closed"
	_ = v.use(func(ptr *C.sendivent_webhook_verifier) error {
		var out *C.char
		if C.sendivent_webhook_verifier_debug_string(ptr, &out, nil) == C.SENDIVENT_OK {
			text = takeString(out)
		}
		return nil
	})
	fmt.Fprintf(f, "sendivent.Verifier{%s}", text)
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
	err := takeError(C.sendivent_webhook_sign(s, id, C.int64_t(timestamp), bp, bn, &out, &cerr), cerr)
	runtime.KeepAlive(body)
	if err != nil {
		return "", err
	}
	return takeString(out), nil
}
