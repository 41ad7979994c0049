package sendivent

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The send examples of the API's official SDKs — the Node package @appitude/sendivent 0.2.1
// (README.md, example.ts) and the PHP package sendivent/sdk (README.md, example.php) — written
// with the Go client's types and sent through it to sendivent-mock with
// tests/mock-server/fixtures/official-examples.json, each checked for the effect the examples
// document (tests/mock-server/tests/official_examples.rs sends the same requests raw).
//
// As there, two examples cannot have their documented effect under docs/contract.md §2: the
// placeholder phone +1234567890 is not a possible +1 number (the Go client refuses it with
// INVALID_PHONE before sending; realPhone shows the effect), and the READMEs' U12345 is too
// short for a Slack user id (an external id).

const realPhone = "+14155552671"

// officialClient is a client of a fresh mock with the official examples' application.
func officialClient(t *testing.T) (*Client, string) {
	t.Helper()
	fixtures := filepath.Join("..", "..", "tests", "mock-server", "fixtures", "official-examples.json")
	url := startMock(t, "--no-limits", "--fixtures", fixtures, "--transition-delay-ms", "20")
	c, err := NewClient(Options{APIKey: "test_your_api_key_here", BaseURL: url})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c, url
}

func mustSend(t *testing.T, c *Client, event string, channel Channel, req SendRequest, opts ...RequestOption) *Result[SendResponse] {
	t.Helper()
	res, err := c.Send(context.Background(), event, channel, req, opts...)
	if err != nil {
		t.Fatalf("%s: %v", event, err)
	}
	if !res.Data.Success {
		t.Fatalf("%s: not a success: %+v", event, res.Data)
	}
	return res
}

func channelsOf(res *Result[SendResponse]) []Channel {
	channels := []Channel{}
	for _, d := range res.Data.Deliveries {
		channels = append(channels, d.Channel)
	}
	return channels
}

func sameChannels(t *testing.T, res *Result[SendResponse], want ...Channel) {
	t.Helper()
	if got := channelsOf(res); !reflect.DeepEqual(got, want) {
		t.Fatalf("deliveries on %v, want %v", got, want)
	}
}

// traceOf is the trace of the delivery on channel: its delivery and rendered content.
func traceOf(t *testing.T, c *Client, res *Result[SendResponse], channel Channel) (Delivery, map[string]any) {
	t.Helper()
	for _, d := range res.Data.Deliveries {
		if d.Channel == channel {
			return traceOfUUID(t, c, d.UUID)
		}
	}
	t.Fatalf("no delivery on %s: %+v", channel, res.Data)
	return Delivery{}, nil
}

func traceOfUUID(t *testing.T, c *Client, uuid string) (Delivery, map[string]any) {
	t.Helper()
	trace, err := c.Deliveries.Trace(context.Background(), uuid)
	if err != nil {
		t.Fatal(err)
	}
	content, _ := trace.Data.Content.(map[string]any)
	return trace.Data.Delivery, content
}

func contactOf(t *testing.T, c *Client, identifier string) Contact {
	t.Helper()
	res, err := c.Contacts.Get(context.Background(), identifier)
	if err != nil {
		t.Fatalf("%s: %v", identifier, err)
	}
	return res.Data
}

// mockState is GET /_mock/state.
func mockState(t *testing.T, url string) mockStateBody {
	t.Helper()
	res, err := http.Get(url + "/_mock/state")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var state mockStateBody
	if err := json.NewDecoder(res.Body).Decode(&state); err != nil {
		t.Fatal(err)
	}
	return state
}

// mockStateBody is the part of the mock's state the tests read (tests/mock-server/README.md).
type mockStateBody struct {
	Counts struct {
		Sends            int `json:"sends"`
		Replays          int `json:"replays"`
		FaultsInjected   int `json:"faults_injected"`
		DroppedResponses int `json:"dropped_responses"`
	} `json:"counts"`
	Contacts int `json:"contacts"`
	Sends    []struct {
		IdempotencyKey  string `json:"idempotency_key"`
		ResponseDropped bool   `json:"response_dropped"`
	} `json:"sends"`
	Deliveries []struct {
		Recipient *string `json:"recipient"`
	} `json:"deliveries"`
}

// sendFailed returns the reasons of a SEND_FAILED error, failing the test for any other outcome.
func sendFailed(t *testing.T, err error) []SendError {
	t.Helper()
	var serr *Error
	if !errors.As(err, &serr) || !errors.Is(err, ClassSendFailed) {
		t.Fatalf("expected SEND_FAILED, got %v", err)
	}
	return serr.Errors
}

func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

// Node README "Quick Start", PHP README "Quick Start", example 1 (email detected).
func TestOfficialQuickStart(t *testing.T) {
	c, url := officialClient(t)
	res := mustSend(t, c, "welcome", "", SendRequest{Payload: map[string]any{"name": "John Doe"}, To: "user@example.com"})
	sameChannels(t, res, ChannelEmail)
	_, content := traceOf(t, c, res, ChannelEmail)
	if content["to"] != "user@example.com" || content["subject"] != "Welcome, John Doe" {
		t.Fatalf("content %v", content)
	}
	if contact := contactOf(t, c, "user@example.com"); str(contact.Email) != "user@example.com" {
		t.Fatalf("contact %+v", contact)
	}
	if state := mockState(t, url); state.Contacts != 1 {
		t.Fatalf("%d contacts", state.Contacts)
	}
}

// Example 1 (phone detected), the READMEs' sms-code and channel-specific sending, example 5
// urgent-alert forced to SMS.
func TestOfficialPhones(t *testing.T) {
	c, url := officialClient(t)
	for _, ex := range []struct {
		event   string
		channel Channel
		payload map[string]any
	}{
		{"verification-code", "", map[string]any{"code": "123456"}},
		{"sms-code", "", map[string]any{"code": "123456"}},
		{"verification-code", ChannelSMS, map[string]any{"code": "123456"}},
		{"urgent-alert", ChannelSMS, map[string]any{"alert": "Your account requires attention"}},
	} {
		_, err := c.Send(context.Background(), ex.event, ex.channel, SendRequest{Payload: ex.payload, To: "+1234567890"})
		if CodeOf(err) != CodeInvalidPhone || !strings.Contains(err.Error(), "10 digits") {
			t.Fatalf("%s: the placeholder phone must be INVALID_PHONE, got %v", ex.event, err)
		}
		res := mustSend(t, c, ex.event, ex.channel, SendRequest{Payload: ex.payload, To: realPhone})
		sameChannels(t, res, ChannelSMS)
		_, content := traceOf(t, c, res, ChannelSMS)
		for _, value := range ex.payload {
			if content["to"] != realPhone || !strings.Contains(content["body"].(string), value.(string)) {
				t.Fatalf("%s: content %v", ex.event, content)
			}
		}
	}
	if state := mockState(t, url); state.Contacts != 1 {
		t.Fatalf("one contact for the real number, none for the placeholder: %d", state.Contacts)
	}
}

// Example 1 (Slack user id detected); the READMEs' alert to U12345.
func TestOfficialSlackDirectMessage(t *testing.T) {
	c, url := officialClient(t)
	res := mustSend(t, c, "dm-notification", "", SendRequest{Payload: map[string]any{"message": "You have a new message"}, To: "U12345ABCDE"})
	sameChannels(t, res, ChannelSlack)
	delivery, content := traceOf(t, c, res, ChannelSlack)
	if content["to"] != "U12345ABCDE" || content["body"] != "You have a new message" || delivery.ContactUUID != nil {
		t.Fatalf("content %v, delivery %+v", content, delivery)
	}
	if _, err := c.Contacts.Get(context.Background(), "U12345ABCDE"); !errors.Is(err, ClassNotFound) {
		t.Fatalf("a direct message creates no contact: %v", err)
	}
	// U12345 is too short for a Slack user id: an external id, which a Slack-only event cannot reach.
	_, err := c.Send(context.Background(), "alert", "", SendRequest{Payload: map[string]any{}, To: "U12345"})
	if reasons := sendFailed(t, err); reasons[0].Code != APICodeMissingIdentifier {
		t.Fatalf("reasons %+v", reasons)
	}
	if contact := contactOf(t, c, "U12345"); str(contact.ExternalID) != "U12345" {
		t.Fatalf("contact %+v", contact)
	}
	if state := mockState(t, url); state.Contacts != 1 {
		t.Fatalf("%d contacts", state.Contacts)
	}
}

// Example 2 "Rich Contact Objects" and the READMEs' contact object: the official `id` is
// ExternalID, `meta` is Meta.
func TestOfficialRichContacts(t *testing.T) {
	c, url := officialClient(t)
	order := func(phone string) SendRequest {
		return SendRequest{
			Payload: map[string]any{"order_id": "ORD-98765", "total": 99.99,
				"items": []any{map[string]any{"name": "Product A", "qty": 2}, map[string]any{"name": "Product B", "qty": 1}}},
			To: ContactInput{ExternalID: "user-12345", Email: "customer@example.com", Phone: phone, Name: "Jane Smith",
				Avatar: "https://example.com/avatar.jpg", Meta: map[string]any{"tier": "premium", "timezone": "America/New_York"}},
		}
	}
	if _, err := c.Send(context.Background(), "order-confirmation", "", order("+1234567890")); CodeOf(err) != CodeInvalidPhone {
		t.Fatalf("the placeholder phone: %v", err)
	}
	if state := mockState(t, url); state.Contacts != 0 {
		t.Fatal("an invalid contact is not sent")
	}
	res := mustSend(t, c, "order-confirmation", "", order(realPhone))
	sameChannels(t, res, ChannelEmail, ChannelSMS)
	jane := contactOf(t, c, "user-12345")
	if str(jane.ExternalID) != "user-12345" || str(jane.Email) != "customer@example.com" || str(jane.Phone) != realPhone ||
		str(jane.Name) != "Jane Smith" || str(jane.Avatar) != "https://example.com/avatar.jpg" ||
		!reflect.DeepEqual(jane.Meta, map[string]any{"tier": "premium", "timezone": "America/New_York"}) {
		t.Fatalf("contact %+v", jane)
	}
	if _, content := traceOf(t, c, res, ChannelEmail); content["body"] != "Thanks Jane Smith (premium, America/New_York): 99.99" {
		t.Fatalf("content %v", content)
	}
	if _, content := traceOf(t, c, res, ChannelSMS); content["to"] != realPhone {
		t.Fatalf("content %v", content)
	}
	readme := SendRequest{Payload: map[string]any{"welcome_message": "Hello!"},
		To: ContactInput{ExternalID: "user-777", Email: "user@example.com", Phone: "+14155552672", Name: "John Doe",
			Avatar: "https://example.com/avatar.jpg", Meta: map[string]any{"tier": "premium"}}}
	res = mustSend(t, c, "welcome", "", readme)
	if _, content := traceOf(t, c, res, ChannelEmail); content["body"] != "Hi John Doe! Hello! Plan: premium." {
		t.Fatalf("content %v", content)
	}
	if john := contactOf(t, c, "user-777"); str(john.ExternalID) != "user-777" || !reflect.DeepEqual(john.Meta, map[string]any{"tier": "premium"}) {
		t.Fatalf("contact %+v", john)
	}
}

// Example 3 and the READMEs' "Broadcast Events": without To the event's listeners get it.
func TestOfficialBroadcast(t *testing.T) {
	c, url := officialClient(t)
	res := mustSend(t, c, "system-alert", "", SendRequest{Payload: map[string]any{"severity": "high",
		"message": "Database backup completed", "timestamp": 1_767_225_600_000}})
	sameChannels(t, res, ChannelSlack)
	if _, content := traceOf(t, c, res, ChannelSlack); content["to"] != "#ops-alerts" || content["body"] != "[high] Database backup completed" {
		t.Fatalf("content %v", content)
	}
	if state := mockState(t, url); state.Contacts != 0 {
		t.Fatalf("%d contacts", state.Contacts)
	}
}

// Example 4 "Slack Channel Broadcasting" by name and by id, and the READMEs' system-alert to
// #general: broadcasts that create no contact.
func TestOfficialSlackChannels(t *testing.T) {
	c, url := officialClient(t)
	for _, to := range []string{"#general", "C01234ABCDE"} {
		res := mustSend(t, c, "team-announcement", ChannelSlack, SendRequest{
			Payload: map[string]any{"title": "Weekly Update", "message": "New features released!"}, To: to})
		sameChannels(t, res, ChannelSlack)
		delivery, content := traceOf(t, c, res, ChannelSlack)
		if content["to"] != to || content["body"] != "*Weekly Update*: New features released!" || delivery.ContactUUID != nil {
			t.Fatalf("%s: content %v, delivery %+v", to, content, delivery)
		}
	}
	res := mustSend(t, c, "system-alert", ChannelSlack, SendRequest{Payload: map[string]any{"message": "System update"}, To: "#general"})
	if _, content := traceOf(t, c, res, ChannelSlack); content["to"] != "#general" {
		t.Fatalf("content %v", content)
	}
	if state := mockState(t, url); state.Contacts != 0 {
		t.Fatalf("%d contacts", state.Contacts)
	}
	// Without the slack channel a bare C… is ambiguous: an external id.
	_, err := c.Send(context.Background(), "team-announcement", "", SendRequest{Payload: map[string]any{}, To: "C01234ABCDE"})
	if reasons := sendFailed(t, err); reasons[0].Code != APICodeMissingIdentifier {
		t.Fatalf("reasons %+v", reasons)
	}
	if contact := contactOf(t, c, "C01234ABCDE"); str(contact.ExternalID) != "C01234ABCDE" {
		t.Fatalf("contact %+v", contact)
	}
}

// Example 5 "Force Email" on an email + slack event.
func TestOfficialChannelSpecificSend(t *testing.T) {
	c, _ := officialClient(t)
	res := mustSend(t, c, "monthly-report", ChannelEmail, SendRequest{
		Payload: map[string]any{"month": "January", "revenue": 125_000, "growth": 15.5}, To: "manager@example.com"})
	sameChannels(t, res, ChannelEmail)
	if len(res.Data.Errors) != 0 {
		t.Fatalf("slack is not attempted: %+v", res.Data.Errors)
	}
	if _, content := traceOf(t, c, res, ChannelEmail); content["subject"] != "Report for January" || content["body"] != "Revenue 125000, growth 15.5%" {
		t.Fatalf("content %v", content)
	}
}

// Example 6 "Multiple Recipients" and the READMEs' version: strings and contacts mixed.
func TestOfficialMultipleRecipients(t *testing.T) {
	c, _ := officialClient(t)
	res := mustSend(t, c, "newsletter", "", SendRequest{
		Payload: map[string]any{"subject": "Monthly Newsletter", "featured_article": "Top 10 Features You Might Have Missed"},
		To: []any{"subscriber1@example.com", "subscriber2@example.com",
			ContactInput{Email: "vip@example.com", Name: "VIP Customer", Meta: map[string]any{"tier": "platinum"}}},
	})
	if len(res.Data.Deliveries) != 3 {
		t.Fatalf("deliveries %+v", res.Data.Deliveries)
	}
	_, vip := traceOfUUID(t, c, res.Data.Deliveries[2].UUID)
	if vip["to"] != "vip@example.com" || vip["subject"] != "Monthly Newsletter" ||
		vip["body"] != "Hi VIP Customer (platinum). Top 10 Features You Might Have Missed" {
		t.Fatalf("content %v", vip)
	}
	if _, first := traceOfUUID(t, c, res.Data.Deliveries[0].UUID); first["body"] != "Hi reader (standard). Top 10 Features You Might Have Missed" {
		t.Fatalf("content %v", first)
	}
	if contact := contactOf(t, c, "vip@example.com"); !reflect.DeepEqual(contact.Meta, map[string]any{"tier": "platinum"}) {
		t.Fatalf("contact %+v", contact)
	}
	res = mustSend(t, c, "newsletter", "", SendRequest{Payload: map[string]any{"subject": "Newsletter"},
		To: []any{"user1@example.com", ContactInput{ExternalID: "user-456", Email: "user2@example.com", Name: "Jane"}}})
	if len(res.Data.Deliveries) != 2 {
		t.Fatalf("deliveries %+v", res.Data.Deliveries)
	}
	if jane := contactOf(t, c, "user-456"); str(jane.Email) != "user2@example.com" || str(jane.Name) != "Jane" || len(jane.Meta) != 0 {
		t.Fatalf("contact %+v", jane)
	}
}

// Example 7 and the READMEs' "Language Selection".
func TestOfficialLanguage(t *testing.T) {
	c, _ := officialClient(t)
	res := mustSend(t, c, "welcome", "", SendRequest{Payload: map[string]any{"name": "Anders"}, To: "anders@example.com", Language: "sv"})
	if _, content := traceOf(t, c, res, ChannelEmail); content["subject"] != "Välkommen, Anders" || content["language"] != "sv" {
		t.Fatalf("content %v", content)
	}
	res = mustSend(t, c, "password-reset", "", SendRequest{Payload: map[string]any{"reset_link": "https://app.example.com/reset/xyz"},
		To: "maria@example.com", Language: "es"})
	if _, content := traceOf(t, c, res, ChannelEmail); content["language"] != "en" || content["body"] != "Reset: https://app.example.com/reset/xyz" {
		t.Fatalf("content %v", content)
	}
}

// Example 8 "Template Overrides" and the READMEs' version; `from` as a string or a contact.
func TestOfficialOverridesAndFrom(t *testing.T) {
	c, _ := officialClient(t)
	res := mustSend(t, c, "invoice", "", SendRequest{
		Payload:   map[string]any{"invoice_number": "INV-2024-001", "amount": 499.99},
		To:        "customer@example.com",
		Overrides: map[string]any{"subject": "URGENT: Invoice Due", "from_email": "billing@example.com", "from_name": "Billing Department"},
	})
	_, content := traceOf(t, c, res, ChannelEmail)
	if content["subject"] != "URGENT: Invoice Due" || content["from"] != "Billing Department <billing@example.com>" ||
		content["body"] != "Amount due: 499.99. -- Billing Department" {
		t.Fatalf("content %v", content)
	}
	res = mustSend(t, c, "invoice", "", SendRequest{Payload: map[string]any{"amount": 100}, To: "user@example.com",
		Overrides: map[string]any{"subject": "Custom Subject", "from_email": "billing@company.com"}})
	if _, content := traceOf(t, c, res, ChannelEmail); content["subject"] != "Custom Subject" || content["from"] != "billing@company.com" {
		t.Fatalf("content %v", content)
	}
	res = mustSend(t, c, "invoice", "", SendRequest{Payload: map[string]any{"invoice_number": "7"}, To: "user@example.com"})
	if _, content := traceOf(t, c, res, ChannelEmail); content["subject"] != "Invoice 7" ||
		content["from"] != "Example Notifications <notifications@example.com>" {
		t.Fatalf("content %v", content)
	}
	_, err := c.Send(context.Background(), "invoice", "", SendRequest{Payload: map[string]any{}, To: "user@example.com",
		Overrides: map[string]any{"from_email": "ceo@elsewhere.example"}})
	if reasons := sendFailed(t, err); reasons[0].Code != APICodeUnverifiedSender {
		t.Fatalf("reasons %+v", reasons)
	}
	// `from` as the official SDKs write it: a string, or a contact object.
	res = mustSend(t, c, "invoice", "", SendRequest{Payload: map[string]any{"amount": 1}, To: "user@example.com",
		From: ContactInput{Email: "Billing@Example.COM", Name: "Billing"}})
	if _, content := traceOf(t, c, res, ChannelEmail); content["from"] != "Billing <Billing@example.com>" {
		t.Fatalf("content %v", content)
	}
	res = mustSend(t, c, "invoice", "", SendRequest{Payload: map[string]any{"amount": 2}, To: "user@example.com", From: "billing@example.com"})
	if _, content := traceOf(t, c, res, ChannelEmail); content["from"] != "billing@example.com" {
		t.Fatalf("content %v", content)
	}
	if _, err := c.Send(context.Background(), "invoice", "", SendRequest{To: "user@example.com", From: ContactInput{Email: "billing@"}}); CodeOf(err) != CodeInvalidEmail {
		t.Fatalf("an invalid sender is refused before sending: %v", err)
	}
}

// Example 9 "Idempotency" and the READMEs' version: the second send is a replay.
func TestOfficialIdempotency(t *testing.T) {
	c, url := officialClient(t)
	req := SendRequest{Payload: map[string]any{"order_id": "ORD-12345", "total": 299.99}, To: "customer@example.com"}
	key := WithIdempotencyKey("order-ORD-12345-confirmation")
	first := mustSend(t, c, "order-confirmation", "", req, key)
	second := mustSend(t, c, "order-confirmation", "", req, key)
	if first.Meta.IdempotentReplay || !second.Meta.IdempotentReplay || !reflect.DeepEqual(first.Data, second.Data) {
		t.Fatalf("first %+v, second %+v", first, second)
	}
	sameChannels(t, first, ChannelEmail)
	if len(first.Data.Errors) != 1 || first.Data.Errors[0].Code != APICodeMissingIdentifier {
		t.Fatalf("the sms without a phone is reported: %+v", first.Data.Errors)
	}
	if state := mockState(t, url); state.Counts.Sends != 1 || len(state.Deliveries) != 1 {
		t.Fatalf("sent %d times, %d deliveries", state.Counts.Sends, len(state.Deliveries))
	}
}

// example.ts 10 "Error Handling": success, and a failure saying what failed.
func TestOfficialErrorHandling(t *testing.T) {
	c, _ := officialClient(t)
	res := mustSend(t, c, "test-event", "", SendRequest{Payload: map[string]any{"test": true}, To: "test@example.com"})
	if _, content := traceOf(t, c, res, ChannelEmail); content["body"] != "test=true" {
		t.Fatalf("content %v", content)
	}
	_, err := c.Send(context.Background(), "no-such-event", "", SendRequest{Payload: map[string]any{}, To: "test@example.com"})
	var serr *Error
	if reasons := sendFailed(t, err); reasons[0].Code != APICodeEventNotFound || !errors.As(err, &serr) ||
		serr.Status == nil || *serr.Status != 404 || !strings.Contains(err.Error(), "no-such-event") {
		t.Fatalf("%v", err)
	}
}

// example.ts 11 / example.php 12 "Smart Fallback": ExternalID + SlackID only, on an email + slack
// event, reaches the contact through Slack.
func TestOfficialSmartFallback(t *testing.T) {
	c, url := officialClient(t)
	res := mustSend(t, c, "notification", "", SendRequest{Payload: map[string]any{"message": "Your report is ready"},
		To: ContactInput{ExternalID: "user-789", SlackID: "U98765ZYXWV", Name: "Bob"}})
	sameChannels(t, res, ChannelSlack)
	if len(res.Data.Errors) != 1 || res.Data.Errors[0].Code != APICodeMissingIdentifier {
		t.Fatalf("the email it has none for is reported: %+v", res.Data.Errors)
	}
	if _, content := traceOf(t, c, res, ChannelSlack); content["to"] != "U98765ZYXWV" || content["body"] != "Bob: Your report is ready" {
		t.Fatalf("content %v", content)
	}
	bob := contactOf(t, c, "U98765ZYXWV")
	if str(bob.ExternalID) != "user-789" || str(bob.SlackID) != "U98765ZYXWV" || bob.Email != nil || len(bob.Meta) != 0 {
		t.Fatalf("contact %+v", bob)
	}
	res = mustSend(t, c, "notification", "", SendRequest{Payload: map[string]any{"message": "again"},
		To: ContactInput{ExternalID: "user-789", Email: "bob@example.com"}})
	sameChannels(t, res, ChannelEmail, ChannelSlack)
	if state := mockState(t, url); state.Contacts != 1 {
		t.Fatalf("%d contacts", state.Contacts)
	}
}

// example.php 10 "Fire-and-Forget" (sendAsync), as Go does it: the send runs on a goroutine
// nobody waits for, and it still happens once.
func TestOfficialFireAndForget(t *testing.T) {
	c, url := officialClient(t)
	go func() {
		_, _ = c.Send(context.Background(), "analytics-event", "", SendRequest{To: "user@example.com",
			Payload: map[string]any{"event": "page_view", "page": "/dashboard", "timestamp": 1_767_225_600}})
	}()
	deadline := time.Now().Add(10 * time.Second)
	for len(mockState(t, url).Deliveries) != 1 {
		if time.Now().After(deadline) {
			t.Fatal("the send did not happen")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if state := mockState(t, url); state.Counts.Sends != 1 {
		t.Fatalf("%d sends", state.Counts.Sends)
	}
}

// The PHP SDK sends "payload": [] when no payload was set; a Go caller leaves Payload nil, which
// is sent as {}. A payload that is not an object is refused before sending.
func TestOfficialNoPayload(t *testing.T) {
	c, _ := officialClient(t)
	res := mustSend(t, c, "test-event", "", SendRequest{To: "test@example.com"})
	if _, content := traceOf(t, c, res, ChannelEmail); content["body"] != "test=" {
		t.Fatalf("content %v", content)
	}
	if _, err := c.Send(context.Background(), "test-event", "", SendRequest{To: "test@example.com", Payload: []any{1}}); CodeOf(err) != CodeValidationError {
		t.Fatalf("a list payload: %v", err)
	}
}
