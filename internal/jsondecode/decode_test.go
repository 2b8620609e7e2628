package jsondecode_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/internal/jsondecode"
)

// month is a value that decodes itself from text, as agents.Month does.
type month int

func (m *month) UnmarshalText(b []byte) error {
	var y, n int
	if _, err := fmt.Sscanf(string(b), "%d-%d", &y, &n); err != nil || n < 1 || n > 12 {
		return fmt.Errorf("%q, want a month YYYY-MM", b)
	}
	*m = month(12*y + n - 1)
	return nil
}

// num reads null as NaN, as package posterior's does.
type num float64

func (x *num) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*x = num(math.NaN())
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*x = num(f)
	return nil
}

// summary decodes itself through a shadow type with Decode, as package
// posterior's Summary does: its offsets start afresh at its own "{".
type summary struct {
	Name string
	Q50  float64
}

func (s *summary) UnmarshalJSON(b []byte) error {
	var a struct {
		Name string `json:"name"`
		Q50  num    `json:"q50"`
	}
	if err := jsondecode.Decode(b, &a); err != nil {
		return err
	}
	*s = summary{a.Name, float64(a.Q50)}
	return nil
}

// base is promoted into target, as calibration's Target is into MomentFit.
type base struct {
	Name  string  `json:"name"`
	Date  month   `json:"date"`
	Value float64 `json:"value"`
}

type target struct {
	base
	Met bool `json:"met"`
}

type post struct {
	Chains int       `json:"chains"`
	Params []summary `json:"params"`
}

// result decodes itself through an embedded copy of its type, as
// calibration's Result does (no field of it is named "plain").
type result struct {
	Seed      int64              `json:"seed"`
	Targets   []target           `json:"targets"`
	Posterior *post              `json:"posterior"`
	Scale     map[string]float64 `json:"scale"`
	Warnings  []error            `json:"-"`
}

func (r *result) UnmarshalJSON(b []byte) error {
	type plain result
	aux := struct {
		*plain
		Warnings []string `json:"warnings"`
	}{plain: (*plain)(r)}
	if err := jsondecode.Decode(b, &aux); err != nil {
		return err
	}
	for _, w := range aux.Warnings {
		r.Warnings = append(r.Warnings, errors.New(w))
	}
	return nil
}

const good = `{
  "seed": 7,
  "targets": [
    {
      "name": "a",
      "date": "2024-03",
      "value": 1,
      "met": true
    },
    {
      "name": "b",
      "date": "2024-04",
      "value": 2,
      "met": false
    }
  ],
  "posterior": {
    "chains": 4,
    "params": [
      {
        "name": "p",
        "q50": 0.5
      },
      {
        "name": "q",
        "q50": null
      }
    ]
  },
  "scale": {
    "x": 1
  },
  "warnings": [
    "w"
  ]
}`

// Decode reads a good document whole: promoted fields, a value decoded
// by its own UnmarshalJSON (null as NaN), a map, the warnings.
func TestDecodeGood(t *testing.T) {
	for name, v := range map[string]any{"self-decoding": new(result), "plain": new(struct {
		Seed      int64              `json:"seed"`
		Targets   []target           `json:"targets"`
		Posterior *post              `json:"posterior"`
		Scale     map[string]float64 `json:"scale"`
		Warnings  []string           `json:"warnings"`
	})} {
		if err := jsondecode.Decode([]byte(good), v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	var r result
	if err := jsondecode.Decode([]byte(good), &r); err != nil {
		t.Fatal(err)
	}
	if r.Seed != 7 || r.Targets[1].Value != 2 || r.Targets[1].Date != 12*2024+3 || r.Posterior.Params[0].Q50 != 0.5 ||
		!math.IsNaN(r.Posterior.Params[1].Q50) || r.Scale["x"] != 1 || len(r.Warnings) != 1 {
		t.Errorf("decoded %+v", r)
	}
}

// lineOf is the 1-based line of good's first line holding s.
func lineOf(t *testing.T, s string) int {
	t.Helper()
	i := strings.Index(good, s)
	if i < 0 {
		t.Fatalf("%q is not in the document", s)
	}
	return 1 + strings.Count(good[:i], "\n")
}

// Each refused document gives the key path as the file spells it and the
// line of the value (or of the key, for an unknown key), or no line where
// none is at fault; whole messages are compared, so that no Go name (the
// embedded plain, base or the shadow type of summary) can pass unseen.
func TestDecodeErrors(t *testing.T) {
	edit := func(old, new string) string {
		t.Helper()
		if !strings.Contains(good, old) {
			t.Fatalf("%q is not in the document", old)
		}
		return strings.Replace(good, old, new, 1)
	}
	for _, c := range []struct {
		name, text string
		line       int
		msg        string
	}{
		{"empty", " \n", 0, "empty file"},
		{"cut short", good[:len(good)/2], 0, "the file is cut short"},
		{"trailing", good + "\n{}", 0, "trailing data after the JSON object"},
		{"syntax", edit(`"seed": 7`, `"seed": 7,,`), 2, "not valid JSON: invalid character ',' looking for beginning of object key string"},
		{"top level", edit(`"seed": 7`, `"seed": "7"`), 2, "field seed: want a whole number, got text"},
		{"fraction", edit(`"seed": 7`, `"seed": 7.5`), 2, "field seed: want a whole number, got 7.5"},
		{"promoted", edit(`"value": 2`, `"value": "2"`), lineOf(t, `"value": 2`), "field targets[1].value: want a number, got text"},
		{"own field", edit(`"met": false`, `"met": 0`), lineOf(t, `"met": false`), "field targets[1].met: want true or false, got a number"},
		{"text value", edit(`"2024-04"`, `"2024-13"`), lineOf(t, `"2024-04"`), `field targets[1].date: "2024-13", want a month YYYY-MM`},
		{"text type", edit(`"2024-04"`, `202404`), lineOf(t, `"2024-04"`), "field targets[1].date: want text, got a number"},
		{"self-decoding", edit(`"q50": null`, `"q50": "x"`), lineOf(t, `"q50": null`), "field posterior.params[1].q50: want a number, got text"},
		{"self-decoding kind", edit(`"q50": null`, `"q50": [1]`), lineOf(t, `"q50": null`), "field posterior.params[1].q50: want a number, got a list"},
		{"self-decoding whole", edit(`{
        "name": "q",
        "q50": null
      }`, `3`), lineOf(t, `"name": "q"`) - 1, "field posterior.params[1]: want an object {...}, got a number"},
		{"unknown key", edit(`"met": false`, `"met": false, "mets": 1`), lineOf(t, `"met": false`), "unknown key targets[1].mets"},
		{"unknown in self-decoding", edit(`"q50": 0.5`, `"q50": 0.5,
        "q5O": 1`), lineOf(t, `"q50": 0.5`) + 1, "unknown key posterior.params[0].q5O"},
		{"list", edit(`"chains": 4`, `"chains": [4]`), lineOf(t, `"chains": 4`), "field posterior.chains: want a whole number, got a list"},
		{"object for list", edit(`"warnings": [
    "w"
  ]`, `"warnings": {}`), lineOf(t, `"warnings"`), "field warnings: want a list [...], got an object"},
		{"map value", edit(`"x": 1`, `"x": true`), lineOf(t, `"x": 1`), "field scale.x: want a number, got true or false"},
		{"map key not a name", edit(`"x": 1`, `"x": 1, "a.b": true`), lineOf(t, `"x": 1`), `field scale["a.b"]: want a number, got true or false`},
		// Two faults: the first in the file is named (encoding/json
		// stops at the one inside a self-decoding value).
		{"first of two", strings.Replace(edit(`"q50": 0.5`, `"q50": "x"`), `"value": 1`, `"value": "1"`, 1), lineOf(t, `"value": 1`), "field targets[0].value: want a number, got text"},
	} {
		var r result
		err := jsondecode.Decode([]byte(c.text), &r)
		var e *jsondecode.Error
		if !errors.As(err, &e) {
			t.Errorf("%s: %v, want a *jsondecode.Error", c.name, err)
			continue
		}
		if e.Line != c.line || e.Error() != c.msg {
			t.Errorf("%s:\n got line %d: %s\nwant line %d: %s", c.name, e.Line, e.Error(), c.line, c.msg)
		}
	}
}

// The top-level value need not decode itself: a plain struct's errors
// read the same.
func ExampleDecode() {
	var v struct {
		Runs int `json:"runs"`
		List []struct {
			Mean float64 `json:"mean"`
		} `json:"list"`
	}
	err := jsondecode.Decode([]byte("{\n  \"runs\": 2,\n  \"list\": [{\"mean\": 1}, {\"mean\": true}]\n}"), &v)
	var e *jsondecode.Error
	if errors.As(err, &e) {
		fmt.Printf("line %d: %v\n", e.Line, e)
	}
	// Output: line 3: field list[1].mean: want a number, got true or false
}

// Fault gives a Decode error's line and its text with the fix in
// brackets, and an error without a line (or not Decode's) its text alone
// with the fix; an unknown key reads "unknown key PATH".
func TestFault(t *testing.T) {
	var v struct {
		A int `json:"a"`
	}
	for _, c := range []struct {
		text string
		line int
		msg  string
	}{
		{"{\n\"a\": \"x\"}", 2, "field a: want a whole number, got text (fix it)"},
		{"{\n\n\"b\": 1}", 3, "unknown key b (fix it)"},
		{"", 0, "empty file (fix it)"},
	} {
		err := jsondecode.Decode([]byte(c.text), &v)
		if line, msg := jsondecode.Fault(err, "fix it"); line != c.line || msg != c.msg {
			t.Errorf("%q: Fault = %d, %q; want %d, %q", c.text, line, msg, c.line, c.msg)
		}
	}
	if line, msg := jsondecode.Fault(errors.New("unexpected EOF"), "fix it"); line != 0 || msg != "unexpected EOF (fix it)" {
		t.Errorf("a plain error: Fault = %d, %q", line, msg)
	}
}
