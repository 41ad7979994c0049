package sendivent

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
	"time"
)

type vectorFile struct {
	Function string       `json:"function"`
	Cases    []vectorCase `json:"cases"`
}

type vectorCase struct {
	Name   string          `json:"name"`
	Input  json.RawMessage `json:"input"`
	Now    *int64          `json:"now"`
	Expect struct {
		OK    json.RawMessage `json:"ok"`
		Error *struct {
			Code string `json:"code"`
		} `json:"error"`
	} `json:"expect"`
}

// TestVectors runs every case of every tests/vectors/*.json file; an unknown function fails.
func TestVectors(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "tests", "vectors", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no vector files found (%v)", err)
	}
	total := 0
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
		run, ok := runners[file.Function]
		if !ok {
			t.Fatalf("%s: unknown function %q: teach bindings-c/go/vectors_test.go to run it", path, file.Function)
		}
		for _, c := range file.Cases {
			got, err := run(t, c)
			checkOutcome(t, filepath.Base(path), c, got, err)
			total++
		}
	}
	t.Logf("%d vector cases in %d files", total, len(files))
}

func checkOutcome(t *testing.T, file string, c vectorCase, got any, err error) {
	t.Helper()
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
	var want, have any
	if err := json.Unmarshal(c.Expect.OK, &want); err != nil {
		t.Fatalf("%s: %s: bad expect.ok: %v", file, c.Name, err)
	}
	gotJSON, _ := json.Marshal(got)
	if raw, ok := got.(json.RawMessage); ok {
		gotJSON = raw
	}
	_ = json.Unmarshal(gotJSON, &have)
	if !reflect.DeepEqual(want, have) {
		t.Errorf("%s: %s:\n want %s\n have %s", file, c.Name, c.Expect.OK, gotJSON)
	}
}

type runner func(t *testing.T, c vectorCase) (any, error)

func stringInput(t *testing.T, c vectorCase) string {
	var s string
	if err := json.Unmarshal(c.Input, &s); err != nil {
		t.Fatalf("%s: input is not a string", c.Name)
	}
	return s
}

var runners = map[string]runner{
	"validate_email": func(t *testing.T, c vectorCase) (any, error) { return ValidateEmail(stringInput(t, c)) },
	"validate_phone": func(t *testing.T, c vectorCase) (any, error) { return ValidatePhone(stringInput(t, c)) },
	"resolve_identifier": func(t *testing.T, c vectorCase) (any, error) {
		return ResolveIdentifier(stringInput(t, c))
	},
	"decode_response": func(t *testing.T, c vectorCase) (any, error) {
		var in struct {
			Kind string          `json:"kind"`
			Body json.RawMessage `json:"body"`
		}
		if err := json.Unmarshal(c.Input, &in); err != nil {
			t.Fatal(err)
		}
		return DecodeResponse(in.Kind, in.Body)
	},
	"webhook_sign": func(t *testing.T, c vectorCase) (any, error) {
		var in struct {
			Secret    string `json:"secret"`
			ID        string `json:"id"`
			Timestamp int64  `json:"timestamp"`
			Body      string `json:"body"`
		}
		if err := json.Unmarshal(c.Input, &in); err != nil {
			t.Fatal(err)
		}
		return SignWebhook(in.Secret, in.ID, in.Timestamp, []byte(in.Body))
	},
	"webhook_verify": func(t *testing.T, c vectorCase) (any, error) {
		var in struct {
			Body       string      `json:"body"`
			Headers    [][2]string `json:"headers"`
			Secret     *string     `json:"secret"`
			Secrets    []string    `json:"secrets"`
			ParseEvent bool        `json:"parse_event"`
			Skip       bool        `json:"skip_timestamp_check"`
			Tolerance  *int64      `json:"tolerance_seconds"`
		}
		if err := json.Unmarshal(c.Input, &in); err != nil {
			t.Fatal(err)
		}
		if c.Now == nil {
			t.Fatalf("%s: a verification case must pin now", c.Name)
		}
		// Headers go in as an http.Header, as a Go server sees them (repeated names keep their
		// order; the first value counts).
		headers := http.Header{}
		for _, h := range in.Headers {
			headers.Add(h[0], h[1])
		}
		opts := &VerifyOptions{Now: time.Unix(*c.Now, 0), SkipTimestampCheck: in.Skip}
		if in.Tolerance != nil {
			opts.Tolerance = Duration(time.Duration(*in.Tolerance) * time.Second)
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
	},
}

// TestCodesMatchLibrary: the Go code constants and the C library's table agree.
func TestCodesMatchLibrary(t *testing.T) {
	lib := libraryCodes()
	var libNames []string
	for _, name := range lib {
		libNames = append(libNames, name)
	}
	sort.Strings(libNames)
	var goNames []string
	for _, name := range knownCodes() {
		if name != "OK" {
			goNames = append(goNames, name)
		}
	}
	sort.Strings(goNames)
	if !reflect.DeepEqual(libNames, goNames) {
		t.Fatalf("bindings-c/go/codes.go is out of date:\n library %v\n go      %v", libNames, goNames)
	}
}
