package sendivent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

type vectorFile struct {
	Function string       `json:"function"`
	Cases    []vectorCase `json:"cases"`
}

type vectorCase struct {
	Name   string          `json:"name"`
	Check  string          `json:"check"`
	Input  json.RawMessage `json:"input"`
	Now    *int64          `json:"now"`
	Expect struct {
		OK    json.RawMessage `json:"ok"`
		Error *struct {
			Code string `json:"code"`
		} `json:"error"`
	} `json:"expect"`
}

// checked is what a runner returns when it compared the outcome itself.
type checked struct{}

// vectorsDir is tests/vectors of the repository, or $SENDIVENT_VECTORS_DIR.
func vectorsDir() string {
	if dir := os.Getenv("SENDIVENT_VECTORS_DIR"); dir != "" {
		return dir
	}
	return filepath.Join("..", "..", "tests", "vectors")
}

// TestVectors runs every case of every tests/vectors/*.json file through the package's public
// layer (its functions, its Go types, its errors) and writes the number of cases it ran per file
// to $SENDIVENT_VECTOR_COUNTS_DIR/go.json. A function or check it does not know fails.
func TestVectors(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(vectorsDir(), "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no vector files found (%v)", err)
	}
	offline, err := NewClient(Options{APIKey: "test_go_vectors_0123456789abcdef", BaseURL: offlineURL, MaxRetries: Int(0)})
	if err != nil {
		t.Fatal(err)
	}
	defer offline.Close()
	r := &vectorRunner{offline: offline}
	counts := map[string]int{}
	for _, path := range files {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var file vectorFile
		if err := json.Unmarshal(raw, &file); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(file.Cases) == 0 {
			t.Fatalf("%s has no cases", path)
		}
		run, ok := r.runners()[file.Function]
		if !ok {
			t.Fatalf("%s: unknown function %q: teach bindings-c/go/vectors_test.go to run it", path, file.Function)
		}
		r.collectClasses(file.Cases)
		name := filepath.Base(path)
		for _, c := range file.Cases {
			got, err := run(t, c)
			checkOutcome(t, name, c, got, err)
			counts[name]++
		}
	}
	writeCounts(t, counts)
}

// writeCounts writes go.json for tools/check-vector-counts.py and prints the counts.
func writeCounts(t *testing.T, counts map[string]int) {
	dir := os.Getenv("SENDIVENT_VECTOR_COUNTS_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "target", "vector-counts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	encoded, _ := json.Marshal(counts)
	if err := os.WriteFile(filepath.Join(dir, "go.json"), append(encoded, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(counts))
	total := 0
	for name, n := range counts {
		names = append(names, name)
		total += n
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Printf("go vectors: %-20s %d cases\n", name, counts[name])
	}
	fmt.Printf("go vectors: %d cases in %d files\n", total, len(counts))
}

func checkOutcome(t *testing.T, file string, c vectorCase, got any, err error) {
	t.Helper()
	if _, done := got.(checked); done {
		return
	}
	if c.Expect.Error != nil {
		var serr *Error
		if !errors.As(err, &serr) {
			t.Errorf("%s: %s: expected error %s, got %v (%v)", file, c.Name, c.Expect.Error.Code, got, err)
			return
		}
		if serr.Code != c.Expect.Error.Code {
			t.Errorf("%s: %s: expected %s, got %s: %s", file, c.Name, c.Expect.Error.Code, serr.Code, serr.Message)
		}
		return
	}
	if err != nil {
		t.Errorf("%s: %s: expected ok, got %v", file, c.Name, err)
		return
	}
	gotJSON, err := json.Marshal(got)
	if err != nil {
		t.Errorf("%s: %s: cannot encode %#v: %v", file, c.Name, got, err)
		return
	}
	if !sameJSON(c.Expect.OK, gotJSON) {
		t.Errorf("%s: %s:\n want %s\n have %s", file, c.Name, c.Expect.OK, gotJSON)
	}
}

// sameJSON compares two JSON texts as values (object key order ignored).
func sameJSON(a, b []byte) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}

type runner func(t *testing.T, c vectorCase) (any, error)

func decodeInput[T any](t *testing.T, c vectorCase) T {
	var in T
	if err := json.Unmarshal(c.Input, &in); err != nil {
		t.Fatalf("%s: unexpected input: %v", c.Name, err)
	}
	return in
}

// offlineURL is a loopback port nothing listens on: behaviour checks never reach a server.
const offlineURL = "http://127.0.0.1:9"

type vectorRunner struct {
	offline *Client
	// classes are every class name a file's cases mention, to check that an error is none of
	// the classes it does not list.
	classes []Class
}

func (r *vectorRunner) collectClasses(cases []vectorCase) {
	seen := map[Class]bool{}
	r.classes = nil
	for _, c := range cases {
		var ok struct {
			Classes []Class `json:"classes"`
		}
		_ = json.Unmarshal(c.Expect.OK, &ok)
		for _, class := range ok.Classes {
			if !seen[class] {
				seen[class] = true
				r.classes = append(r.classes, class)
			}
		}
	}
}

func (r *vectorRunner) runners() map[string]runner {
	return map[string]runner{
		"validate_email": func(t *testing.T, c vectorCase) (any, error) { return ValidateEmail(decodeInput[string](t, c)) },
		"validate_phone": func(t *testing.T, c vectorCase) (any, error) { return ValidatePhone(decodeInput[string](t, c)) },
		"resolve_identifier": func(t *testing.T, c vectorCase) (any, error) {
			return ResolveIdentifier(decodeInput[string](t, c))
		},
		"decode_response": decodeThroughGoTypes,
		"webhook_sign": func(t *testing.T, c vectorCase) (any, error) {
			in := decodeInput[struct {
				Secret    string `json:"secret"`
				ID        string `json:"id"`
				Timestamp int64  `json:"timestamp"`
				Body      string `json:"body"`
			}](t, c)
			return SignWebhook(in.Secret, in.ID, in.Timestamp, []byte(in.Body))
		},
		"webhook_verify": verifyWebhookCase,
		"behaviour":      r.behaviour,
		"resolve_recipient": func(t *testing.T, c vectorCase) (any, error) {
			in := decodeInput[struct {
				Value   string  `json:"value"`
				Channel Channel `json:"channel"`
			}](t, c)
			return ResolveRecipient(in.Value, in.Channel)
		},
		"prepare_send":   prepareSendCase,
		"webhook_replay": replayCase,
	}
}

// prepareSendCase writes the case's request as a Go caller writes it — a SendRequest whose
// recipients are strings and ContactInput values, the official SDKs' spellings put in the Go
// fields (id → ExternalID, slack_id → SlackID, meta → Meta) — and returns the body Client.Send
// would send for it (PrepareSend: Send's own encoding, then the library's checks).
func prepareSendCase(t *testing.T, c vectorCase) (any, error) {
	in := decodeInput[struct {
		Channel Channel         `json:"channel"`
		Body    json.RawMessage `json:"body"`
	}](t, c)
	body, err := PrepareSend(in.Channel, typedSendRequest(t, in.Body))
	if err != nil {
		return nil, err
	}
	return body, nil
}

func typedSendRequest(t *testing.T, raw json.RawMessage) SendRequest {
	var in struct {
		To        json.RawMessage `json:"to"`
		Payload   any             `json:"payload"`
		Language  string          `json:"language"`
		From      json.RawMessage `json:"from"`
		Overrides map[string]any  `json:"overrides"`
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		t.Fatalf("a send request of the vectors is not one: %v", err)
	}
	req := SendRequest{Payload: in.Payload, Language: in.Language, Overrides: in.Overrides}
	if in.To != nil {
		var list []json.RawMessage
		if json.Unmarshal(in.To, &list) == nil {
			recipients := []any{}
			for _, item := range list {
				recipients = append(recipients, typedRecipient(t, item))
			}
			req.To = recipients
		} else {
			req.To = typedRecipient(t, in.To)
		}
	}
	if in.From != nil {
		req.From = typedRecipient(t, in.From)
	}
	return req
}

// typedRecipient is a string, or a ContactInput with the official SDKs' keys in the Go fields.
func typedRecipient(t *testing.T, raw json.RawMessage) any {
	var text string
	if json.Unmarshal(raw, &text) == nil {
		return text
	}
	var fields map[string]any
	if err := json.Unmarshal(raw, &fields); err != nil {
		t.Fatalf("a recipient of the vectors is neither a string nor an object: %s", raw)
	}
	var contact ContactInput
	for key, value := range fields {
		text, _ := value.(string)
		switch key {
		case "email":
			contact.Email = text
		case "phone":
			contact.Phone = text
		case "name":
			contact.Name = text
		case "id", "external_id", "externalId":
			contact.ExternalID = text
		case "avatar":
			contact.Avatar = text
		case "username":
			contact.Username = text
		case "slack", "slack_id":
			contact.SlackID = text
		case "telegram":
			contact.TelegramID = text
		case "discord":
			contact.DiscordID = text
		case "meta":
			contact.Meta, _ = value.(map[string]any)
		default:
			if contact.Extra == nil {
				contact.Extra = map[string]any{}
			}
			contact.Extra[key] = value
		}
	}
	return contact
}

// replayCase verifies the steps in order with one Verifier and one fresh in-memory ReplayGuard
// (Verifier.VerifyOnce), each at its own clock, and compares each step itself.
func replayCase(t *testing.T, c vectorCase) (any, error) {
	in := decodeInput[struct {
		Secrets []string `json:"secrets"`
		Body    string   `json:"body"`
		Steps   []struct {
			ID      string      `json:"id"`
			Headers [][2]string `json:"headers"`
			Now     int64       `json:"now"`
			Skip    bool        `json:"skip_timestamp_check"`
			Tamper  bool        `json:"tamper"`
			Expect  struct {
				OK *struct {
					SecretIndex       int    `json:"secret_index"`
					SecretFingerprint string `json:"secret_fingerprint"`
				} `json:"ok"`
				Error *struct {
					Code string `json:"code"`
				} `json:"error"`
			} `json:"expect"`
		} `json:"steps"`
	}](t, c)
	verifier, err := NewVerifier(in.Secrets...)
	if err != nil {
		t.Fatalf("%s: %v", c.Name, err)
	}
	defer verifier.Close()
	guard, err := NewMemoryReplayGuard()
	if err != nil {
		t.Fatalf("%s: %v", c.Name, err)
	}
	defer guard.Close()
	for i, step := range in.Steps {
		headers := http.Header{}
		for _, h := range step.Headers {
			headers.Add(h[0], h[1])
		}
		body := []byte(in.Body)
		if step.Tamper {
			body = append(body, ' ')
		}
		verified, err := verifier.VerifyOnce(body, headers, guard, &VerifyOptions{Now: time.Unix(step.Now, 0), SkipTimestampCheck: step.Skip})
		where := fmt.Sprintf("%s: step %d (%s)", c.Name, i+1, step.ID)
		switch want := step.Expect; {
		case want.OK != nil && err != nil:
			t.Errorf("%s: expected ok, got %v", where, err)
		case want.OK != nil && (verified.SecretIndex != want.OK.SecretIndex || verified.SecretFingerprint != want.OK.SecretFingerprint):
			t.Errorf("%s: expected secret %d %s, got %+v", where, want.OK.SecretIndex, want.OK.SecretFingerprint, verified)
		case want.Error != nil && CodeOf(err) != want.Error.Code:
			t.Errorf("%s: expected %s, got %v (%v)", where, want.Error.Code, err, verified)
		case want.Error != nil && want.Error.Code == CodeWebhookDuplicate &&
			(!errors.Is(err, ClassWebhookDuplicate) || errors.Is(err, ClassWebhookVerification)):
			t.Errorf("%s: a duplicate is a WebhookDuplicateError, not a verification failure: %v", where, err)
		}
	}
	return checked{}, nil
}

// decodeThroughGoTypes decodes a body with the library, then into the operation's Go result type,
// and returns that Go value: a field the Go types drop, rename or mistype fails the comparison.
func decodeThroughGoTypes(t *testing.T, c vectorCase) (any, error) {
	in := decodeInput[struct {
		Kind string          `json:"kind"`
		Body json.RawMessage `json:"body"`
	}](t, c)
	canonical, err := DecodeResponse(in.Kind, in.Body)
	if err != nil {
		return nil, err
	}
	var target any
	switch in.Kind {
	case "webhook_event":
		target = new(WebhookEvent)
	case "error_body":
		target = new(ErrorBody)
	default:
		target = operationResponse(in.Kind)
	}
	if target == nil {
		t.Fatalf("%s: the library decoded kind %q, which has no Go type", c.Name, in.Kind)
	}
	if err := json.Unmarshal(canonical, target); err != nil {
		t.Errorf("%s: %s does not decode into %T: %v", c.Name, canonical, target, err)
	}
	return target, nil
}

func verifyWebhookCase(t *testing.T, c vectorCase) (any, error) {
	in := decodeInput[struct {
		Body       string      `json:"body"`
		Headers    [][2]string `json:"headers"`
		Secret     *string     `json:"secret"`
		Secrets    []string    `json:"secrets"`
		ParseEvent bool        `json:"parse_event"`
		Skip       bool        `json:"skip_timestamp_check"`
		Tolerance  *float64    `json:"tolerance_seconds"`
	}](t, c)
	if c.Now == nil {
		t.Fatalf("%s: a verification case must pin now", c.Name)
	}
	// Headers go in as an http.Header, as a Go server sees them (repeated names keep their
	// order).
	headers := http.Header{}
	for _, h := range in.Headers {
		headers.Add(h[0], h[1])
	}
	opts := &VerifyOptions{Now: time.Unix(*c.Now, 0), SkipTimestampCheck: in.Skip}
	if in.Tolerance != nil {
		opts.Tolerance = Duration(secondsToDuration(*in.Tolerance))
	}
	secrets := in.Secrets
	if in.Secret != nil {
		secrets = []string{*in.Secret}
	}
	v, err := NewVerifier(secrets...)
	if err != nil {
		return nil, err
	}
	defer v.Close()
	if in.ParseEvent {
		return v.VerifyEvent([]byte(in.Body), headers, opts)
	}
	if err := v.Verify([]byte(in.Body), headers, opts); err != nil {
		return nil, err
	}
	return true, nil
}

// secondsToDuration converts a vector's seconds to a time.Duration, saturating where Duration
// cannot hold the value (1e20 s becomes the largest Duration, still out of every bound).
func secondsToDuration(seconds float64) time.Duration {
	nanos := seconds * 1e9
	switch {
	case nanos >= math.MaxInt64:
		return time.Duration(math.MaxInt64)
	case nanos <= math.MinInt64:
		return time.Duration(math.MinInt64)
	}
	return time.Duration(nanos)
}

func (r *vectorRunner) behaviour(t *testing.T, c vectorCase) (any, error) {
	switch c.Check {
	case "error_mapping":
		r.errorMapping(t, c)
		return checked{}, nil
	case "option_bounds":
		return r.optionBounds(t, c)
	case "header_options":
		return r.headerOptions(t, c)
	case "redaction":
		r.redaction(t, c)
		return checked{}, nil
	case "path_params":
		in := decodeInput[struct {
			Operation string            `json:"operation"`
			Args      map[string]string `json:"args"`
		}](t, c)
		known, err := callOperation(context.Background(), r.offline, in.Operation, in.Args)
		if !known {
			t.Fatalf("%s: %q is not an operation of the generated client", c.Name, in.Operation)
		}
		return nil, err
	}
	t.Fatalf("%s: unknown check %q: teach bindings-c/go/vectors_test.go to run it", c.Name, c.Check)
	return nil, nil
}

func (r *vectorRunner) errorMapping(t *testing.T, c vectorCase) {
	in := decodeInput[struct {
		Origin  string      `json:"origin"`
		Status  int         `json:"status"`
		Headers [][2]string `json:"headers"`
		Body    string      `json:"body"`
		Send    bool        `json:"send"`
		Code    string      `json:"code"`
		Message string      `json:"message"`
	}](t, c)
	var err error
	switch in.Origin {
	case "answer":
		err = errorFromAnswer(in.Status, in.Headers, in.Body, in.Send)
	case "sdk":
		err = sdkError(in.Code, in.Message)
	default:
		t.Fatalf("%s: unknown origin %q", c.Name, in.Origin)
	}
	var serr *Error
	if !errors.As(err, &serr) {
		t.Errorf("%s: errors.As(*Error) fails for %v", c.Name, err)
		return
	}
	var want map[string]json.RawMessage
	if e := json.Unmarshal(c.Expect.OK, &want); e != nil {
		t.Fatalf("%s: %v", c.Name, e)
	}
	fail := func(key string, have any) { t.Errorf("%s: %s: want %s, have %v", c.Name, key, want[key], have) }
	same := func(key string, have any) {
		encoded, _ := json.Marshal(have)
		if !sameJSON(want[key], encoded) {
			fail(key, string(encoded))
		}
	}
	for key := range want {
		switch key {
		case "code":
			same(key, serr.Code)
		case "class":
			same(key, serr.Class)
		case "classes":
			var classes []Class
			_ = json.Unmarshal(want[key], &classes)
			// The class, then its ancestors, as Parent walks them; errors.Is holds for exactly these.
			var chain []Class
			for class := serr.Class; class != ""; class = class.Parent() {
				chain = append(chain, class)
			}
			if !reflect.DeepEqual(chain, classes) {
				fail(key, chain)
			}
			for _, class := range r.classes {
				listed := false
				for _, c := range classes {
					listed = listed || c == class
				}
				if errors.Is(err, class) != listed {
					t.Errorf("%s: errors.Is(err, %s) is %v", c.Name, class, !listed)
				}
			}
		case "status":
			same(key, serr.Status)
		case "retryable":
			same(key, serr.Retryable)
		case "message":
			same(key, serr.Message)
		case "retry_after":
			same(key, serr.RetryAfter)
		case "errors":
			same(key, serr.Errors)
		case "reason":
			same(key, serr.Reason)
		default:
			t.Errorf("%s: this runner does not know the expected key %q", c.Name, key)
		}
	}
}

// optionBounds gives the option where a Go user gives it: Options, a RequestOption,
// VerifyOptions or SendMany's WithConcurrency.
// headerOptions gives the headers as Options.DefaultHeaders or as one call's WithExtraHeader; an
// accepted header reaches the closed port of the offline client.
func (r *vectorRunner) headerOptions(t *testing.T, c vectorCase) (any, error) {
	in := decodeInput[struct {
		Scope   string      `json:"scope"`
		Headers [][2]string `json:"headers"`
	}](t, c)
	switch in.Scope {
	case "client":
		headers := http.Header{}
		for _, pair := range in.Headers {
			headers[pair[0]] = append(headers[pair[0]], pair[1])
		}
		client, err := NewClient(Options{APIKey: "test_go_vectors_0123456789abcdef", BaseURL: offlineURL, DefaultHeaders: headers})
		if err != nil {
			return nil, err
		}
		return true, client.Close()
	case "request":
		options := make([]RequestOption, 0, len(in.Headers))
		for _, pair := range in.Headers {
			options = append(options, WithExtraHeader(pair[0], pair[1]))
		}
		_, err := r.offline.Events.List(context.Background(), options...)
		if CodeOf(err) == CodeConnectionError {
			return true, nil
		}
		return nil, err
	}
	t.Fatalf("%s: unknown header scope %q", c.Name, in.Scope)
	return nil, nil
}

func (r *vectorRunner) optionBounds(t *testing.T, c vectorCase) (any, error) {
	in := decodeInput[struct {
		Scope  string  `json:"scope"`
		Option string  `json:"option"`
		Value  float64 `json:"value"`
	}](t, c)
	count := func() int {
		if in.Value != math.Trunc(in.Value) {
			t.Fatalf("%s: %v is not a whole number, which a Go int cannot hold", c.Name, in.Value)
		}
		return int(in.Value)
	}
	ctx := context.Background()
	switch in.Scope + "/" + in.Option {
	case "client/timeout", "client/max_retries", "client/rate_limit", "client/max_response_bytes":
		opts := Options{APIKey: "test_go_vectors_0123456789abcdef", BaseURL: offlineURL}
		switch in.Option {
		case "timeout":
			opts.Timeout = Duration(secondsToDuration(in.Value))
		case "max_retries":
			opts.MaxRetries = Int(count())
		case "rate_limit":
			opts.RateLimit = Float64(in.Value)
		case "max_response_bytes":
			opts.MaxResponseBytes = Int(count())
		}
		client, err := NewClient(opts)
		if err != nil {
			return nil, err
		}
		return true, client.Close()
	case "request/timeout", "request/max_retries":
		option := WithTimeout(secondsToDuration(in.Value))
		if in.Option == "max_retries" {
			option = WithMaxRetries(count())
		}
		// Accepted options let the call reach core's path check, which refuses `..` before any
		// request is sent.
		_, err := r.offline.Contacts.Get(ctx, "..", option)
		if CodeOf(err) == CodeValidationError {
			return true, nil
		}
		return nil, err
	case "verify/tolerance":
		secret, body, now := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", []byte("{}"), int64(1700000000)
		signature, err := SignWebhook(secret, "msg_1", now, body)
		if err != nil {
			t.Fatal(err)
		}
		headers := http.Header{"Webhook-Id": {"msg_1"}, "Webhook-Timestamp": {"1700000000"}, "Webhook-Signature": {signature}}
		opts := &VerifyOptions{Tolerance: Duration(secondsToDuration(in.Value)), Now: time.Unix(now, 0)}
		if err := VerifyWebhook(secret, body, headers, opts); err != nil {
			return nil, err
		}
		return true, nil
	case "send_many/concurrency":
		results, err := r.offline.SendMany(ctx, nil, WithConcurrency(count()))
		if err != nil {
			return nil, err
		}
		return len(results) == 0, nil
	}
	t.Fatalf("%s: this runner does not know option %s of scope %s", c.Name, in.Option, in.Scope)
	return nil, nil
}

// redaction formats every object holding the secret with every fmt verb.
func (r *vectorRunner) redaction(t *testing.T, c vectorCase) {
	in := decodeInput[struct {
		Kind   string `json:"kind"`
		Secret string `json:"secret"`
	}](t, c)
	var want struct {
		Shown string `json:"shown"`
	}
	_ = json.Unmarshal(c.Expect.OK, &want)
	var holders []any
	switch in.Kind {
	case "api_key":
		opts := Options{APIKey: in.Secret, BaseURL: offlineURL}
		client, err := NewClient(opts)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		defer client.Close()
		holders = []any{opts, &opts, client}
	case "webhook_secret":
		config := WebhookConfig{UUID: "w", URL: "https://x.example", SigningSecret: &in.Secret}
		verifier, err := NewVerifier(in.Secret)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		defer verifier.Close()
		holders = []any{config, &config, Result[WebhookConfig]{Data: config}, verifier}
	default:
		t.Fatalf("%s: this runner does not know kind %q", c.Name, in.Kind)
	}
	hidden := in.Secret[strings.Index(in.Secret, "_")+1:]
	for _, holder := range holders {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			shown := fmt.Sprintf(verb, holder)
			if !strings.Contains(shown, want.Shown) {
				t.Errorf("%s: %s of %T does not show %q: %s", c.Name, verb, holder, want.Shown, shown)
			}
			if len(hidden) >= 8 && strings.Contains(shown, hidden) {
				t.Errorf("%s: %s of %T shows the secret: %s", c.Name, verb, holder, shown)
			}
		}
	}
}

// TestCodesMatchLibrary: the Go code table and the linked library's result names agree.
func TestCodesMatchLibrary(t *testing.T) {
	for _, code := range Codes {
		if name := libraryCodeName(code.Number); name != code.Code {
			t.Errorf("result %d is %q in the library, %q in Codes: rebuild libsendivent", code.Number, name, code.Code)
		}
	}
	assigned := 0
	for n := 1; n < 1000; n++ {
		if libraryCodeName(n) != "" {
			assigned++
		}
	}
	if assigned != len(Codes) {
		t.Errorf("the library has %d codes, Codes has %d", assigned, len(Codes))
	}
}

// TestOptionNames: Options and the RequestOptions cover exactly the description's option names.
func TestOptionNames(t *testing.T) {
	keys := func(encoded []byte) []string {
		var m map[string]any
		if err := json.Unmarshal(encoded, &m); err != nil {
			t.Fatal(err)
		}
		names := make([]string, 0, len(m))
		for name := range m {
			names = append(names, name)
		}
		sort.Strings(names)
		return names
	}
	sorted := func(names []string) []string {
		names = append([]string(nil), names...)
		sort.Strings(names)
		return names
	}
	all := Options{APIKey: "k", BaseURL: "u", Timeout: Duration(time.Second), MaxRetries: Int(1), AllowInsecureHTTP: true,
		RateLimit: Float64(1), DefaultHeaders: http.Header{"X": {"y"}}, LogLevel: "off", MaxResponseBytes: Int(2048)}
	encoded, _ := all.encode()
	if got := keys(encoded); !reflect.DeepEqual(got, sorted(clientOptionNames)) {
		t.Errorf("Options encodes %v, the description has %v", got, clientOptionNames)
	}
	request := collectOptions([]RequestOption{WithTimeout(time.Second), WithMaxRetries(1), WithIdempotencyKey("k"),
		WithExtraHeader("X", "y")})
	encoded, _ = request.encode()
	if got := keys(encoded); !reflect.DeepEqual(got, sorted(requestOptionNames)) {
		t.Errorf("the RequestOptions encode %v, the description has %v", got, requestOptionNames)
	}
}
