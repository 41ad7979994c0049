package sendivent

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
)

// DefaultMaxWebhookBytes is the largest webhook body WebhookMiddleware reads by default (1 MiB;
// Sendivent's events are a few hundred bytes).
const DefaultMaxWebhookBytes = 1 << 20

// WebhookOption configures WebhookMiddleware.
type WebhookOption func(*webhookOptions)

type webhookOptions struct {
	verify   *VerifyOptions
	maxBytes int64
}

// WithVerifyOptions sets the verification's tolerance or clock (a fixed clock in tests:
// sendiventtest.VerifyOptions).
func WithVerifyOptions(opts *VerifyOptions) WebhookOption {
	return func(o *webhookOptions) { o.verify = opts }
}

// WithMaxBodyBytes sets the largest body read (default DefaultMaxWebhookBytes); a larger one is
// answered 413.
func WithMaxBodyBytes(n int64) WebhookOption {
	return func(o *webhookOptions) { o.maxBytes = n }
}

type contextKey int

const (
	eventKey contextKey = iota
	verifiedKey
)

// EventFromContext returns the verified event WebhookMiddleware put in a request's context.
func EventFromContext(ctx context.Context) (*WebhookEvent, bool) {
	event, ok := ctx.Value(eventKey).(*WebhookEvent)
	return event, ok
}

// VerifiedFromContext returns which secret verified the request's webhook (rotation insight).
func VerifiedFromContext(ctx context.Context) (*Verified, bool) {
	verified, ok := ctx.Value(verifiedKey).(*Verified)
	return verified, ok
}

// WebhookMiddleware receives Sendivent's webhooks for next: it reads the raw body itself,
// verifies it with v and records it in guard (Verifier.VerifyEventOnce), and calls next only for
// an authentic webhook seen for the first time, with the event in the request's context
// (EventFromContext) and the raw body still readable from r.Body. Everything else is answered
// without calling next:
//
//   - a webhook that fails verification (class ClassWebhookVerification): 400 with the reason;
//   - a duplicate delivery (ClassWebhookDuplicate): 204, so the sender stops retrying;
//   - a replay store that failed (ClassReplayStore): 503, so the sender retries later;
//   - a method other than POST: 405; a body over the limit: 413.
//
// It panics when v or guard is nil, as http.Handle does for a nil handler: replay protection is
// part of receiving webhooks correctly.
func WebhookMiddleware(v *Verifier, guard *ReplayGuard, opts ...WebhookOption) func(http.Handler) http.Handler {
	if v == nil || guard == nil {
		panic("sendivent.WebhookMiddleware: the verifier and the replay guard must not be nil")
	}
	o := webhookOptions{maxBytes: DefaultMaxWebhookBytes}
	for _, opt := range opts {
		opt(&o)
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodPost {
				w.Header().Set("Allow", http.MethodPost)
				http.Error(w, "webhooks are POSTed", http.StatusMethodNotAllowed)
				return
			}
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, o.maxBytes))
			if err != nil {
				var tooLarge *http.MaxBytesError
				if errors.As(err, &tooLarge) {
					http.Error(w, "webhook body too large", http.StatusRequestEntityTooLarge)
				} else {
					http.Error(w, "cannot read the webhook body", http.StatusBadRequest)
				}
				return
			}
			event, verified, err := v.VerifyEventOnce(body, r.Header, guard, o.verify)
			switch {
			case err == nil:
			case errors.Is(err, ClassWebhookDuplicate):
				w.WriteHeader(http.StatusNoContent)
				return
			case errors.Is(err, ClassWebhookVerification):
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			case errors.Is(err, ClassReplayStore):
				http.Error(w, "the replay store is unavailable; retry later", http.StatusServiceUnavailable)
				return
			default:
				http.Error(w, "cannot verify the webhook", http.StatusInternalServerError)
				return
			}
			ctx := context.WithValue(context.WithValue(r.Context(), eventKey, event), verifiedKey, verified)
			r = r.WithContext(ctx)
			r.Body = io.NopCloser(bytes.NewReader(body))
			next.ServeHTTP(w, r)
		})
	}
}
