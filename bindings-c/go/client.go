package sendivent

/*
#include "sendivent_cgo.h"
*/
import "C"

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"runtime"
	"sort"
	"sync"
	"time"
	"unsafe"
)

// Options configure a Client. The zero value reads the key from SENDIVENT_API_KEY and the base
// URL from SENDIVENT_BASE_URL (else chosen by the key's prefix), with the documented defaults.
// Options out of their bounds fail NewClient with INVALID_ARGUMENT. Printing Options with any
// fmt verb shows the API key redacted.
type Options struct {
	// APIKey is the key (live_… or test_…). Default: SENDIVENT_API_KEY.
	APIKey string

	// BaseURL overrides where requests go (e.g. a mock). Default: SENDIVENT_BASE_URL, else
	// chosen by the key's prefix.
	BaseURL string

	// Timeout is the per-attempt timeout, more than 0 and at most an hour. Default (nil): 30 s.
	Timeout *time.Duration

	// MaxRetries is the number of retries after the first attempt, 0 to 10. Default (nil): 2.
	MaxRetries *int

	// AllowInsecureHTTP permits plain http:// to hosts other than loopback. Default: false.
	AllowInsecureHTTP bool

	// RateLimit limits requests per second on the client side. Default (nil): no limit.
	RateLimit *float64

	// DocumentedRateLimit applies the API's documented rate limits on the client side instead
	// of RateLimit.
	DocumentedRateLimit bool

	// DefaultHeaders are sent with every request.
	DefaultHeaders http.Header

	// LogLevel is "debug", "info" or "off". Default: SENDIVENT_LOG.
	LogLevel string

	// MaxResponseBytes is the largest response body read, 1024 bytes to 1 GiB. Default (nil):
	// 10 MiB.
	MaxResponseBytes *int
}

// Int returns a pointer to n, for Options.MaxRetries and Options.MaxResponseBytes.
func Int(n int) *int { return &n }

// Float64 returns a pointer to f, for Options.RateLimit.
func Float64(f float64) *float64 { return &f }

// Duration returns a pointer to d, for Options.Timeout and VerifyOptions.Tolerance.
func Duration(d time.Duration) *time.Duration { return &d }

// headerPairs lists every value of every header as a [name, value] pair, names sorted.
func headerPairs(headers http.Header) [][2]string {
	names := make([]string, 0, len(headers))
	for name := range headers {
		names = append(names, name)
	}
	sort.Strings(names)
	pairs := [][2]string{}
	for _, name := range names {
		for _, value := range headers[name] {
			pairs = append(pairs, [2]string{name, value})
		}
	}
	return pairs
}

// encode gives the options by their description names, for sendivent_client_new.
func (o Options) encode() ([]byte, error) {
	options := map[string]any{}
	if o.APIKey != "" {
		options["api_key"] = o.APIKey
	}
	if o.BaseURL != "" {
		options["base_url"] = o.BaseURL
	}
	if o.Timeout != nil {
		options["timeout"] = o.Timeout.Seconds()
	}
	if o.MaxRetries != nil {
		options["max_retries"] = *o.MaxRetries
	}
	if o.AllowInsecureHTTP {
		options["allow_insecure_http"] = true
	}
	if o.DocumentedRateLimit {
		options["rate_limit"] = "documented"
	} else if o.RateLimit != nil {
		options["rate_limit"] = *o.RateLimit
	}
	if o.DefaultHeaders != nil {
		options["default_headers"] = headerPairs(o.DefaultHeaders)
	}
	if o.LogLevel != "" {
		options["log_level"] = o.LogLevel
	}
	if o.MaxResponseBytes != nil {
		options["max_response_bytes"] = *o.MaxResponseBytes
	}
	return json.Marshal(options)
}

// Format prints the options for every fmt verb with the API key redacted to its prefix and last
// four characters, so that logging them never leaks the key.
func (o Options) Format(f fmt.State, verb rune) {
	formatStruct(f, verb, "Options", []namedValue{
		{"APIKey", redact(o.APIKey)},
		{"BaseURL", o.BaseURL},
		{"Timeout", deref(o.Timeout)},
		{"MaxRetries", deref(o.MaxRetries)},
		{"AllowInsecureHTTP", o.AllowInsecureHTTP},
		{"RateLimit", deref(o.RateLimit)},
		{"DocumentedRateLimit", o.DocumentedRateLimit},
		{"DefaultHeaders", o.DefaultHeaders},
		{"LogLevel", o.LogLevel},
		{"MaxResponseBytes", deref(o.MaxResponseBytes)},
	})
}

// GoString is %#v, redacted as Format.
func (o Options) GoString() string {
	return fmt.Sprintf("%#v", o)
}

// Client calls the Sendivent API through libsendivent: one field per resource (Contacts,
// Events, Deliveries, Integrations, Webhooks) plus Send and SendMany. It is safe for concurrent
// use by many goroutines; create one and reuse it. Close releases it.
type Client struct {
	resources
	mu  sync.RWMutex
	ptr *C.sendivent_client
}

// NewClient creates a client. It fails with MISSING_API_KEY, INVALID_API_KEY,
// INVALID_BASE_URL or INSECURE_BASE_URL before any request is made, and with INVALID_ARGUMENT
// for an option out of its bounds.
func NewClient(opts Options) (*Client, error) {
	encoded, err := opts.encode()
	if err != nil {
		return nil, sdkError(CodeInvalidArgument, "cannot encode the options: "+err.Error())
	}
	options := cString(string(encoded))
	defer freeAll(options)
	var ptr *C.sendivent_client
	var cerr *C.sendivent_error
	if err := takeError(C.sendivent_client_new(options, &ptr, &cerr), cerr); err != nil {
		return nil, err
	}
	c := &Client{ptr: ptr}
	c.bind(c)
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

// Format prints the client's configuration (core's description of it) with the API key
// redacted, for every fmt verb.
func (c *Client) Format(f fmt.State, verb rune) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ptr == nil {
		fmt.Fprint(f, "sendivent.Client{closed}")
		return
	}
	var out *C.char
	if C.sendivent_client_debug_string(c.ptr, &out, nil) != C.SENDIVENT_OK {
		fmt.Fprint(f, "sendivent.Client{}")
		return
	}
	fmt.Fprintf(f, "sendivent.Client{%s}", takeString(out))
}

// RequestOption adjusts one call (or every send of one SendMany).
type RequestOption func(*requestOptions)

type requestOptions struct {
	timeout        *time.Duration
	maxRetries     *int
	idempotencyKey *string
	extraHeaders   [][2]string
	concurrency    *int
}

// WithTimeout sets the per-attempt timeout of this call (more than 0, at most an hour).
func WithTimeout(d time.Duration) RequestOption {
	return func(o *requestOptions) { o.timeout = &d }
}

// WithMaxRetries sets the retries after the first attempt of this call (0 to 10).
func WithMaxRetries(n int) RequestOption {
	return func(o *requestOptions) { o.maxRetries = &n }
}

// WithIdempotencyKey sets the send's idempotency key (e.g. "order-1042-confirmation"), so the
// send is idempotent across retries, cancellations and process restarts. Without it a key is
// generated per call and reused by that call's retries.
func WithIdempotencyKey(key string) RequestOption {
	return func(o *requestOptions) { o.idempotencyKey = &key }
}

// WithExtraHeader adds a header to this call's requests.
func WithExtraHeader(name, value string) RequestOption {
	return func(o *requestOptions) { o.extraHeaders = append(o.extraHeaders, [2]string{name, value}) }
}

// WithConcurrency sets how many sends of a SendMany are in flight at once (1 to 256; default
// 8). Only SendMany reads it.
func WithConcurrency(n int) RequestOption {
	return func(o *requestOptions) { o.concurrency = &n }
}

func collectOptions(opts []RequestOption) requestOptions {
	var o requestOptions
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// encode gives the per-request options by their description names, or nil for none.
func (o requestOptions) encode() ([]byte, error) {
	options := map[string]any{}
	if o.timeout != nil {
		options["timeout"] = o.timeout.Seconds()
	}
	if o.maxRetries != nil {
		options["max_retries"] = *o.maxRetries
	}
	if o.idempotencyKey != nil {
		options["idempotency_key"] = *o.idempotencyKey
	}
	if o.extraHeaders != nil {
		options["extra_headers"] = o.extraHeaders
	}
	if len(options) == 0 {
		return nil, nil
	}
	return json.Marshal(options)
}

// cJSON copies encoded JSON into C memory, NULL for nil.
func cJSON(encoded []byte) *C.char {
	if encoded == nil {
		return nil
	}
	return cString(string(encoded))
}

type cCall func(h *C.sendivent_client, out **C.char, e **C.sendivent_error) C.sendivent_result

// run runs one blocking C call on its own goroutine so that ctx can stop the wait, and frees
// owned afterwards. When ctx ends first, run returns ctx.Err(); the request itself still
// completes (or times out) in the background and its answer is released. Sends carry an
// idempotency key, so retrying one after a cancellation with the same WithIdempotencyKey never
// notifies twice.
func (c *Client) run(ctx context.Context, owned []*C.char, fn cCall) (string, error) {
	if err := ctx.Err(); err != nil {
		freeAll(owned...)
		return "", err
	}
	c.mu.RLock()
	if c.ptr == nil {
		c.mu.RUnlock()
		freeAll(owned...)
		return "", sdkError(CodeInvalidArgument, "the client is closed")
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
		return o.body, o.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// call runs the operation op through sendivent_call: the one body of every generated method.
func call[T any](ctx context.Context, c *Client, op string, path pathArgs, query, body any, opts []RequestOption) (*Result[T], error) {
	args, err := encodeArgs(path, query, body)
	if err != nil {
		return nil, sdkError(CodeInvalidRequest, "cannot encode the arguments of "+op+": "+err.Error())
	}
	options, err := collectOptions(opts).encode()
	if err != nil {
		return nil, sdkError(CodeInvalidArgument, "cannot encode the options: "+err.Error())
	}
	name, cargs, coptions := cString(op), cString(string(args)), cJSON(options)
	answer, err := c.run(ctx, []*C.char{name, cargs, coptions}, func(h *C.sendivent_client, out **C.char, e **C.sendivent_error) C.sendivent_result {
		return C.sendivent_call(h, name, cargs, coptions, out, e)
	})
	if err != nil {
		return nil, err
	}
	var r Result[T]
	if err := json.Unmarshal([]byte(answer), &r); err != nil {
		return nil, internalError("the Go types do not match the library's answer to " + op + ": " + err.Error())
	}
	return &r, nil
}

// paginator owns a sendivent_paginator; a page fetch abandoned by its context frees it when the
// fetch ends.
type paginator struct {
	mu     sync.Mutex
	ptr    *C.sendivent_paginator
	busy   bool
	closed bool
}

func (p *paginator) next(ctx context.Context) (*string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p.mu.Lock()
	p.busy = true
	p.mu.Unlock()
	type outcome struct {
		item *string
		err  error
	}
	done := make(chan outcome, 1)
	go func() {
		var out *C.char
		var cerr *C.sendivent_error
		var o outcome
		if res := C.sendivent_paginator_next(p.ptr, &out, &cerr); res != C.SENDIVENT_OK {
			o.err = takeError(res, cerr)
		} else if out != nil {
			item := takeString(out)
			o.item = &item
		}
		p.mu.Lock()
		p.busy = false
		if p.closed {
			C.sendivent_paginator_free(p.ptr)
			p.ptr = nil
		}
		p.mu.Unlock()
		done <- o
	}()
	select {
	case o := <-done:
		return o.item, o.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (p *paginator) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.closed = true
	if !p.busy {
		C.sendivent_paginator_free(p.ptr)
		p.ptr = nil
	}
}

// paginate walks every page of the list operation op through the library's paginator (which
// steps the offset and stops at the total): the one body of every generated ListAll method.
func paginate[T any](ctx context.Context, c *Client, op string, path pathArgs, query, body any, opts []RequestOption) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		p, err := c.paginator(op, path, query, body, opts)
		if err != nil {
			yield(zero, err)
			return
		}
		defer p.close()
		for {
			item, err := p.next(ctx)
			if err != nil {
				yield(zero, err)
				return
			}
			if item == nil {
				return
			}
			var v T
			if err := json.Unmarshal([]byte(*item), &v); err != nil {
				yield(zero, internalError("the Go types do not match an item of "+op+": "+err.Error()))
				return
			}
			if !yield(v, nil) {
				return
			}
		}
	}
}

func (c *Client) paginator(op string, path pathArgs, query, body any, opts []RequestOption) (*paginator, error) {
	args, err := encodeArgs(path, query, body)
	if err != nil {
		return nil, sdkError(CodeInvalidRequest, "cannot encode the arguments of "+op+": "+err.Error())
	}
	options, err := collectOptions(opts).encode()
	if err != nil {
		return nil, sdkError(CodeInvalidArgument, "cannot encode the options: "+err.Error())
	}
	name, cargs, coptions := cString(op), cString(string(args)), cJSON(options)
	defer freeAll(name, cargs, coptions)
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ptr == nil {
		return nil, sdkError(CodeInvalidArgument, "the client is closed")
	}
	var ptr *C.sendivent_paginator
	var cerr *C.sendivent_error
	if err := takeError(C.sendivent_paginator_new(c.ptr, name, cargs, coptions, &ptr, &cerr), cerr); err != nil {
		return nil, err
	}
	return &paginator{ptr: ptr}, nil
}

// SendItem is one send of SendMany: the arguments of Send plus its own idempotency key.
type SendItem struct {
	// Event is the event name, e.g. "order.confirmed".
	Event string `json:"event"`

	// Channel sends on this channel only; empty sends on every channel of the event.
	Channel Channel `json:"channel,omitempty"`

	// Body is the send request.
	Body SendRequest `json:"body"`

	// IdempotencyKey is this send's key; empty generates one.
	IdempotencyKey string `json:"idempotency_key,omitempty"`
}

// SendManyResult is one item's outcome in SendMany: Result on success, else Err (an *Error).
type SendManyResult struct {
	// Result is the send's answer, when it succeeded.
	Result *Result[SendResponse]

	// Err is why the send failed.
	Err error
}

// SendMany sends many events at once, at most WithConcurrency of them in flight (default 8):
// one result per item, in order; one item failing does not stop the others. The error is for the
// whole call (a closed client, an option out of bounds, a cancelled context).
func (c *Client) SendMany(ctx context.Context, items []SendItem, opts ...RequestOption) ([]SendManyResult, error) {
	if items == nil {
		items = []SendItem{}
	}
	encoded, err := json.Marshal(items)
	if err != nil {
		return nil, sdkError(CodeInvalidRequest, "cannot encode the items: "+err.Error())
	}
	collected := collectOptions(opts)
	options, err := collected.encode()
	if err != nil {
		return nil, sdkError(CodeInvalidArgument, "cannot encode the options: "+err.Error())
	}
	var concurrency *C.double
	if collected.concurrency != nil {
		concurrency = (*C.double)(C.malloc(C.size_t(8)))
		*concurrency = C.double(*collected.concurrency)
	}
	citems, coptions := cString(string(encoded)), cJSON(options)
	answer, err := c.run(ctx, []*C.char{citems, coptions, (*C.char)(unsafe.Pointer(concurrency))}, func(h *C.sendivent_client, out **C.char, e **C.sendivent_error) C.sendivent_result {
		return C.sendivent_send_many(h, citems, concurrency, coptions, out, e)
	})
	if err != nil {
		return nil, err
	}
	var outcomes []struct {
		OK    *Result[SendResponse] `json:"ok"`
		Error json.RawMessage       `json:"error"`
	}
	if err := json.Unmarshal([]byte(answer), &outcomes); err != nil {
		return nil, internalError("the Go types do not match the library's answer to SendMany: " + err.Error())
	}
	results := make([]SendManyResult, len(outcomes))
	for i, outcome := range outcomes {
		if outcome.OK != nil {
			results[i].Result = outcome.OK
		} else {
			results[i].Err = errorFromDetails(outcome.Error)
		}
	}
	return results, nil
}
