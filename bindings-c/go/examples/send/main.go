// Command send sends a notification through libsendivent from Go, then verifies a webhook.
//
//	SENDIVENT_API_KEY=test_... SENDIVENT_BASE_URL=http://127.0.0.1:8080 go run ./examples/send
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"time"

	sendivent "github.com/sendivent/sendivent-sdk/bindings-c/go"
)

func main() {
	client, err := sendivent.NewClient(sendivent.Options{}) // key and base URL from the environment
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := client.Send(ctx, "user.welcome", "" /* every channel of the event */, sendivent.SendRequest{
		To:      sendivent.ContactInput{Email: "ada@example.com", Name: "Ada", Extra: map[string]any{"tier": "gold"}},
		Payload: map[string]any{"message": "Sent from Go with libsendivent " + sendivent.Version()},
	}, sendivent.WithIdempotencyKey("go-example-"+strconv.FormatInt(time.Now().Unix(), 10)))
	var serr *sendivent.Error
	switch {
	case errors.Is(err, sendivent.ClassSendFailed) && errors.As(err, &serr):
		log.Fatalf("the API refused the send: %+v", serr.Errors)
	case err != nil:
		log.Fatal(err)
	}
	for _, d := range res.Data.Deliveries {
		fmt.Printf("Go: sent on %s, delivery %s (HTTP %d, replay %v)\n", d.Channel, d.UUID, res.Meta.Status,
			res.Meta.IdempotentReplay)
	}
	for _, skipped := range res.Data.Errors { // recipients or channels the send could not reach
		fmt.Printf("Go: skipped: %s: %s\n", skipped.Code, skipped.Message)
	}

	// Verifying a webhook in an http.Handler: pass the raw body and r.Header.
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	verifier, err := sendivent.NewVerifier(secret)
	if err != nil {
		log.Fatal(err)
	}
	defer verifier.Close()
	body := []byte(`{"event":"delivery.delivered","delivery":{"uuid":"d1","channel":"email","status":"delivered"}}`)
	now := time.Now().Unix()
	signature, err := sendivent.SignWebhook(secret, "msg_1", now, body) // what Sendivent would send
	if err != nil {
		log.Fatal(err)
	}
	header := http.Header{}
	header.Set("Webhook-Id", "msg_1")
	header.Set("Webhook-Timestamp", strconv.FormatInt(now, 10))
	header.Set("Webhook-Signature", signature)
	event, err := verifier.VerifyEvent(body, header, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("Go: verified webhook %s for delivery %s (%v)\n", event.Event, event.Delivery.UUID, verifier)
}
