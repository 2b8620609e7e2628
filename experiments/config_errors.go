package experiments

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/internal/words"
	"github.com/coopsim/coopsim/market"
)

// ErrInvalid marks an invalid experiment; errors.Is(err, ErrInvalid).
var ErrInvalid = errors.New("invalid experiment")

// Error is an invalid experiment: the file, where in it (a line and column
// for syntax errors, else the key path), and what to fix.
type Error struct {
	File   string
	Line   int
	Column int
	Key    string
	Msg    string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(words.Elide(e.File, maxFileShown))
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(words.Elide(e.Key, maxKeyShown))
		b.WriteString(": ")
	}
	b.WriteString(words.Elide(e.Msg, maxMsgShown))
	// Keys and values quoted from the file may hold line breaks and other
	// control characters (the TOML decoder quotes the raw text); the
	// message stays one plain line.
	return escapeControls(b.String())
}

// escapeControls writes control characters as Go escapes (\n, \x00).
func escapeControls(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x2028 || r == 0x2029
}

func (e *Error) Unwrap() error { return ErrInvalid }

// msgOf words an error from a lower layer for an Error whose key already
// says where: the typed errors' own words without their package's prefix,
// read with errors.As (never by cutting the text apart).
func msgOf(err error) string {
	var ve *agents.ValueError
	var re *market.RegimeError
	var ue *market.UnknownParamError
	switch {
	case errors.As(err, &ve):
		return ve.Error()
	case errors.As(err, &re):
		return re.Detail()
	case errors.As(err, &ue):
		return fmt.Sprintf("unknown parameter %q%s", ue.Path, ue.Hint())
	}
	return err.Error()
}

// detailOf is msgOf for an error about the key the Error already names:
// a value error gives only its value and what the key takes.
func detailOf(err error) string {
	var ve *agents.ValueError
	if errors.As(err, &ve) {
		return ve.Detail()
	}
	var ue *market.UnknownParamError
	if errors.As(err, &ue) {
		return "unknown parameter" + ue.Hint()
	}
	return msgOf(err)
}

// syntaxError turns an error of decoding a file into plain TOML values
// (which can only be a syntax error) into an Error at its position.
func syntaxError(file string, data []byte, err error) error {
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		return &Error{File: file, Msg: "cannot read: " + err.Error()}
	}
	msg := pe.Message
	if pe.LastKey != "" {
		msg += fmt.Sprintf(" (after key %s)", strconv.Quote(pe.LastKey))
	}
	line, col := offsetPosition(data, pe.Position)
	return &Error{File: file, Line: line, Column: col, Msg: "TOML syntax: " + msg}
}

// offsetPosition returns the line and column of the error's byte offset.
// The decoder counts a line ended by the error's newline as the next one
// (a header "[report" without its "]" on line 2 is reported on line 3);
// the offset points at that newline, on the line the user must fix.
func offsetPosition(data []byte, p toml.Position) (line, col int) {
	if p.Start <= 0 || p.Start > len(data) {
		return p.Line, p.Col
	}
	line, lineStart := 1, 0
	for i, b := range data[:p.Start] {
		if b == '\n' {
			line, lineStart = line+1, i+1
		}
	}
	return line, p.Start - lineStart + 1
}

// valueError turns an error of decoding a file's plain TOML values into the
// experiment's types into an Error. Values our types reject (a month, a
// channel) come as a toml.ParseError with the key and position; values of
// the wrong type are found by walking the plain values (raw) against the
// type they decode into (t), so that the message says in the user's words
// what the key takes.
func valueError(file string, data []byte, err error, raw map[string]any, t reflect.Type) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return &Error{File: file, Line: pe.Position.Line, Column: pe.Position.Col, Key: pe.LastKey, Msg: pe.Message}
	}
	if key, msg, ok := mismatch(raw, t, ""); ok {
		return &Error{File: file, Line: locate(data, key), Key: key, Msg: msg}
	}
	return &Error{File: file, Msg: err.Error()}
}

// mismatch returns the first key path (under key) whose value v cannot
// decode into t, and what it takes.
func mismatch(v any, t reflect.Type, key string) (string, string, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(tomlUnmarshaler) {
		return "", "", false // it checks its own values
	}
	if reflect.PointerTo(t).Implements(textUnmarshaler) {
		if _, ok := v.(string); !ok {
			return key, "want text in quotes, got " + describeTOML(v), true
		}
		return "", "", false
	}
	switch t.Kind() {
	case reflect.Struct:
		return mismatchStruct(v, t, key)
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			return key, "want a table, got " + describeTOML(v), true
		}
		for k, x := range m {
			if key, msg, bad := mismatch(x, t.Elem(), join(key, k)); bad {
				return key, msg, true
			}
		}
	case reflect.Slice, reflect.Array:
		return mismatchList(v, t, key)
	case reflect.String:
		if _, ok := v.(string); !ok {
			return key, "want text in quotes, got " + describeTOML(v), true
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if _, ok := v.(int64); !ok {
			if f, ok := v.(float64); ok && f == math.Trunc(f) && math.Abs(f) < 1e15 {
				return key, fmt.Sprintf("want a whole number: write %d, without a decimal point", int64(f)), true
			}
			return key, "want a whole number, got " + describeTOML(v), true
		}
	case reflect.Float32, reflect.Float64:
		if _, ok := v.(float64); !ok {
			if _, ok := v.(int64); !ok {
				return key, "want a number, got " + describeTOML(v), true
			}
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return key, "want true or false, got " + describeTOML(v), true
		}
	}
	return "", "", false
}

func mismatchStruct(v any, t reflect.Type, key string) (string, string, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return key, "want a table, got " + describeTOML(v), true
	}
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("toml"), ",")
		if x, ok := m[name]; ok && name != "" && name != "-" {
			if key, msg, bad := mismatch(x, t.Field(i).Type, join(key, name)); bad {
				return key, msg, true
			}
		}
	}
	return "", "", false
}

func mismatchList(v any, t reflect.Type, key string) (string, string, bool) {
	var items []any
	switch x := v.(type) {
	case []any:
		items = x
	case []map[string]any:
		for _, m := range x {
			items = append(items, m)
		}
	default:
		return key, "want a list, got " + describeTOML(v), true
	}
	for i, x := range items {
		if key, msg, bad := mismatch(x, t.Elem(), fmt.Sprintf("%s[%d]", key, i)); bad {
			return key, msg, true
		}
	}
	return "", "", false
}

var (
	textUnmarshaler = reflect.TypeFor[interface{ UnmarshalText([]byte) error }]()
	tomlUnmarshaler = reflect.TypeFor[toml.Unmarshaler]()
)

func join(key, k string) string {
	if key == "" {
		return k
	}
	return key + "." + k
}

// describeTOML says what a plain TOML value is, in a user's words.
func describeTOML(v any) string {
	switch x := v.(type) {
	case string:
		return "text " + agents.FormatValue(x)
	case int64:
		return "the whole number " + strconv.FormatInt(x, 10)
	case float64:
		return "the number " + strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case []any, []map[string]any:
		return "a list"
	case map[string]any:
		return "a table"
	case nil:
		return "nothing"
	}
	return "a date or time"
}

// The most characters an Error shows of its file name, key path and
// message: longer ones are cut in the middle, so that every message stays
// within four lines (under 400 characters) whatever the file holds (a
// 5,000-level key path, a megabyte-long name).
const (
	maxFileShown = 80
	maxKeyShown  = 80
	maxMsgShown  = 200
)

// keyOf returns the key path of a value error, or def.
func keyOf(err error, def string) string {
	var ve *agents.ValueError
	if errors.As(err, &ve) && ve.Key != "" {
		return ve.Key
	}
	return def
}

// decode decodes a TOML file into v (a pointer to one of the formats) and
// returns its metadata; errors are *Error, syntax errors at their line and
// column.
func decode(file string, data []byte, v any) (toml.MetaData, error) {
	if err := checkShape(file, data); err != nil {
		return toml.MetaData{}, err
	}
	var raw map[string]any
	if _, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&raw); err != nil {
		return toml.MetaData{}, syntaxError(file, data, err)
	}
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(v)
	if err != nil {
		return md, valueError(file, data, err, raw, reflect.TypeOf(v))
	}
	// The decoder lets a number or text into a table of any values (grid =
	// 3 decodes as an empty grid): check every value's type.
	if key, msg, bad := mismatch(raw, reflect.TypeOf(v), ""); bad {
		return md, &Error{File: file, Line: locate(data, key), Key: key, Msg: msg}
	}
	return md, nil
}
