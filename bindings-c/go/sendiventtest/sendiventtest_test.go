package sendiventtest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	sendivent "github.com/sendivent/sendivent-sdk/bindings-c/go"
	"github.com/sendivent/sendivent-sdk/bindings-c/go/sendiventtest"
)

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

var body = []byte(`{"event":"delivery.delivered","delivery":{"uuid":"d1","channel":"email","status":"delivered"}}`)

// How a user tests an endpoint: the middleware on the kit's clock, requests signed by the kit.
func TestAnEndpointWithTheKit(t *testing.T) {
	verifier, err := sendivent.NewVerifier(secret)
	if err != nil {
		t.Fatal(err)
	}
	defer verifier.Close()
	guard, err := sendivent.NewMemoryReplayGuard()
	if err != nil {
		t.Fatal(err)
	}
	defer guard.Close()
	var statuses []sendivent.DeliveryStatus
	endpoint := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		event, _ := sendivent.EventFromContext(r.Context())
		statuses = append(statuses, event.Delivery.Status)
	})
	handler := sendivent.WebhookMiddleware(verifier, guard, sendivent.WithVerifyOptions(sendiventtest.VerifyOptions()))(endpoint)
	serve := func(req *http.Request) int {
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		return rec.Code
	}

	if code := serve(sendiventtest.NewRequest(t, "/hooks", body, secret)); code != http.StatusOK {
		t.Fatalf("a signed webhook: %d", code)
	}
	// A second event gets a new id; a redelivery of one id is a duplicate.
	if code := serve(sendiventtest.NewRequest(t, "/hooks", body, secret)); code != http.StatusOK {
		t.Fatalf("another webhook: %d", code)
	}
	if code := serve(sendiventtest.NewRequest(t, "/hooks", body, secret, sendiventtest.WithID("msg_again"))); code != http.StatusOK {
		t.Fatalf("msg_again: %d", code)
	}
	if code := serve(sendiventtest.NewRequest(t, "/hooks", body, secret, sendiventtest.WithID("msg_again"))); code != http.StatusNoContent {
		t.Fatalf("a redelivery must be a duplicate: %d", code)
	}
	stale := sendiventtest.WithTimestamp(sendiventtest.Now.Add(-10 * time.Minute))
	if code := serve(sendiventtest.NewRequest(t, "/hooks", body, secret, stale)); code != http.StatusBadRequest {
		t.Fatalf("a webhook outside the tolerance: %d", code)
	}
	other := "whsec_c2VuZGl2ZW50LXJvdGF0aW9uLXNlY3JldC0wMDIhIQ=="
	if code := serve(sendiventtest.NewRequest(t, "/hooks", body, other)); code != http.StatusBadRequest {
		t.Fatalf("a webhook signed with another secret: %d", code)
	}
	if len(statuses) != 3 || statuses[0] != sendivent.DeliveryStatusDelivered {
		t.Fatalf("the endpoint saw %v", statuses)
	}
	headers, err := sendiventtest.SignHeaders(body, secret, sendiventtest.WithID("msg_1"))
	if err != nil || headers.Get("Webhook-Id") != "msg_1" || headers.Get("Webhook-Timestamp") != "1700000000" {
		t.Fatalf("SignHeaders: %v %v", headers, err)
	}
	if _, err := sendiventtest.SignHeaders(body, "not a secret"); err == nil {
		t.Fatal("a bad secret must fail")
	}
}

// How a user tests code that sends: a mock of the test's own, a client of it, and the mock's
// records of what arrived.
func TestStartMock(t *testing.T) {
	if os.Getenv("SENDIVENT_MOCK_BIN") == "" {
		t.Setenv("SENDIVENT_MOCK_BIN", filepath.Join("..", "..", "..", "target", "debug", "sendivent-mock"))
	}
	mock := sendiventtest.StartMock(t, "--no-limits")
	client := mock.Client(t)
	sent, err := client.Send(context.Background(), "user.welcome", "", sendivent.SendRequest{
		To: sendivent.ContactInput{Email: "kit@example.com"}, Payload: map[string]any{},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(sent.Data.Deliveries) != 1 || sent.Data.Deliveries[0].Channel != sendivent.ChannelEmail {
		t.Fatalf("one email delivery expected, got %+v", sent.Data.Deliveries)
	}
	state, err := http.Get(mock.URL + "/_mock/state")
	if err != nil {
		t.Fatal(err)
	}
	defer state.Body.Close()
	var counts struct {
		Counts struct {
			Sends int `json:"sends"`
		} `json:"counts"`
	}
	if err := json.NewDecoder(state.Body).Decode(&counts); err != nil || counts.Counts.Sends != 1 {
		t.Fatalf("the mock counted %d sends (%v), want 1", counts.Counts.Sends, err)
	}
}
