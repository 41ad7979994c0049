package sendivent

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// 500 sends through SendMany against a mock that answers 10% of requests with a 5xx before
// handling them and loses the answer of 10% of the sends it committed: every call is answered,
// and the mock recorded exactly 500 sends and 500 deliveries, one per recipient (a retry after a
// lost answer is a replay of its idempotency key). Half the sends carry the caller's key, the
// others the key the library generates.
func TestExactlyOnceUnderFaults(t *testing.T) {
	url := startMock(t, "--no-limits", "--error-rate", "0.1", "--drop-rate", "0.1")
	c, err := NewClient(Options{APIKey: testKey, BaseURL: url, MaxRetries: Int(8)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const sends = 500
	run := time.Now().UnixNano()
	items := make([]SendItem, sends)
	for i := range items {
		items[i] = SendItem{Event: "user.welcome", Channel: ChannelEmail, Body: SendRequest{To: fmt.Sprintf("f%d-%d@example.com", i, run)}}
		if i%2 == 0 {
			items[i].IdempotencyKey = fmt.Sprintf("go-faults-%d-%d", run, i)
		}
	}
	results, err := c.SendMany(context.Background(), items, WithConcurrency(50))
	if err != nil {
		t.Fatal(err)
	}
	retried, replays := 0, 0
	for i, r := range results {
		if r.Err != nil {
			t.Fatalf("send %d was not answered with a success: %v", i, r.Err)
		}
		if r.Result.Meta.Attempts > 1 {
			retried++
		}
		if r.Result.Meta.IdempotentReplay {
			replays++
		}
	}
	if len(results) != sends || retried < 20 || replays < 5 {
		t.Fatalf("%d results, %d retried, %d replays: were faults injected?", len(results), retried, replays)
	}
	state := mockState(t, url)
	recipients, keys := map[string]int{}, map[string]int{}
	for _, d := range state.Deliveries {
		recipients[str(d.Recipient)]++
	}
	for _, s := range state.Sends {
		keys[s.IdempotencyKey]++
	}
	if len(state.Sends) != sends || len(state.Deliveries) != sends || len(recipients) != sends || len(keys) != sends {
		t.Fatalf("recorded %d sends (%d keys) and %d deliveries (%d recipients), want %d of each",
			len(state.Sends), len(keys), len(state.Deliveries), len(recipients), sends)
	}
	if state.Counts.FaultsInjected == 0 || state.Counts.DroppedResponses == 0 || state.Counts.Replays < replays {
		t.Fatalf("counts %+v", state.Counts)
	}
	t.Logf("%d sends: %d retried, %d answered by a replay; %d faults injected, %d answers lost",
		sends, retried, replays, state.Counts.FaultsInjected, state.Counts.DroppedResponses)
}

const (
	leakKey    = "test_goleakKEYBODY0123456789zz"
	leakSecret = "whsec_Z29sZWFrLXNlY3JldC1ib2R5LTAxMjM0NTY3ODkhIQ=="
)

// leakNeedles are what must never be printed: the key and the secret (whole, or past their
// prefix) and an Authorization value.
var leakNeedles = []string{"goleakKEYBODY0123456789", "Z29sZWFrLXNlY3JldC1ib2R5", "Bearer "}

// TestNoSecretsInOutput formats every public object that holds an API key or a signing secret,
// and every error the package returns while holding them, with %v, %+v, %#v and %s, and fails if
// the key, the secret or an Authorization value appears.
func TestNoSecretsInOutput(t *testing.T) {
	ctx := context.Background()
	opts := Options{APIKey: leakKey, BaseURL: mockURL, MaxRetries: Int(0), Timeout: Duration(5 * time.Second),
		DefaultHeaders: http.Header{"X-Trace": {"t"}}}
	client, err := NewClient(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	verifier, err := NewVerifier(leakSecret)
	if err != nil {
		t.Fatal(err)
	}
	defer verifier.Close()
	guard, err := NewRedisReplayGuard("redis://:" + leakSecret + "@127.0.0.1:9/0")
	if err != nil {
		t.Fatal(err)
	}
	defer guard.Close()
	secret := leakSecret
	config := WebhookConfig{UUID: "w", URL: "https://x.example", SigningSecret: &secret}
	objects := []any{opts, &opts, client, verifier, guard, config, &config, Result[WebhookConfig]{Data: config}}

	var errs []error
	collect := func(_ any, err error) {
		if err == nil {
			t.Errorf("expected an error")
			return
		}
		errs = append(errs, err)
	}
	collect(client.Contacts.Get(ctx, "nobody-here@example.com"))
	collect(client.Send(ctx, "no.such.event", "", SendRequest{To: "ada@example.com"}))
	collect(client.Contacts.List(ctx, ContactListParams{Limit: 1000}))
	collect(client.Events.List(ctx, WithTimeout(0)))
	collect(client.Events.List(ctx, WithExtraHeader("Bad\nHeader", "x")))
	for _, key := range []string{"test_revoked_goleakKEYBODY0123456789", "test_inactive_goleakKEYBODY0123456789"} {
		other, err := NewClient(Options{APIKey: key, BaseURL: mockURL, MaxRetries: Int(0)})
		if err != nil {
			t.Fatal(err)
		}
		collect(other.Events.List(ctx))
		objects = append(objects, other)
		defer other.Close()
	}
	offline, err := NewClient(Options{APIKey: leakKey, BaseURL: offlineURL, MaxRetries: Int(0)})
	if err != nil {
		t.Fatal(err)
	}
	defer offline.Close()
	collect(offline.Events.List(ctx))
	for _, bad := range []Options{
		{APIKey: "sk_goleakKEYBODY0123456789"},
		{APIKey: leakKey, BaseURL: "http://api.example.com"},
		{APIKey: leakKey, BaseURL: "not a url"},
		{APIKey: leakKey, Timeout: Duration(-time.Second)},
		{APIKey: leakSecret},
	} {
		collect(NewClient(bad))
		objects = append(objects, bad)
	}
	results, err := client.SendMany(ctx, []SendItem{{Event: "no.such.event", Body: SendRequest{To: "a@example.com"}}})
	if err != nil || len(results) != 1 {
		t.Fatal(err)
	}
	errs = append(errs, results[0].Err)
	objects = append(objects, results)

	body := []byte(`{"event":"delivery.sent","delivery":{"uuid":"d1","channel":"email","status":"sent"}}`)
	signature, err := SignWebhook(leakSecret, "msg_1", 1_700_000_000, body)
	if err != nil {
		t.Fatal(err)
	}
	headers := http.Header{"Webhook-Id": {"msg_1"}, "Webhook-Timestamp": {"1700000000"}, "Webhook-Signature": {signature}}
	now := &VerifyOptions{Now: time.Unix(1_700_000_000, 0)}
	for _, s := range []string{leakSecret + "x", "whsec_goleakKEYBODY0123456789!!", leakKey, signature, "", "whpk_Z29sZWFrLXNlY3JldC1ib2R5"} {
		errs = append(errs, VerifyWebhook(s, body, headers, now))
		collect(NewVerifier(leakSecret, s))
	}
	errs = append(errs, verifier.Verify([]byte("{}"), headers, now))
	errs = append(errs, verifier.Verify(body, headers, &VerifyOptions{Now: time.Unix(1_700_009_000, 0)}))
	collect(verifier.VerifyOnce(body, headers, guard, now))
	memory, err := NewMemoryReplayGuard()
	if err != nil {
		t.Fatal(err)
	}
	defer memory.Close()
	verified, err := verifier.VerifyOnce(body, headers, memory, now)
	if err != nil {
		t.Fatal(err)
	}
	objects = append(objects, verified, *verified)
	collect(verifier.VerifyOnce(body, headers, memory, now))

	for _, err := range errs {
		if err == nil {
			t.Error("expected an error")
			continue
		}
		var serr *Error
		if !errors.As(err, &serr) {
			t.Errorf("not an *Error: %v", err)
		}
		objects = append(objects, err, serr, *serr)
	}
	scanned := 0
	for _, object := range objects {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			text := fmt.Sprintf(verb, object)
			scanned++
			for _, needle := range leakNeedles {
				if strings.Contains(text, needle) {
					t.Errorf("%s of %T shows %q: %s", verb, object, needle, text)
				}
			}
		}
	}
	// The scanner finds what it looks for.
	if text := fmt.Sprintf("%v", map[string]string{"k": leakKey}); !strings.Contains(text, leakNeedles[0]) {
		t.Fatal("the scan would not see the key")
	}
	if scanned < 200 {
		t.Fatalf("only %d texts scanned", scanned)
	}
	t.Logf("%d texts scanned", scanned)
}
