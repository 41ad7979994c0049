// Package sendiventtest signs webhooks the way Sendivent does, on a fixed clock, for tests of
// your own webhook endpoints (the Standard Webhooks headers of docs/contract.md §2).
//
//	body := []byte(`{"event":"delivery.delivered","delivery":{"uuid":"d1","channel":"email","status":"delivered"}}`)
//	req := sendiventtest.NewRequest(t, "/webhooks/sendivent", body, secret)
//	rec := httptest.NewRecorder()
//	handler := sendivent.WebhookMiddleware(verifier, guard, sendivent.WithVerifyOptions(sendiventtest.VerifyOptions()))(yours)
//	handler.ServeHTTP(rec, req)
package sendiventtest

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	sendivent "github.com/sendivent/sendivent-sdk/bindings-c/go"
)

// Now is the fixed clock of the kit: webhooks are signed at Now unless WithTimestamp says
// otherwise, and VerifyOptions verifies at Now.
var Now = time.Unix(1_700_000_000, 0).UTC()

// Option changes how a webhook is signed.
type Option func(*options)

type options struct {
	id        string
	timestamp time.Time
}

// WithID sets the webhook-id (default: msg_test_<n>, a new one per call, as Sendivent gives every
// event its own id). Sign twice with one id to test a redelivery.
func WithID(id string) Option {
	return func(o *options) { o.id = id }
}

// WithTimestamp sets webhook-timestamp (default Now), e.g. Now.Add(-10*time.Minute) for a
// webhook outside the tolerance.
func WithTimestamp(t time.Time) Option {
	return func(o *options) { o.timestamp = t }
}

var sequence atomic.Int64

// SignHeaders returns the webhook-id, webhook-timestamp and webhook-signature headers Sendivent
// sends with body, signed with secret (whsec_…).
func SignHeaders(body []byte, secret string, opts ...Option) (http.Header, error) {
	o := options{timestamp: Now}
	for _, opt := range opts {
		opt(&o)
	}
	if o.id == "" {
		o.id = fmt.Sprintf("msg_test_%d", sequence.Add(1))
	}
	signature, err := sendivent.SignWebhook(secret, o.id, o.timestamp.Unix(), body)
	if err != nil {
		return nil, err
	}
	headers := http.Header{}
	headers.Set("Content-Type", "application/json")
	headers.Set("Webhook-Id", o.id)
	headers.Set("Webhook-Timestamp", fmt.Sprint(o.timestamp.Unix()))
	headers.Set("Webhook-Signature", signature)
	return headers, nil
}

// NewRequest is an httptest request POSTing body to target with signed headers; it fails the
// test when body cannot be signed with secret.
func NewRequest(t testing.TB, target string, body []byte, secret string, opts ...Option) *http.Request {
	t.Helper()
	headers, err := SignHeaders(body, secret, opts...)
	if err != nil {
		t.Fatalf("sendiventtest: cannot sign the webhook: %v", err)
	}
	req := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	req.Header = headers
	return req
}

// VerifyOptions verifies at Now, the kit's clock, with the default tolerance.
func VerifyOptions() *sendivent.VerifyOptions {
	return &sendivent.VerifyOptions{Now: Now}
}
