package sendivent

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const receiveSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

var receiveBody = []byte(`{"event":"delivery.sent","delivery":{"uuid":"d1","channel":"email","status":"sent"},"request_id":"req_1","timestamp":"2023-11-14T22:13:20Z"}`)

// signedHeaders signs receiveBody (or body) as Sendivent does, at unix time ts.
func signedHeaders(t *testing.T, id string, ts int64, body []byte) http.Header {
	t.Helper()
	signature, err := SignWebhook(receiveSecret, id, ts, body)
	if err != nil {
		t.Fatal(err)
	}
	return http.Header{"Webhook-Id": {id}, "Webhook-Timestamp": {fmt.Sprint(ts)}, "Webhook-Signature": {signature}}
}

// mapStore is a user's own ReplayStore: a map behind a mutex (atomic check-and-record), which
// can be switched to failing or panicking like a store that lost its database.
type mapStore struct {
	mu      sync.Mutex
	expiry  map[string]time.Time
	keys    []string
	ttls    []time.Duration
	failing error
	panics  bool
}

func (s *mapStore) InsertIfAbsent(key string, now time.Time, ttl time.Duration) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.panics {
		panic("the store's driver crashed")
	}
	if s.failing != nil {
		return false, s.failing
	}
	if until, ok := s.expiry[key]; ok && now.Before(until) {
		return false, nil
	}
	s.expiry[key] = now.Add(ttl)
	s.keys = append(s.keys, key)
	s.ttls = append(s.ttls, ttl)
	return true, nil
}

func TestReplayGuardOverAUserStore(t *testing.T) {
	verifier, err := NewVerifier("whsec_c2VuZGl2ZW50LXJvdGF0aW9uLXNlY3JldC0wMDIhIQ==", receiveSecret)
	if err != nil {
		t.Fatal(err)
	}
	defer verifier.Close()
	store := &mapStore{expiry: map[string]time.Time{}}
	guard, err := NewReplayGuard(store, WithNamespace("shop:"))
	if err != nil {
		t.Fatal(err)
	}
	defer guard.Close()
	headers := signedHeaders(t, "msg_user_store", 1_700_000_000, receiveBody)
	opts := &VerifyOptions{Now: time.Unix(1_700_000_010, 0)}

	verified, err := verifier.VerifyOnce(receiveBody, headers, guard, opts)
	if err != nil {
		t.Fatal(err)
	}
	// Rotation insight: the second secret signed it.
	if verified.SecretIndex != 1 || !strings.HasPrefix(verified.SecretFingerprint, "whsec:") || verified.MsgID != "msg_user_store" {
		t.Fatalf("unexpected verification %+v", verified)
	}
	if len(store.keys) != 1 || store.keys[0] != "shop:msg_user_store" || store.ttls[0] != 291*time.Second {
		t.Fatalf("the store saw %v for %v", store.keys, store.ttls)
	}

	_, err = verifier.VerifyOnce(receiveBody, headers, guard, opts)
	var serr *Error
	if !errors.As(err, &serr) || serr.Code != CodeWebhookDuplicate || !errors.Is(err, ClassWebhookDuplicate) ||
		errors.Is(err, ClassWebhookVerification) || serr.Retryable {
		t.Fatalf("a second delivery must be a WebhookDuplicateError, got %#v", err)
	}
	// A forgery of the recorded id fails its signature, not as a duplicate.
	if _, err := verifier.VerifyOnce([]byte("{}"), headers, guard, opts); CodeOf(err) != CodeWebhookNoMatchingSignature {
		t.Fatalf("a forgery must fail its signature, got %v", err)
	}

	// A store that fails: REPLAY_STORE_ERROR, retryable, with the store's own message.
	store.failing = errors.New("redis: connection refused")
	fresh := signedHeaders(t, "msg_user_store_2", 1_700_000_000, receiveBody)
	_, err = verifier.VerifyOnce(receiveBody, fresh, guard, opts)
	if !errors.As(err, &serr) || !errors.Is(err, ClassReplayStore) || !serr.Retryable ||
		!strings.Contains(serr.Message, "redis: connection refused") {
		t.Fatalf("a failing store must give a retryable ReplayStoreError, got %#v", err)
	}
	// A store that panics does not take the process down.
	store.failing, store.panics = nil, true
	if _, err := verifier.VerifyOnce(receiveBody, fresh, guard, opts); !errors.Is(err, ClassReplayStore) ||
		!strings.Contains(err.Error(), "panicked") {
		t.Fatalf("a panicking store must give a ReplayStoreError, got %v", err)
	}
	store.panics = false

	// Concurrent deliveries of one id: exactly one is accepted.
	concurrent := signedHeaders(t, "msg_user_store_concurrent", 1_700_000_000, receiveBody)
	var accepted, duplicates atomic.Int32
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := verifier.VerifyEventOnce(receiveBody, concurrent, guard, opts)
			switch {
			case err == nil:
				accepted.Add(1)
			case errors.Is(err, ClassWebhookDuplicate):
				duplicates.Add(1)
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if accepted.Load() != 1 || duplicates.Load() != 31 {
		t.Fatalf("accepted %d, duplicates %d", accepted.Load(), duplicates.Load())
	}

	if err := guard.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := verifier.VerifyOnce(receiveBody, headers, guard, opts); CodeOf(err) != CodeInvalidArgument {
		t.Fatalf("a closed guard must refuse, got %v", err)
	}
	if _, err := NewReplayGuard(nil); CodeOf(err) != CodeInvalidArgument {
		t.Fatalf("a nil store must be refused, got %v", err)
	}
}

// redisURL is SENDIVENT_TEST_REDIS_URL, else a redis-server this test starts on a free port.
func redisURL(t *testing.T) string {
	if url := os.Getenv("SENDIVENT_TEST_REDIS_URL"); url != "" {
		return url
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := listener.Addr().(*net.TCPAddr).Port
	listener.Close()
	server := exec.Command("redis-server", "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	stdout, err := server.StdoutPipe()
	if err == nil {
		err = server.Start()
	}
	if err != nil {
		t.Fatalf("redis-server is needed (make installs it; or set SENDIVENT_TEST_REDIS_URL): %v", err)
	}
	t.Cleanup(func() {
		_ = server.Process.Kill()
		_ = server.Wait()
	})
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if strings.Contains(lines.Text(), "Ready to accept connections") {
			go func() { _, _ = io.Copy(io.Discard, stdout) }()
			return fmt.Sprintf("redis://127.0.0.1:%d/0", port)
		}
	}
	t.Fatal("redis-server did not start")
	return ""
}

// Two guards on one Redis, as two receiving processes have: one delivery is accepted once.
func TestReplayGuardOnRedis(t *testing.T) {
	url := redisURL(t)
	verifier, err := NewVerifier(receiveSecret)
	if err != nil {
		t.Fatal(err)
	}
	defer verifier.Close()
	namespace := fmt.Sprintf("go-test-%d:", time.Now().UnixNano())
	var guards []*ReplayGuard
	for range 2 {
		guard, err := NewRedisReplayGuard(url, WithNamespace(namespace))
		if err != nil {
			t.Fatal(err)
		}
		defer guard.Close()
		guards = append(guards, guard)
	}
	now := time.Now()
	headers := signedHeaders(t, "msg_redis", now.Unix(), receiveBody)
	if _, _, err := verifier.VerifyEventOnce(receiveBody, headers, guards[0], nil); err != nil {
		t.Fatal(err)
	}
	if _, err := verifier.VerifyOnce(receiveBody, headers, guards[1], nil); !errors.Is(err, ClassWebhookDuplicate) {
		t.Fatalf("the second process must see a duplicate, got %v", err)
	}
	if _, err := NewRedisReplayGuard("not a url"); !errors.Is(err, ClassReplayStore) {
		t.Fatalf("a malformed URL is REPLAY_STORE_ERROR, got %v", err)
	}
	unreachable, err := NewRedisReplayGuard("redis://127.0.0.1:9/0")
	if err != nil {
		t.Fatal(err)
	}
	defer unreachable.Close()
	fresh := signedHeaders(t, "msg_redis_2", now.Unix(), receiveBody)
	if _, err := verifier.VerifyOnce(receiveBody, fresh, unreachable, nil); !errors.Is(err, ClassReplayStore) {
		t.Fatalf("an unreachable Redis is REPLAY_STORE_ERROR, got %v", err)
	}
}

// The middleware with a fixed clock and signed requests, as users test their endpoints
// (sendiventtest does the same from outside the package).
func TestWebhookMiddleware(t *testing.T) {
	verifier, err := NewVerifier(receiveSecret)
	if err != nil {
		t.Fatal(err)
	}
	defer verifier.Close()
	guard, err := NewMemoryReplayGuard()
	if err != nil {
		t.Fatal(err)
	}
	defer guard.Close()
	var handled []string
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		event, ok := EventFromContext(r.Context())
		verified, _ := VerifiedFromContext(r.Context())
		raw, _ := io.ReadAll(r.Body)
		if !ok || event.Delivery.UUID != "d1" || verified.MsgID == "" || !bytes.Equal(raw, receiveBody) {
			t.Errorf("the handler got event %+v, verification %+v, body %s", event, verified, raw)
		}
		handled = append(handled, verified.MsgID)
		w.WriteHeader(http.StatusOK)
	})
	now := time.Unix(1_700_000_000, 0)
	serve := WebhookMiddleware(verifier, guard, WithVerifyOptions(&VerifyOptions{Now: now}), WithMaxBodyBytes(4096))(handler)
	post := func(method string, body []byte, headers http.Header) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, "/hooks", bytes.NewReader(body))
		req.Header = headers
		rec := httptest.NewRecorder()
		serve.ServeHTTP(rec, req)
		return rec
	}
	headers := signedHeaders(t, "msg_mw", now.Unix(), receiveBody)
	if rec := post(http.MethodPost, receiveBody, headers); rec.Code != http.StatusOK {
		t.Fatalf("a signed webhook: %d %s", rec.Code, rec.Body)
	}
	if rec := post(http.MethodPost, receiveBody, headers); rec.Code != http.StatusNoContent {
		t.Fatalf("a duplicate must be answered 204, got %d %s", rec.Code, rec.Body)
	}
	tampered := bytes.Replace(receiveBody, []byte(`"sent"`), []byte(`"failed"`), 1)
	rec := post(http.MethodPost, tampered, signedHeaders(t, "msg_mw_2", now.Unix(), receiveBody))
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), CodeWebhookNoMatchingSignature) {
		t.Fatalf("a tampered webhook must be answered 400 with the reason, got %d %s", rec.Code, rec.Body)
	}
	stale := signedHeaders(t, "msg_mw_3", now.Unix()-3600, receiveBody)
	if rec := post(http.MethodPost, receiveBody, stale); rec.Code != http.StatusBadRequest ||
		!strings.Contains(rec.Body.String(), CodeWebhookTimestampTooOld) {
		t.Fatalf("a stale webhook must be answered 400, got %d %s", rec.Code, rec.Body)
	}
	if rec := post(http.MethodGet, nil, headers); rec.Code != http.StatusMethodNotAllowed {
		t.Fatalf("GET: %d", rec.Code)
	}
	large := append(bytes.Repeat([]byte(" "), 5000), receiveBody...)
	if rec := post(http.MethodPost, large, signedHeaders(t, "msg_mw_4", now.Unix(), large)); rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("a body over the limit: %d", rec.Code)
	}
	// A store that fails: 503, so the sender retries; the handler is not called.
	failing, err := NewReplayGuard(&mapStore{expiry: map[string]time.Time{}, failing: errors.New("down")})
	if err != nil {
		t.Fatal(err)
	}
	defer failing.Close()
	withFailingStore := WebhookMiddleware(verifier, failing, WithVerifyOptions(&VerifyOptions{Now: now}))(handler)
	req := httptest.NewRequest(http.MethodPost, "/hooks", bytes.NewReader(receiveBody))
	req.Header = signedHeaders(t, "msg_mw_5", now.Unix(), receiveBody)
	rec = httptest.NewRecorder()
	withFailingStore.ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("a failing store must be answered 503, got %d", rec.Code)
	}
	if len(handled) != 1 || handled[0] != "msg_mw" {
		t.Fatalf("the handler must run once, for the first delivery only: %v", handled)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("a nil guard must panic at construction")
		}
	}()
	WebhookMiddleware(verifier, nil)
}

// capturedDelivery is one webhook request as it reached the server.
type capturedDelivery struct {
	headers http.Header
	body    []byte
}

// A real net/http server on 127.0.0.1 registered with sendivent-mock, which POSTs signed webhooks
// for a real send through the Go client; then a tampered copy (400) and a replay of a delivery
// (the handler does not run twice).
func TestWebhookMiddlewareEndToEnd(t *testing.T) {
	url := startMock(t, "--no-limits", "--transition-delay-ms", "20")
	client, err := NewClient(Options{APIKey: testKey, BaseURL: url})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	ctx := context.Background()

	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hookURL := "http://" + listener.Addr().String() + "/webhooks/sendivent"
	created, err := client.Webhooks.Create(ctx, CreateWebhook{URL: hookURL,
		EnabledEvents: []WebhookEventType{WebhookEventTypeDeliverySent, WebhookEventTypeDeliveryDelivered}})
	if err != nil {
		t.Fatal(err)
	}
	if created.Data.SigningSecret == nil {
		t.Fatal("the created endpoint has no signing secret")
	}
	verifier, err := NewVerifier(*created.Data.SigningSecret)
	if err != nil {
		t.Fatal(err)
	}
	defer verifier.Close()
	guard, err := NewMemoryReplayGuard()
	if err != nil {
		t.Fatal(err)
	}
	defer guard.Close()

	var mu sync.Mutex
	var events []WebhookEvent
	var handledIDs []string
	var captured []capturedDelivery
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		event, _ := EventFromContext(r.Context())
		verified, _ := VerifiedFromContext(r.Context())
		mu.Lock()
		events = append(events, *event)
		handledIDs = append(handledIDs, verified.MsgID)
		mu.Unlock()
		w.WriteHeader(http.StatusOK)
	})
	receive := WebhookMiddleware(verifier, guard)(handler)
	// What reaches the server, kept to replay it; the middleware reads the body itself.
	mux := http.NewServeMux()
	mux.Handle("/webhooks/sendivent", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		captured = append(captured, capturedDelivery{headers: r.Header.Clone(), body: body})
		mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		receive.ServeHTTP(w, r)
	}))
	server := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = server.Serve(listener) }()
	defer server.Close()

	sent, err := client.Send(ctx, "user.welcome", ChannelEmail, SendRequest{To: "hooked@example.com",
		Payload: map[string]any{"message": "webhooks from Go"}})
	if err != nil {
		t.Fatal(err)
	}
	uuid := sent.Data.Deliveries[0].UUID
	deadline := time.Now().Add(15 * time.Second)
	for {
		mu.Lock()
		seen := map[WebhookEventType]bool{}
		for _, e := range events {
			if e.Delivery.UUID == uuid {
				seen[e.Event] = true
			}
		}
		mu.Unlock()
		if seen[WebhookEventTypeDeliverySent] && seen[WebhookEventTypeDeliveryDelivered] {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the mock's webhooks for %s did not arrive: %+v", uuid, events)
		}
		time.Sleep(20 * time.Millisecond)
	}
	mu.Lock()
	handledBefore, original := len(events), captured[0]
	mu.Unlock()

	post := func(body []byte, headers http.Header) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, hookURL, bytes.NewReader(body))
		req.Header = headers.Clone()
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		text, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(text)
	}
	tampered := bytes.Replace(original.body, []byte(`"email"`), []byte(`"sms"`), 1)
	if status, text := post(tampered, original.headers); status != http.StatusBadRequest ||
		!strings.Contains(text, CodeWebhookNoMatchingSignature) {
		t.Fatalf("a tampered webhook: %d %s", status, text)
	}
	if status, text := post(original.body, original.headers); status != http.StatusNoContent {
		t.Fatalf("a replayed webhook must be answered 204: %d %s", status, text)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(events) != handledBefore {
		t.Fatalf("the handler ran for a tampered or replayed webhook: %d events, %d before", len(events), handledBefore)
	}
	ids := map[string]bool{}
	for _, id := range handledIDs {
		if ids[id] {
			t.Fatalf("the handler ran twice for %s", id)
		}
		ids[id] = true
	}
}
