package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
)

// editedHint ends the error on a result file that coopsim did not write as
// it is: coopsim's own files always read back.
const editedHint = " (was the file edited? rerun or restore it)"

// decodeJSON decodes the JSON document b into v (a pointer to a struct),
// refusing unknown keys and trailing data, with errors in the user's words:
// the key and what it wants ("field experiment: want text, got a number"),
// and the line, where known, as a *lineError.
func decodeJSON(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if dec.More() {
			return errors.New("trailing data after the JSON object" + editedHint)
		}
		return nil
	}
	lineAt := func(off int64) int { return 1 + bytes.Count(b[:min(max(int(off), 0), len(b))], []byte{'\n'}) }
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case len(bytes.TrimSpace(b)) == 0:
		return errors.New("empty file" + editedHint)
	case errors.As(err, &se):
		return &lineError{lineAt(se.Offset), fmt.Errorf("not valid JSON: %v%s", se, editedHint)}
	case errors.As(err, &te):
		where := ""
		if te.Field != "" {
			where = "field " + te.Field + ": "
		}
		return &lineError{lineAt(te.Offset), fmt.Errorf("%swant %s, got %s%s", where, typeWords(te.Type), valueWords(te.Value), editedHint)}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("the file is cut short" + editedHint)
	}
	// The remaining decode error is an unknown key: name it.
	if key := unknownKey(b, reflect.TypeOf(v).Elem(), ""); key != "" {
		return fmt.Errorf("unknown key %s%s", key, editedHint)
	}
	return fmt.Errorf("not a file coopsim wrote: %v%s", err, editedHint)
}

// lineError is an error at a line of a file, which readers put in the
// FileError.
type lineError struct {
	line int
	err  error
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %v", e.line, e.err) }
func (e *lineError) Unwrap() error { return e.err }

// typeWords names a Go type in the user's words.
func typeWords(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "a whole number"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number, 0 or more"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list [...]"
	}
	return "an object {...}"
}

// valueWords names a JSON value's kind (json.UnmarshalTypeError.Value) in
// the user's words.
func valueWords(v string) string {
	switch {
	case v == "string":
		return "text"
	case v == "bool":
		return "true or false"
	case v == "array":
		return "a list"
	case v == "object":
		return "an object"
	case v == "number":
		return "a number"
	case strings.HasPrefix(v, "number "):
		return strings.TrimPrefix(v, "number ") // an out-of-range or fractional number
	}
	return v
}

// unknownKey returns the path ("scenarios.metrics.men") of the first key of
// the JSON document b that type t has no field for, or "".
func unknownKey(b []byte, t reflect.Type, prefix string) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		var items []json.RawMessage
		if json.Unmarshal(b, &items) != nil {
			return ""
		}
		for _, it := range items {
			if k := unknownKey(it, t.Elem(), prefix); k != "" {
				return k
			}
		}
	case reflect.Struct:
		var obj map[string]json.RawMessage
		if json.Unmarshal(b, &obj) != nil {
			return ""
		}
		fields := map[string]reflect.Type{}
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" {
				name = f.Name
			}
			fields[strings.ToLower(name)] = f.Type
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ft, ok := fields[strings.ToLower(k)]
			if !ok {
				return prefix + k
			}
			if sub := unknownKey(obj[k], ft, prefix+k+"."); sub != "" {
				return sub
			}
		}
	}
	return ""
}
