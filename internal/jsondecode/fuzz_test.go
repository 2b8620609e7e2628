package jsondecode_test

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/coopsim/coopsim/internal/jsondecode"
)

// pathPart matches the first part of a key path: a plain key (after a
// dot but at the start), a list index, or a quoted key in brackets.
var pathPart = regexp.MustCompile(`^(?:\.?([A-Za-z0-9_]+)|\[[0-9]+\]|\[("(?:[^"\\]|\\.)*")\])`)

// FuzzDecode decodes arbitrary bytes into a type with promoted fields and
// self-decoding values. Decode never panics; an error is an *Error whose
// line is within the text and whose key path names only keys the text
// holds (no Go name). The seeds run under go test; fuzz with
//
//	go test ./internal/jsondecode -run XXX -fuzz FuzzDecode -fuzztime 60s
func FuzzDecode(f *testing.F) {
	f.Add([]byte(good))
	for _, s := range []string{"", "{}", "null", "[]", `{"seed": "7"}`, `{"targets": [{"date": 3}]}`,
		`{"posterior": {"params": [{"q50": "x"}]}}`, `{"posterior": {"params": [1]}}`, `{"scale": {"a": []}}`, good + "{}",
		`{".0": {"": [0]}}`, "{\"\xd4\":\"\"}"} { // keys fuzzing found: not plain names, not UTF-8
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var r result
		err := jsondecode.Decode(b, &r)
		if err == nil {
			return
		}
		var e *jsondecode.Error
		if !errors.As(err, &e) {
			t.Fatalf("%v is not a *jsondecode.Error", err)
		}
		if e.Line < 0 || e.Line > 1+strings.Count(string(b), "\n") {
			t.Fatalf("line %d of a text of %d lines", e.Line, 1+strings.Count(string(b), "\n"))
		}
		if strings.Contains(string(b), `\`) || !utf8.Valid(b) || e.Path == "" {
			return // a key may be spelt with escapes, or hold bytes JSON reads as U+FFFD
		}
		rest := e.Path
		for rest != "" {
			m := pathPart.FindStringSubmatch(rest)
			if m == nil {
				t.Fatalf("path %q does not parse at %q", e.Path, rest)
			}
			rest = rest[len(m[0]):]
			key := m[1]
			if m[2] != "" {
				if key, err = strconv.Unquote(m[2]); err != nil {
					t.Fatalf("path %q: %v", e.Path, err)
				}
			}
			if key != "" && !strings.Contains(string(b), `"`+key+`"`) {
				t.Fatalf("path %q names %q, not a key of the text", e.Path, key)
			}
		}
	})
}
