package sendivent

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// Result is a successful answer with its HTTP metadata.
type Result[T any] struct {
	// Data is the operation's answer.
	Data T `json:"data"`

	// Meta has the status, headers, request id, replay flag, rate-limit headers and attempts.
	Meta ResponseMeta `json:"meta"`
}

// marshalWithExtra encodes a model whose Extra fields go beside the named ones; a named field
// that is set wins over an Extra entry of the same name.
func marshalWithExtra(named any, extra map[string]any) ([]byte, error) {
	base, err := json.Marshal(named)
	if err != nil || len(extra) == 0 {
		return base, err
	}
	merged := map[string]json.RawMessage{}
	if err := json.Unmarshal(base, &merged); err != nil {
		return nil, err
	}
	for name, value := range extra {
		if _, set := merged[name]; set {
			continue
		}
		raw, err := json.Marshal(value)
		if err != nil {
			return nil, err
		}
		merged[name] = raw
	}
	return json.Marshal(merged)
}

// unmarshalWithExtra decodes the named fields into named and returns the others.
func unmarshalWithExtra(data []byte, named any, names []string) (map[string]any, error) {
	if err := json.Unmarshal(data, named); err != nil {
		return nil, err
	}
	var all map[string]any
	if err := json.Unmarshal(data, &all); err != nil {
		return nil, err
	}
	for _, name := range names {
		delete(all, name)
	}
	if len(all) == 0 {
		return nil, nil
	}
	return all, nil
}

// namedValue is one field of a struct printed by formatStruct.
type namedValue struct {
	name  string
	value any
}

// formatStruct prints a struct that holds a secret, with the values its Format chose (secrets
// redacted, pointers followed), for every fmt verb: %v and %s as {a b}, %+v as {A:a B:b}, %#v as
// sendivent.T{A:"a", B:"b"}.
func formatStruct(f fmt.State, verb rune, typeName string, fields []namedValue) {
	goSyntax := verb == 'v' && f.Flag('#')
	parts := make([]string, len(fields))
	for i, field := range fields {
		switch {
		case goSyntax:
			parts[i] = fmt.Sprintf("%s:%#v", field.name, field.value)
		case verb == 'v' && f.Flag('+'):
			parts[i] = fmt.Sprintf("%s:%v", field.name, field.value)
		default:
			parts[i] = fmt.Sprintf("%v", field.value)
		}
	}
	if goSyntax {
		fmt.Fprintf(f, "sendivent.%s{%s}", typeName, strings.Join(parts, ", "))
		return
	}
	fmt.Fprintf(f, "{%s}", strings.Join(parts, " "))
}

// deref is what a pointer points to, or nil: formatStruct prints values, not addresses.
func deref(pointer any) any {
	v := reflect.ValueOf(pointer)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return nil
	}
	return v.Elem().Interface()
}

// redactPointer is the redacted secret a pointer points to, or nil.
func redactPointer(secret *string) any {
	if secret == nil {
		return nil
	}
	return redact(*secret)
}

// pathArgs are an operation's path parameters by name (nil for an optional one left out).
type pathArgs map[string]any

// optionalArg is an optional path parameter: nil (left out) when empty.
func optionalArg(value string) any {
	if value == "" {
		return nil
	}
	return value
}

// encodeArgs builds the arguments of core's generic call: each path parameter and each query
// parameter by name, and the body under "body".
func encodeArgs(path pathArgs, query, body any) ([]byte, error) {
	args := map[string]any{}
	if query != nil {
		encoded, err := json.Marshal(query)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(encoded, &args); err != nil {
			return nil, err
		}
	}
	for name, value := range path {
		if value != nil {
			args[name] = value
		}
	}
	if body != nil {
		args["body"] = body
	}
	return json.Marshal(args)
}
