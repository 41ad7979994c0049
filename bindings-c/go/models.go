package sendivent

import (
	"encoding/json"
	"fmt"
	"sort"
)

// Result is a successful answer with its HTTP metadata.
type Result[T any] struct {
	// Data is the decoded answer.
	Data T `json:"data"`
	// Meta has the status, headers, request id, replay flag and rate-limit headers.
	Meta ResponseMeta `json:"meta"`
}

// ResponseMeta is what the HTTP layer said about a response.
type ResponseMeta struct {
	// Status is the HTTP status.
	Status int `json:"status"`
	// Headers are every response header as [name, value], names lower-cased, in order.
	Headers [][2]string `json:"headers"`
	// RequestID is X-Request-Id, when the server sent one.
	RequestID *string `json:"request_id"`
	// IdempotentReplay is true when the answer is the stored answer to an earlier request with
	// the same idempotency key: nothing was sent again.
	IdempotentReplay bool `json:"idempotent_replay"`
	// IdempotencyKey is the key the request carried (every send carries one).
	IdempotencyKey *string `json:"idempotency_key"`
	// RateLimit has the X-RateLimit-* headers, when present.
	RateLimit *RateLimit `json:"rate_limit"`
	// Attempts is how many attempts the call took (1 when it was not retried).
	Attempts int `json:"attempts"`
}

// Header returns the first value of a response header (name matched case-insensitively).
func (m ResponseMeta) Header(name string) (string, bool) {
	for _, h := range m.Headers {
		if equalFold(h[0], name) {
			return h[1], true
		}
	}
	return "", false
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// RateLimit holds the X-RateLimit-* headers of a response.
type RateLimit struct {
	Limit     *uint64 `json:"limit"`
	Remaining *uint64 `json:"remaining"`
	Reset     *uint64 `json:"reset"`
}

// SendError is one reason a send failed; Code is kept exactly as the API sent it.
type SendError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ContactInput is a contact to create or update, or a send recipient. Extra fields go to the
// contact's meta on the server.
type ContactInput struct {
	Email      string `json:"email,omitempty"`
	Phone      string `json:"phone,omitempty"`
	Name       string `json:"name,omitempty"`
	ExternalID string `json:"externalId,omitempty"`
	Avatar     string `json:"avatar,omitempty"`
	Username   string `json:"username,omitempty"`
	Slack      string `json:"slack,omitempty"`
	Telegram   string `json:"telegram,omitempty"`
	Discord    string `json:"discord,omitempty"`
	// Extra holds any other field (e.g. "tier": "gold"); the server keeps them in meta.
	Extra map[string]any `json:"-"`
}

// MarshalJSON flattens Extra next to the standard fields.
func (c ContactInput) MarshalJSON() ([]byte, error) {
	type plain ContactInput
	base, err := json.Marshal(plain(c))
	if err != nil || len(c.Extra) == 0 {
		return base, err
	}
	merged := map[string]any{}
	if err := json.Unmarshal(base, &merged); err != nil {
		return nil, err
	}
	for k, v := range c.Extra {
		if _, standard := merged[k]; standard {
			return nil, fmt.Errorf("sendivent: ContactInput.Extra[%q] collides with a standard field", k)
		}
		merged[k] = v
	}
	return json.Marshal(merged)
}

// SendRequest is the body of a send. To is a recipient or a list of them: a string (email,
// E.164 phone, UUID, external id, Slack user id, #channel), a ContactInput, or a []any of
// those; nil broadcasts to the event's configured listeners.
type SendRequest struct {
	To        any            `json:"to,omitempty"`
	Payload   map[string]any `json:"payload"`
	Language  string         `json:"language,omitempty"`
	From      string         `json:"from,omitempty"`
	Overrides map[string]any `json:"overrides,omitempty"`
}

// MarshalJSON sends an empty payload as {} (the API requires the field).
func (r SendRequest) MarshalJSON() ([]byte, error) {
	type plain SendRequest
	p := plain(r)
	if p.Payload == nil {
		p.Payload = map[string]any{}
	}
	return json.Marshal(p)
}

// DeliveryRef is a delivery created by a send.
type DeliveryRef struct {
	Channel string
	UUID    string
}

// SendResponse is the answer to a successful send.
type SendResponse struct {
	Success    bool          `json:"success"`
	Deliveries []DeliveryRef `json:"-"`
}

// UnmarshalJSON reads the API's [{"<channel>": "<uuid>"}] delivery entries.
func (s *SendResponse) UnmarshalJSON(data []byte) error {
	var raw struct {
		Success    bool                `json:"success"`
		Deliveries []map[string]string `json:"deliveries"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	s.Success = raw.Success
	s.Deliveries = s.Deliveries[:0]
	for _, entry := range raw.Deliveries {
		channels := make([]string, 0, len(entry))
		for ch := range entry {
			channels = append(channels, ch)
		}
		sort.Strings(channels)
		for _, ch := range channels {
			s.Deliveries = append(s.Deliveries, DeliveryRef{Channel: ch, UUID: entry[ch]})
		}
	}
	return nil
}

// Contact is a stored contact.
type Contact struct {
	UUID       string         `json:"uuid"`
	Email      *string        `json:"email"`
	Phone      *string        `json:"phone"`
	Name       *string        `json:"name"`
	ExternalID *string        `json:"external_id"`
	Avatar     *string        `json:"avatar"`
	Username   *string        `json:"username"`
	Slack      *string        `json:"slack"`
	Telegram   *string        `json:"telegram"`
	Discord    *string        `json:"discord"`
	Meta       map[string]any `json:"meta"`
	PushTokens []string       `json:"push_tokens"`
	CreatedAt  *string        `json:"created_at"`
	UpdatedAt  *string        `json:"updated_at"`
}

// ContactListParams filters GET /v1/contacts. Zero values are left out.
type ContactListParams struct {
	Limit  int    `json:"limit,omitempty"`
	Offset int    `json:"offset,omitempty"`
	Search string `json:"search,omitempty"`
}

// ContactList is one page of contacts.
type ContactList struct {
	Contacts []Contact `json:"contacts"`
	Total    int       `json:"total"`
	Limit    int       `json:"limit"`
	Offset   int       `json:"offset"`
}

// Template is one channel/language template of an event.
type Template struct {
	Channel  string  `json:"channel"`
	Language *string `json:"language"`
	Subject  *string `json:"subject"`
	Body     *string `json:"body"`
}

// Event is a notification event.
type Event struct {
	Identifier  string     `json:"identifier"`
	Name        *string    `json:"name"`
	Description *string    `json:"description"`
	Channels    []string   `json:"channels"`
	Templates   []Template `json:"templates"`
}

// Delivery is one message on one channel.
type Delivery struct {
	UUID        string  `json:"uuid"`
	Channel     string  `json:"channel"`
	Status      string  `json:"status"`
	EventName   *string `json:"event_name"`
	ContactUUID *string `json:"contact_uuid"`
	Recipient   *string `json:"recipient"`
	MessageID   *string `json:"message_id"`
	Error       *string `json:"error"`
	CreatedAt   *string `json:"created_at"`
	SentAt      *string `json:"sent_at"`
	DeliveredAt *string `json:"delivered_at"`
}

// DeliveryListParams filters GET /v1/deliveries. Zero values are left out.
type DeliveryListParams struct {
	Limit   int    `json:"limit,omitempty"`
	Offset  int    `json:"offset,omitempty"`
	Event   string `json:"event,omitempty"`
	Channel string `json:"channel,omitempty"`
	Status  string `json:"status,omitempty"`
}

// DeliveryList is one page of deliveries.
type DeliveryList struct {
	Deliveries []Delivery `json:"deliveries"`
	Total      int        `json:"total"`
	Limit      int        `json:"limit"`
	Offset     int        `json:"offset"`
}

// TimelineEntry is one step of a delivery's trace.
type TimelineEntry struct {
	Event     string  `json:"event"`
	Timestamp string  `json:"timestamp"`
	Detail    *string `json:"detail"`
}

// DeliveryTrace is a delivery with its timeline and content snapshot.
type DeliveryTrace struct {
	Delivery Delivery        `json:"delivery"`
	Timeline []TimelineEntry `json:"timeline"`
	Content  json.RawMessage `json:"content,omitempty"`
}

// Integration is a configured channel provider (secrets are never returned).
type Integration struct {
	Channel  string `json:"channel"`
	Provider string `json:"provider"`
	Status   string `json:"status"`
}

// IntegrationList is the answer of GET /v1/integrations.
type IntegrationList struct {
	Integrations []Integration `json:"integrations"`
}

// WebhookConfig is the application's webhook endpoint.
type WebhookConfig struct {
	UUID          string   `json:"uuid"`
	URL           string   `json:"url"`
	EnabledEvents []string `json:"enabled_events"`
	Description   *string  `json:"description"`
	IsActive      bool     `json:"is_active"`
	// SigningSecret is only in the answer to Create: store it.
	SigningSecret *string `json:"signing_secret"`
	CreatedAt     *string `json:"created_at"`
}

// String redacts the signing secret.
func (w WebhookConfig) String() string {
	secret := "none"
	if w.SigningSecret != nil {
		secret = "whsec_…"
	}
	return fmt.Sprintf("WebhookConfig{UUID: %s, URL: %s, Events: %v, Active: %v, Secret: %s}", w.UUID, w.URL,
		w.EnabledEvents, w.IsActive, secret)
}

// CreateWebhook is the body of POST /v1/webhooks.
type CreateWebhook struct {
	URL           string   `json:"url"`
	EnabledEvents []string `json:"enabled_events"`
	Description   string   `json:"description,omitempty"`
}

// UpdateWebhook is the body of PATCH /v1/webhooks/{uuid}; nil fields are unchanged.
type UpdateWebhook struct {
	URL           *string  `json:"url,omitempty"`
	EnabledEvents []string `json:"enabled_events,omitempty"`
	IsActive      *bool    `json:"is_active,omitempty"`
}

// Deleted is the answer of a delete.
type Deleted struct {
	Success bool `json:"success"`
	Deleted bool `json:"deleted"`
}

// Acknowledged is the answer of calls that return nothing else.
type Acknowledged struct {
	Success bool `json:"success"`
}

// WebhookDelivery is the delivery inside a webhook event.
type WebhookDelivery struct {
	UUID        string  `json:"uuid"`
	Channel     string  `json:"channel"`
	Status      string  `json:"status"`
	EventName   *string `json:"event_name"`
	MessageID   *string `json:"message_id"`
	SentAt      *string `json:"sent_at"`
	DeliveredAt *string `json:"delivered_at"`
	Error       *string `json:"error"`
}

// WebhookEvent is the body Sendivent POSTs to a webhook endpoint.
type WebhookEvent struct {
	Event     string          `json:"event"`
	Delivery  WebhookDelivery `json:"delivery"`
	RequestID *string         `json:"request_id"`
	Timestamp *string         `json:"timestamp"`
}
