package sendivent

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const testKey = "test_go_e2e_0123456789abcdef"

var mockURL string

// TestMain uses SENDIVENT_BASE_URL when the harness started a mock, else starts
// target/debug/sendivent-mock itself. The end-to-end tests never skip.
func TestMain(m *testing.M) {
	mockURL = os.Getenv("SENDIVENT_BASE_URL")
	var mock *exec.Cmd
	if mockURL == "" {
		var err error
		if mockURL, mock, err = spawnMock("--no-limits"); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	code := m.Run()
	if mock != nil {
		_ = mock.Process.Kill()
		_ = mock.Wait()
	}
	os.Exit(code)
}

// mockBinary is the sendivent-mock the tests start: $SENDIVENT_MOCK_BIN, else the debug build.
func mockBinary() string {
	if bin := os.Getenv("SENDIVENT_MOCK_BIN"); bin != "" {
		return bin
	}
	return filepath.Join("..", "..", "target", "debug", "sendivent-mock")
}

// spawnMock starts a sendivent-mock on a free port with args and returns its URL.
func spawnMock(args ...string) (string, *exec.Cmd, error) {
	bin := mockBinary()
	mock := exec.Command(bin, append([]string{"--port", "0"}, args...)...)
	stdout, err := mock.StdoutPipe()
	if err == nil {
		err = mock.Start()
	}
	if err != nil {
		return "", nil, fmt.Errorf("cannot start %s (build it with `cargo build -p sendivent-mock`): %w", bin, err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	url := strings.TrimSpace(strings.TrimPrefix(line, "listening on "))
	if err != nil || !strings.HasPrefix(url, "http://") {
		_ = mock.Process.Kill()
		_ = mock.Wait()
		return "", nil, fmt.Errorf("sendivent-mock did not report its address: %q %v", line, err)
	}
	return url, mock, nil
}

// startMock starts a sendivent-mock of the test's own (fault injection, other fixtures), stopped
// when the test ends.
func startMock(t *testing.T, args ...string) string {
	t.Helper()
	url, mock, err := spawnMock(args...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = mock.Process.Kill()
		_ = mock.Wait()
	})
	return url
}

func newTestClient(t *testing.T) *Client {
	t.Helper()
	c, err := NewClient(Options{APIKey: testKey, BaseURL: mockURL})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestSendEndToEnd(t *testing.T) {
	c := newTestClient(t)
	ctx := context.Background()
	res, err := c.Send(ctx, "user.welcome", "", SendRequest{
		To:      ContactInput{Email: "ada@example.com", Name: "Ada", Extra: map[string]any{"tier": "gold"}},
		Payload: map[string]any{"message": "hello from Go"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Data.Success || len(res.Data.Deliveries) == 0 || res.Meta.Status != 200 {
		t.Fatalf("unexpected answer %+v", res)
	}
	if res.Meta.IdempotencyKey == nil || *res.Meta.IdempotencyKey == "" {
		t.Fatal("a send must carry an idempotency key")
	}

	key := fmt.Sprintf("go-e2e-%d", time.Now().UnixNano())
	req := SendRequest{To: "+46 70 123 45 67", Payload: map[string]any{"order_id": "1042"}}
	first, err := c.Send(ctx, "order.confirmed", ChannelSMS, req, WithIdempotencyKey(key))
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.Send(ctx, "order.confirmed", ChannelSMS, req, WithIdempotencyKey(key))
	if err != nil {
		t.Fatal(err)
	}
	if first.Meta.IdempotentReplay || !second.Meta.IdempotentReplay {
		t.Fatalf("replay flags: first %v second %v", first.Meta.IdempotentReplay, second.Meta.IdempotentReplay)
	}
	if first.Data.Deliveries[0] != second.Data.Deliveries[0] || first.Data.Deliveries[0].Channel != ChannelSMS {
		t.Fatalf("a replay must answer the first delivery: %+v vs %+v", first.Data, second.Data)
	}

	_, err = c.Send(ctx, "no.such.event", "", SendRequest{To: "ada@example.com"})
	var serr *Error
	if !errors.As(err, &serr) || serr.Code != CodeSendFailed || len(serr.Errors) == 0 ||
		serr.Errors[0].Code != APICodeEventNotFound {
		t.Fatalf("expected SEND_FAILED with EVENT_NOT_FOUND, got %#v", err)
	}
	if !errors.Is(err, ClassSendFailed) || !errors.Is(err, ClassAPI) || errors.Is(err, ClassNotFound) {
		t.Fatal("errors.Is must match the class and its ancestors only")
	}
	if !errors.Is(err, &Error{ErrorDetails{Code: CodeSendFailed}}) {
		t.Fatal("errors.Is must match an *Error by Code")
	}

	_, err = c.Send(ctx, "user.welcome", "", SendRequest{To: "0701234567 8"})
	if CodeOf(err) != CodeInvalidPhone || !errors.Is(err, ClassValidation) {
		t.Fatalf("expected INVALID_PHONE before sending, got %v", err)
	}
}

// A contact without a phone, on an event with email and sms: the send succeeds, and the skipped
// channel is in Data.Errors.
func TestPartiallyFailedSendSucceeds(t *testing.T) {
	c := newTestClient(t)
	res, err := c.Send(context.Background(), "order.confirmed", "", SendRequest{To: "grace@example.com",
		Payload: map[string]any{"order_id": "7"}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Data.Success || len(res.Data.Deliveries) != 1 || res.Data.Deliveries[0].Channel != ChannelEmail {
		t.Fatalf("expected one email delivery, got %+v", res.Data)
	}
	if len(res.Data.Errors) != 1 || res.Data.Errors[0].Code != APICodeMissingIdentifier || res.Data.Errors[0].Message == "" {
		t.Fatalf("expected the sms channel skipped with MISSING_IDENTIFIER, got %+v", res.Data.Errors)
	}
}

func TestContactsEndToEnd(t *testing.T) {
	c := newTestClient(t)
	ctx := context.Background()
	email := fmt.Sprintf("go.e2e+%d@example.com", time.Now().UnixNano())
	created, err := c.Contacts.Create(ctx, ContactInput{Email: email, Name: "Grace", Phone: "+1 (415) 555-2671",
		Extra: map[string]any{"tier": "gold"}})
	if err != nil {
		t.Fatal(err)
	}
	contact := created.Data
	if contact.UUID == "" || contact.Email == nil || *contact.Email != email || contact.Meta["tier"] != "gold" {
		t.Fatalf("unexpected contact %+v", contact)
	}
	for _, id := range []string{email, contact.UUID, "+14155552671"} {
		got, err := c.Contacts.Get(ctx, id)
		if err != nil || got.Data.UUID != contact.UUID {
			t.Fatalf("get %q: %v %+v", id, err, got)
		}
	}
	updated, err := c.Contacts.Update(ctx, contact.UUID, ContactInput{Name: "Grace Hopper"})
	if err != nil || updated.Data.Name == nil || *updated.Data.Name != "Grace Hopper" {
		t.Fatalf("update: %v %+v", err, updated)
	}
	if _, err := c.Contacts.AddPushToken(ctx, contact.UUID, PushToken{Token: "ExponentPushToken[go]"}); err != nil {
		t.Fatal(err)
	}
	withToken, err := c.Contacts.Get(ctx, contact.UUID)
	if err != nil || len(withToken.Data.PushTokens) != 1 {
		t.Fatalf("push token: %v %+v", err, withToken)
	}
	if _, err := c.Contacts.RemovePushToken(ctx, contact.UUID, PushToken{Token: "ExponentPushToken[go]"}); err != nil {
		t.Fatal(err)
	}
	// Auto-pagination one contact per page walks every page.
	seen := map[string]bool{}
	for contact, err := range c.Contacts.ListAll(ctx, ContactListParams{Limit: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		if seen[contact.UUID] {
			t.Fatalf("contact %s seen twice", contact.UUID)
		}
		seen[contact.UUID] = true
	}
	page, err := c.Contacts.List(ctx, ContactListParams{Limit: 100})
	if err != nil || len(seen) != page.Data.Total || !seen[contact.UUID] || len(seen) < 2 {
		t.Fatalf("ListAll saw %d contacts, total is %d (%v)", len(seen), page.Data.Total, err)
	}
	// Stopping early releases the walk.
	for range c.Contacts.ListAll(ctx, ContactListParams{Limit: 1}) {
		break
	}
	deleted, err := c.Contacts.Delete(ctx, contact.UUID)
	if err != nil || !deleted.Data.Deleted {
		t.Fatalf("delete: %v %+v", err, deleted)
	}
	_, err = c.Contacts.Get(ctx, contact.UUID)
	var serr *Error
	if !errors.As(err, &serr) || serr.Code != CodeNotFound || serr.Status == nil || *serr.Status != 404 ||
		!errors.Is(err, ClassNotFound) || serr.RequestID == nil {
		t.Fatalf("expected NOT_FOUND 404, got %v", err)
	}
}

func TestEventsDeliveriesIntegrationsWebhooks(t *testing.T) {
	c := newTestClient(t)
	ctx := context.Background()
	events, err := c.Events.List(ctx)
	if err != nil || len(events.Data.Events) == 0 {
		t.Fatalf("events: %v", err)
	}
	event, err := c.Events.Get(ctx, "user.welcome")
	if err != nil || event.Data.Identifier != "user.welcome" || len(event.Data.Templates) == 0 {
		t.Fatalf("event: %v %+v", err, event)
	}
	if _, err := c.Send(ctx, "user.welcome", "", SendRequest{To: "ada@example.com"}); err != nil {
		t.Fatal(err)
	}
	count := 0
	var first string
	for d, err := range c.Deliveries.ListAll(ctx, DeliveryListParams{Limit: 3, Event: "user.welcome"}) {
		if err != nil {
			t.Fatal(err)
		}
		if first == "" {
			first = d.UUID
		}
		count++
	}
	if count == 0 {
		t.Fatal("no deliveries")
	}
	trace, err := c.Deliveries.Trace(ctx, first)
	if err != nil || trace.Data.Delivery.UUID != first {
		t.Fatalf("trace: %v", err)
	}
	integrations, err := c.Integrations.List(ctx, IntegrationListParams{Channel: ChannelEmail})
	if err != nil || len(integrations.Data.Integrations) == 0 {
		t.Fatalf("integrations: %v", err)
	}
	for _, i := range integrations.Data.Integrations {
		if i.Channel != ChannelEmail {
			t.Fatalf("filtered by email, got %s", i.Channel)
		}
	}

	if existing, err := c.Webhooks.Get(ctx); err == nil {
		if _, err := c.Webhooks.Delete(ctx, existing.Data.UUID); err != nil {
			t.Fatal(err)
		}
	}
	create := CreateWebhook{URL: "https://example.com/hooks", EnabledEvents: []WebhookEventType{WebhookEventTypeDeliverySent}}
	hook, err := c.Webhooks.Create(ctx, create)
	if err != nil || hook.Data.SigningSecret == nil {
		t.Fatalf("create webhook: %v", err)
	}
	secret := *hook.Data.SigningSecret
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if shown := fmt.Sprintf(verb, hook); strings.Contains(shown, secret[6:]) {
			t.Fatalf("%s of a webhook result shows its secret: %s", verb, shown)
		}
	}
	if _, err := c.Webhooks.Create(ctx, create); CodeOf(err) != CodeConflict || !errors.Is(err, ClassConflict) {
		t.Fatalf("expected CONFLICT, got %v", err)
	}
	inactive := false
	updated, err := c.Webhooks.Update(ctx, hook.Data.UUID, UpdateWebhook{IsActive: &inactive})
	if err != nil || updated.Data.IsActive {
		t.Fatalf("update webhook: %v", err)
	}
	// A webhook signed with the endpoint's secret verifies with it.
	body := []byte(`{"event":"delivery.sent","delivery":{"uuid":"d1","channel":"email","status":"sent"}}`)
	now := time.Now().Unix()
	sig, err := SignWebhook(secret, "msg_go", now, body)
	if err != nil {
		t.Fatal(err)
	}
	headers := map[string][]string{"Webhook-Id": {"msg_go"}, "Webhook-Timestamp": {fmt.Sprint(now)}, "Webhook-Signature": {sig}}
	if ev, err := VerifyWebhookEvent(secret, body, headers, nil); err != nil || ev.Delivery.UUID != "d1" ||
		ev.Event != WebhookEventTypeDeliverySent {
		t.Fatalf("verify: %v", err)
	}
	if _, err := c.Webhooks.Delete(ctx, hook.Data.UUID); err != nil {
		t.Fatal(err)
	}
}

func TestSendManyEndToEnd(t *testing.T) {
	c := newTestClient(t)
	key := fmt.Sprintf("go-many-%d", time.Now().UnixNano())
	results, err := c.SendMany(context.Background(), []SendItem{
		{Event: "user.welcome", Body: SendRequest{To: "many1@example.com"}},
		{Event: "no.such.event", Body: SendRequest{To: "many2@example.com"}},
		{Event: "order.confirmed", Channel: ChannelEmail, Body: SendRequest{To: "many3@example.com"}, IdempotencyKey: key},
	}, WithConcurrency(2))
	if err != nil || len(results) != 3 {
		t.Fatalf("SendMany: %v %+v", err, results)
	}
	if results[0].Err != nil || !results[0].Result.Data.Success {
		t.Errorf("item 0: %+v", results[0])
	}
	if !errors.Is(results[1].Err, ClassSendFailed) || results[1].Result != nil {
		t.Errorf("item 1 must fail with SendFailedError: %+v", results[1])
	}
	if results[2].Err != nil || *results[2].Result.Meta.IdempotencyKey != key {
		t.Errorf("item 2 must carry its key: %+v", results[2])
	}
	if _, err := c.SendMany(context.Background(), nil, WithConcurrency(0)); CodeOf(err) != CodeInvalidArgument {
		t.Errorf("concurrency 0 must be INVALID_ARGUMENT, got %v", err)
	}
}

func TestConcurrentSendsShareOneClient(t *testing.T) {
	c := newTestClient(t)
	const goroutines, each = 16, 4
	var wg sync.WaitGroup
	var mu sync.Mutex
	uuids := map[string]bool{}
	errs := make(chan error, goroutines*each)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				res, err := c.Send(context.Background(), "user.welcome", ChannelEmail,
					SendRequest{To: fmt.Sprintf("go%d.%d@example.com", g, i)})
				if err != nil {
					errs <- err
					continue
				}
				mu.Lock()
				uuids[res.Data.Deliveries[0].UUID] = true
				mu.Unlock()
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if len(uuids) != goroutines*each {
		t.Fatalf("%d distinct deliveries for %d sends", len(uuids), goroutines*each)
	}
}

func TestContextAndErrors(t *testing.T) {
	c := newTestClient(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Events.List(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("expected context.Canceled, got %v", err)
	}
	for _, err := range c.Contacts.ListAll(ctx, ContactListParams{}) {
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("expected context.Canceled from ListAll, got %v", err)
		}
	}

	// Nothing listens on the discard port.
	dead, err := NewClient(Options{APIKey: testKey, BaseURL: "http://127.0.0.1:9", MaxRetries: Int(0), Timeout: Duration(time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	defer dead.Close()
	_, err = dead.Events.List(context.Background())
	var serr *Error
	if !errors.As(err, &serr) || serr.Code != CodeConnectionError || !serr.Retryable || !errors.Is(err, ClassAPIConnection) {
		t.Fatalf("expected a retryable CONNECTION_ERROR, got %v", err)
	}

	for _, tc := range []struct {
		opts Options
		code string
	}{
		{Options{APIKey: "sk_live_secretpart_1234", BaseURL: mockURL}, CodeInvalidAPIKey},
		{Options{APIKey: testKey, BaseURL: "http://api.example.com"}, CodeInsecureBaseURL},
		{Options{APIKey: testKey, BaseURL: "::"}, CodeInvalidBaseURL},
		// An explicit zero timeout is refused, as in every language; nil is the default.
		{Options{APIKey: testKey, BaseURL: mockURL, Timeout: Duration(0)}, CodeInvalidArgument},
		{Options{APIKey: testKey, BaseURL: mockURL, MaxRetries: Int(11)}, CodeInvalidArgument},
		{Options{APIKey: testKey, BaseURL: mockURL, LogLevel: "loud"}, CodeInvalidArgument},
	} {
		_, err := NewClient(tc.opts)
		var serr *Error
		if !errors.As(err, &serr) || serr.Code != tc.code {
			t.Errorf("%+v: expected %s, got %v", tc.opts, tc.code, err)
		} else if strings.Contains(serr.Error(), "secretpart") || strings.Contains(fmt.Sprintf("%+v", tc.opts), "secretpart") {
			t.Errorf("the key leaked into %q", serr.Error())
		}
	}
	if _, err := c.Events.List(context.Background(), WithTimeout(0)); CodeOf(err) != CodeInvalidArgument {
		t.Fatalf("a per-request timeout of 0 must be INVALID_ARGUMENT, got %v", err)
	}
	if _, err := c.Events.List(context.Background(), WithTimeout(5*time.Second), WithExtraHeader("X-Trace", "go")); err != nil {
		t.Fatal(err)
	}

	_ = c.Close()
	if _, err := c.Events.List(context.Background()); CodeOf(err) != CodeInvalidArgument {
		t.Fatalf("a closed client must refuse calls, got %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatal("Close must be idempotent")
	}
	if Version() == "" {
		t.Fatal("no version")
	}

	v, err := NewVerifier("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	if err != nil {
		t.Fatal(err)
	}
	_ = v.Close()
	if err := v.Close(); err != nil {
		t.Fatal("Verifier.Close must be idempotent")
	}
	if err := v.Verify([]byte("{}"), nil, nil); CodeOf(err) != CodeInvalidArgument {
		t.Fatalf("a closed verifier must refuse, got %v", err)
	}
}

// A call whose server never answers returns when its context ends; Close then waits for the
// abandoned request to time out instead of freeing the client under it.
func TestContextDeadlineStopsTheWait(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			defer conn.Close() // accept, read nothing, answer nothing
		}
	}()
	c, err := NewClient(Options{APIKey: testKey, BaseURL: "http://" + ln.Addr().String(), MaxRetries: Int(0),
		Timeout: Duration(2 * time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = c.Events.List(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > time.Second {
		t.Fatalf("expected the deadline after ~200ms, got %v after %v", err, time.Since(start))
	}
	// A page fetch abandoned by its context returns at once too.
	ctx2, cancel2 := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel2()
	for _, err := range c.Deliveries.ListAll(ctx2, DeliveryListParams{}) {
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("expected the deadline from ListAll, got %v", err)
		}
	}
	_ = c.Close()
	if waited := time.Since(start); waited < time.Second {
		t.Fatalf("Close returned after %v, before the in-flight request ended", waited)
	}
}
