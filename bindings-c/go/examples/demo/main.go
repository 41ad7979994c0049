// Command demo is the Go step of `make demo`: it receives webhooks on a local net/http server
// (WebhookMiddleware: verification and replay protection), registers that endpoint, sends a
// notification through the mock, and shows the signed webhook it triggers verified, a tampered
// copy rejected and a redelivery answered without being handled twice.
//
//	SENDIVENT_BASE_URL=http://127.0.0.1:PORT go run ./examples/demo
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	sendivent "github.com/sendivent/sendivent-sdk/bindings-c/go"
)

// delivery is one webhook request as it reached the server.
type delivery struct {
	header http.Header
	body   []byte
	event  *sendivent.WebhookEvent
}

func main() {
	if os.Getenv("SENDIVENT_BASE_URL") == "" {
		log.Fatal("set SENDIVENT_BASE_URL to the mock's URL")
	}
	key := os.Getenv("SENDIVENT_API_KEY")
	if key == "" {
		key = "test_demo_go"
	}
	client, err := sendivent.NewClient(sendivent.Options{APIKey: key})
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	url := "http://" + listener.Addr().String() + "/webhooks/sendivent"
	if existing, err := client.Webhooks.Get(ctx); err == nil {
		if _, err := client.Webhooks.Delete(ctx, existing.Data.UUID); err != nil {
			log.Fatal(err)
		}
	} else if !errors.Is(err, sendivent.ClassNotFound) {
		log.Fatal(err)
	}
	hook, err := client.Webhooks.Create(ctx, sendivent.CreateWebhook{URL: url,
		EnabledEvents: []sendivent.WebhookEventType{sendivent.WebhookEventTypeDeliverySent}})
	if err != nil {
		log.Fatal(err)
	}
	defer client.Webhooks.Delete(context.Background(), hook.Data.UUID) //nolint:errcheck // best effort
	fmt.Printf("[go] webhook endpoint %s -> %s (%v)\n", hook.Data.UUID, url, hook.Data)

	// The receiving side: every webhook verified and recorded once before the handler sees it.
	verifier, err := sendivent.NewVerifier(*hook.Data.SigningSecret)
	if err != nil {
		log.Fatal(err)
	}
	defer verifier.Close()
	guard, err := sendivent.NewMemoryReplayGuard()
	if err != nil {
		log.Fatal(err)
	}
	defer guard.Close()
	received := make(chan delivery, 8)
	handler := sendivent.WebhookMiddleware(verifier, guard)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		event, _ := sendivent.EventFromContext(r.Context())
		body, _ := io.ReadAll(r.Body)
		received <- delivery{header: r.Header.Clone(), body: body, event: event}
	}))
	server := &http.Server{Handler: handler, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = server.Serve(listener) }()
	defer server.Close()

	sent, err := client.Send(ctx, "user.welcome", sendivent.ChannelEmail, sendivent.SendRequest{
		To: "ada@example.com", Payload: map[string]any{"message": "from Go"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("[go] sent user.welcome: %v (request %s)\n", sent.Data.Deliveries, *sent.Meta.RequestID)

	var got delivery
	select {
	case got = <-received:
	case <-ctx.Done():
		log.Fatal("no webhook arrived")
	}
	fmt.Printf("[go] verified webhook %s: %s for delivery %s (%s)\n", got.header.Get("Webhook-Id"), got.event.Event,
		got.event.Delivery.UUID, got.event.Delivery.Channel)

	post := func(body []byte) (int, string) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		req.Header = got.header.Clone()
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		defer res.Body.Close()
		text, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(bytes.TrimSpace(text))
	}
	status, text := post(append(got.body, ' '))
	fmt.Printf("[go] a tampered body is rejected: HTTP %d %s\n", status, text)
	status, _ = post(got.body)
	fmt.Printf("[go] the same delivery again is answered HTTP %d and not handled twice (%d handled)\n", status,
		1+len(received))
	if status != http.StatusNoContent || len(received) != 0 {
		log.Fatal("the redelivery was handled")
	}
}
