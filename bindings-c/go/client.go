package sendivent

/*
#include <stdlib.h>
#include "sendivent.h"
*/
import "C"

import (
	"context"
	"encoding/json"
	"iter"
	"runtime"
	"sync"
	"time"
)

// Options configure a Client. The zero value reads the key from SENDIVENT_API_KEY and the base
// URL from SENDIVENT_BASE_URL (else chosen by the key's prefix), with the documented defaults.
type Options struct {
	// APIKey is the key (live_… or test_…). Default: SENDIVENT_API_KEY.
	APIKey string
	// BaseURL overrides where requests go (e.g. a mock). Default: SENDIVENT_BASE_URL, else
	// https://api.sendivent.com for live_ keys and https://api-sandbox.sendivent.com for test_.
	BaseURL string
	// Timeout is the per-attempt timeout. Default (0): 30 s.
	Timeout time.Duration
	// MaxRetries is the number of retries after the first attempt. Default (nil): 2.
	MaxRetries *int
	// AllowInsecureHTTP permits plain http:// to non-loopback hosts. Default: false.
	AllowInsecureHTTP bool
}

// Int returns a pointer to n, for Options.MaxRetries.
func Int(n int) *int { return &n }

// Client calls the Sendivent API through libsendivent. It is safe for concurrent use by many
// goroutines; create one and reuse it. Close releases it.
type Client struct {
	mu  sync.RWMutex
	ptr *C.sendivent_client
}

// NewClient creates a client. It fails with MISSING_API_KEY, INVALID_API_KEY,
// INVALID_BASE_URL or INSECURE_BASE_URL before any request is made.
func NewClient(opts Options) (*Client, error) {
	copts := C.sendivent_client_options_default()
	key, base := optionalCString(opts.APIKey), optionalCString(opts.BaseURL)
	defer freeAll(key, base)
	copts.api_key, copts.base_url = key, base
	if opts.Timeout > 0 {
		copts.timeout_ms = C.uint64_t(opts.Timeout.Milliseconds())
		if copts.timeout_ms == 0 {
			copts.timeout_ms = 1
		}
	}
	if opts.MaxRetries != nil && *opts.MaxRetries >= 0 {
		copts.max_retries = C.int32_t(*opts.MaxRetries)
	}
	copts.allow_insecure_http = C.bool(opts.AllowInsecureHTTP)
	var ptr *C.sendivent_client
	var cerr *C.sendivent_error
	if err := takeError(C.sendivent_client_new(&copts, &ptr, &cerr), cerr); err != nil {
		return nil, err
	}
	c := &Client{ptr: ptr}
	runtime.SetFinalizer(c, (*Client).Close)
	return c, nil
}

// Close releases the client after in-flight calls finish. Calls after Close fail with
// INVALID_ARGUMENT. Close is idempotent.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ptr != nil {
		C.sendivent_client_free(c.ptr)
		c.ptr = nil
		runtime.SetFinalizer(c, nil)
	}
	return nil
}

type endpointFn func(h *C.sendivent_client, out **C.char, e **C.sendivent_error) C.sendivent_result

// call runs one blocking C call on its own goroutine so that ctx can stop the wait. When ctx
// ends first, call returns ctx.Err(); the request itself still completes (or times out) in the
// background and its answer is released. Sends carry an idempotency key, so retrying one
// after a cancellation with the same WithIdempotencyKey never notifies twice.
func call[T any](ctx context.Context, c *Client, owned []*C.char, fn endpointFn) (*Result[T], error) {
	if err := ctx.Err(); err != nil {
		freeAll(owned...)
		return nil, err
	}
	c.mu.RLock()
	if c.ptr == nil {
		c.mu.RUnlock()
		freeAll(owned...)
		return nil, &Error{Code: CodeInvalidArgument, Number: uint32(C.SENDIVENT_ERR_INVALID_ARGUMENT),
			Message: "the client is closed"}
	}
	type outcome struct {
		body string
		err  error
	}
	done := make(chan outcome, 1)
	go func(h *C.sendivent_client) {
		defer c.mu.RUnlock()
		defer freeAll(owned...)
		var out *C.char
		var cerr *C.sendivent_error
		res := fn(h, &out, &cerr)
		if res != C.SENDIVENT_OK {
			done <- outcome{err: takeError(res, cerr)}
			return
		}
		done <- outcome{body: takeString(out)}
	}(c.ptr)
	select {
	case o := <-done:
		if o.err != nil {
			return nil, o.err
		}
		var r Result[T]
		if err := json.Unmarshal([]byte(o.body), &r); err != nil {
			return nil, &Error{Code: CodeInvalidResponse, Number: uint32(C.SENDIVENT_ERR_INVALID_RESPONSE),
				Message: "cannot decode the answer: " + err.Error()}
		}
		return &r, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func jsonArg(v any) (*C.char, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, &Error{Code: CodeInvalidRequest, Number: uint32(C.SENDIVENT_ERR_INVALID_REQUEST),
			Message: "cannot encode the request: " + err.Error()}
	}
	return C.CString(string(b)), nil
}

// SendOption adjusts one send.
type SendOption func(*sendOptions)

type sendOptions struct{ idempotencyKey string }

// WithIdempotencyKey sets the send's idempotency key (e.g. "order-1042-confirmation"), so the
// send is idempotent across retries, cancellations and process restarts. Without it a key is
// generated per call and reused by that call's retries.
func WithIdempotencyKey(key string) SendOption {
	return func(o *sendOptions) { o.idempotencyKey = key }
}

// Send is POST /v1/send/{event}: sends the event on all its channels. Recipients are validated
// first (INVALID_EMAIL, INVALID_PHONE, VALIDATION_ERROR). A send the API answers with
// success: false is an *Error with Code SEND_FAILED and the reasons in SendErrors.
func (c *Client) Send(ctx context.Context, event string, req SendRequest, opts ...SendOption) (*Result[SendResponse], error) {
	return c.send(ctx, event, "", req, opts)
}

// SendOn is POST /v1/send/{event}/{channel}: sends on one channel only.
func (c *Client) SendOn(ctx context.Context, event, channel string, req SendRequest, opts ...SendOption) (*Result[SendResponse], error) {
	if channel == "" {
		return nil, &Error{Code: CodeValidationError, Number: uint32(C.SENDIVENT_ERR_VALIDATION_ERROR),
			Message: "channel must not be empty"}
	}
	return c.send(ctx, event, channel, req, opts)
}

func (c *Client) send(ctx context.Context, event, channel string, req SendRequest, opts []SendOption) (*Result[SendResponse], error) {
	var o sendOptions
	for _, opt := range opts {
		opt(&o)
	}
	body, err := jsonArg(req)
	if err != nil {
		return nil, err
	}
	ev, ch, key := cString(event), optionalCString(channel), optionalCString(o.idempotencyKey)
	return call[SendResponse](ctx, c, []*C.char{body, ev, ch, key}, func(h *C.sendivent_client, out **C.char, e **C.sendivent_error) C.sendivent_result {
		if ch != nil {
			return C.sendivent_send_on(h, ev, ch, body, key, out, e)
		}
		return C.sendivent_send(h, ev, body, key, out, e)
	})
}

// ListContacts is GET /v1/contacts: one page.
func (c *Client) ListContacts(ctx context.Context, params ContactListParams) (*Result[ContactList], error) {
	p, err := jsonArg(params)
	if err != nil {
		return nil, err
	}
	return call[ContactList](ctx, c, []*C.char{p}, func(h *C.sendivent_client, out **C.char, e **C.sendivent_error) C.sendivent_result {
		return C.sendivent_contacts_list(h, p, out, e)
	})
}

// AllContacts walks every page of GET /v1/contacts from params.Offset until total is reached.
// Iteration stops after yielding an error.
func (c *Client) AllContacts(ctx context.Context, params ContactListParams) iter.Seq2[Contact, error] {
	return func(yield func(Contact, error) bool) {
		for {
			page, err := c.ListContacts(ctx, params)
			if err != nil {
				yield(Contact{}, err)
				return
			}
			for _, contact := range page.Data.Contacts {
				if !yield(contact, nil) {
					return
				}
			}
			params.Offset = page.Data.Offset + len(page.Data.Contacts)
			if len(page.Data.Contacts) == 0 || params.Offset >= page.Data.Total {
				return
			}
		}
	}
}

// GetContact is GET /v1/contacts/{identifier} (email, phone, UUID, external id or Slack user id).
func (c *Client) GetContact(ctx context.Context, identifier string) (*Result[Contact], error) {
	id := cString(identifier)
	return call[Contact](ctx, c, []*C.char{id}, func(h *C.sendivent_client, out **C.char, e **C.sendivent_error) C.sendivent_result {
		return C.sendivent_contacts_get(h, id, out, e)
	})
}

// CreateContact is POST /v1/contacts. The contact needs an email, phone or external id.
func (c *Client) CreateContact(ctx context.Context, contact ContactInput) (*Result[Contact], error) {
	body, err := jsonArg(contact)
	if err != nil {
		return nil, err
	}
	return call[Contact](ctx, c, []*C.char{body}, func(h *C.sendivent_client, out **C.char, e **C.sendivent_error) C.sendivent_result {
		return C.sendivent_contacts_create(h, body, out, e)
	})
}

// UpdateContact is PATCH /v1/contacts/{identifier}: only the fields set change.
func (c *Client) UpdateContact(ctx context.Context, identifier string, changes ContactInput) (*Result[Contact], error) {
	body, err := jsonArg(changes)
	if err != nil {
		return nil, err
	}
	id := cString(identifier)
	return call[Contact](ctx, c, []*C.char{body, id}, func(h *C.sendivent_client, out **C.char, e **C.sendivent_error) C.sendivent_result {
		return C.sendivent_contacts_update(h, id, body, out, e)
	})
}

// DeleteContact is DELETE /v1/contacts/{identifier}.
func (c *Client) DeleteContact(ctx context.Context, identifier string) (*Result[Deleted], error) {
	id := cString(identifier)
	return call[Deleted](ctx, c, []*C.char{id}, func(h *C.sendivent_client, out **C.char, e **C.sendivent_error) C.sendivent_result {
		return C.sendivent_contacts_delete(h, id, out, e)
	})
}

// AddPushToken is POST /v1/contacts/{identifier}/push-tokens.
func (c *Client) AddPushToken(ctx context.Context, identifier, token string) (*Result[Acknowledged], error) {
	id, tok := cString(identifier), cString(token)
	return call[Acknowledged](ctx, c, []*C.char{id, tok}, func(h *C.sendivent_client, out **C.char, e **C.sendivent_error) C.sendivent_result {
		return C.sendivent_contacts_add_push_token(h, id, tok, out, e)
	})
}

// RemovePushToken is DELETE /v1/contacts/{identifier}/push-tokens.
func (c *Client) RemovePushToken(ctx context.Context, identifier, token string) (*Result[Acknowledged], error) {
	id, tok := cString(identifier), cString(token)
	return call[Acknowledged](ctx, c, []*C.char{id, tok}, func(h *C.sendivent_client, out **C.char, e **C.sendivent_error) C.sendivent_result {
		return C.sendivent_contacts_remove_push_token(h, id, tok, out, e)
	})
}

// ListEvents is GET /v1/events.
func (c *Client) ListEvents(ctx context.Context) (*Result[[]Event], error) {
	return call[[]Event](ctx, c, nil, func(h *C.sendivent_client, out **C.char, e **C.sendivent_error) C.sendivent_result {
		return C.sendivent_events_list(h, out, e)
	})
}

// GetEvent is GET /v1/events/{identifier}, with templates.
func (c *Client) GetEvent(ctx context.Context, identifier string) (*Result[Event], error) {
	id := cString(identifier)
	return call[Event](ctx, c, []*C.char{id}, func(h *C.sendivent_client, out **C.char, e **C.sendivent_error) C.sendivent_result {
		return C.sendivent_events_get(h, id, out, e)
	})
}

// ListDeliveries is GET /v1/deliveries: one page.
func (c *Client) ListDeliveries(ctx context.Context, params DeliveryListParams) (*Result[DeliveryList], error) {
	p, err := jsonArg(params)
	if err != nil {
		return nil, err
	}
	return call[DeliveryList](ctx, c, []*C.char{p}, func(h *C.sendivent_client, out **C.char, e **C.sendivent_error) C.sendivent_result {
		return C.sendivent_deliveries_list(h, p, out, e)
	})
}

// AllDeliveries walks every page of GET /v1/deliveries. Iteration stops after yielding an error.
func (c *Client) AllDeliveries(ctx context.Context, params DeliveryListParams) iter.Seq2[Delivery, error] {
	return func(yield func(Delivery, error) bool) {
		for {
			page, err := c.ListDeliveries(ctx, params)
			if err != nil {
				yield(Delivery{}, err)
				return
			}
			for _, d := range page.Data.Deliveries {
				if !yield(d, nil) {
					return
				}
			}
			params.Offset = page.Data.Offset + len(page.Data.Deliveries)
			if len(page.Data.Deliveries) == 0 || params.Offset >= page.Data.Total {
				return
			}
		}
	}
}

// TraceDelivery is GET /v1/deliveries/{uuid}/trace.
func (c *Client) TraceDelivery(ctx context.Context, uuid string) (*Result[DeliveryTrace], error) {
	id := cString(uuid)
	return call[DeliveryTrace](ctx, c, []*C.char{id}, func(h *C.sendivent_client, out **C.char, e **C.sendivent_error) C.sendivent_result {
		return C.sendivent_deliveries_trace(h, id, out, e)
	})
}

// ListIntegrations is GET /v1/integrations; channel "" lists every channel.
func (c *Client) ListIntegrations(ctx context.Context, channel string) (*Result[IntegrationList], error) {
	ch := optionalCString(channel)
	return call[IntegrationList](ctx, c, []*C.char{ch}, func(h *C.sendivent_client, out **C.char, e **C.sendivent_error) C.sendivent_result {
		return C.sendivent_integrations_list(h, ch, out, e)
	})
}

// CreateWebhook is POST /v1/webhooks; the answer has the signing secret (store it). A second
// webhook is CONFLICT.
func (c *Client) CreateWebhook(ctx context.Context, webhook CreateWebhook) (*Result[WebhookConfig], error) {
	body, err := jsonArg(webhook)
	if err != nil {
		return nil, err
	}
	return call[WebhookConfig](ctx, c, []*C.char{body}, func(h *C.sendivent_client, out **C.char, e **C.sendivent_error) C.sendivent_result {
		return C.sendivent_webhooks_create(h, body, out, e)
	})
}

// GetWebhook is GET /v1/webhooks (NOT_FOUND when there is none).
func (c *Client) GetWebhook(ctx context.Context) (*Result[WebhookConfig], error) {
	return call[WebhookConfig](ctx, c, nil, func(h *C.sendivent_client, out **C.char, e **C.sendivent_error) C.sendivent_result {
		return C.sendivent_webhooks_get(h, out, e)
	})
}

// UpdateWebhook is PATCH /v1/webhooks/{uuid}.
func (c *Client) UpdateWebhook(ctx context.Context, uuid string, changes UpdateWebhook) (*Result[WebhookConfig], error) {
	body, err := jsonArg(changes)
	if err != nil {
		return nil, err
	}
	id := cString(uuid)
	return call[WebhookConfig](ctx, c, []*C.char{body, id}, func(h *C.sendivent_client, out **C.char, e **C.sendivent_error) C.sendivent_result {
		return C.sendivent_webhooks_update(h, id, body, out, e)
	})
}

// DeleteWebhook is DELETE /v1/webhooks/{uuid}.
func (c *Client) DeleteWebhook(ctx context.Context, uuid string) (*Result[Deleted], error) {
	id := cString(uuid)
	return call[Deleted](ctx, c, []*C.char{id}, func(h *C.sendivent_client, out **C.char, e **C.sendivent_error) C.sendivent_result {
		return C.sendivent_webhooks_delete(h, id, out, e)
	})
}
