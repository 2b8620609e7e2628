package posterior

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/internal/jsondecode"
)

// csvFixture is a result of two chains of three draws of two parameters,
// with values whose shortest form has many digits.
func csvFixture() *Result {
	return &Result{Names: []string{"a.b", "c"}, chains: [][][]float64{
		{{1.0 / 3, 2e-300}, {math.Pi, -0.1}, {1e21, 5}},
		{{math.Nextafter(1, 2), 7}, {0, math.MaxFloat64}, {-2.5, math.SmallestNonzeroFloat64}},
	}}
}

// ReadCSV reads back exactly what WriteCSV wrote, by the names of a
// result read from fit.json (Params) as well as by Names.
func TestReadCSVRoundTrip(t *testing.T) {
	src := csvFixture()
	var b bytes.Buffer
	if err := src.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	for name, dst := range map[string]*Result{
		"Names":  {Names: []string{"a.b", "c"}},
		"Params": {Params: []Summary{{Name: "a.b"}, {Name: "c"}}},
	} {
		if err := dst.ReadCSV(bytes.NewReader(b.Bytes())); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(dst.Chains(), src.Chains()) || !reflect.DeepEqual(dst.Names, src.Names) {
			t.Errorf("%s: read back %v %v, wrote %v %v", name, dst.Names, dst.Chains(), src.Names, src.Chains())
		}
		var again bytes.Buffer
		if err := dst.WriteCSV(&again); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again.Bytes(), b.Bytes()) {
			t.Errorf("%s: written again:\n%s\nwant:\n%s", name, again.String(), b.String())
		}
	}
}

// ReadCSV refuses a file that WriteCSV could not have written for the
// result's parameters, with the line at fault and the fix, and leaves the
// result as it was.
func TestReadCSVErrors(t *testing.T) {
	for name, c := range map[string]struct {
		text string
		line int
		want string
	}{
		"empty":          {"", 1, "empty"},
		"header order":   {"chain,c,a.b\n0,1,2\n", 1, `want "chain,a.b,c"`},
		"no chain":       {"a.b,c\n1,2\n", 1, `"a.b,c"`},
		"no draws":       {"chain,a.b,c\n", 1, "no draws"},
		"chain word":     {"chain,a.b,c\n0,1,2\nx,1,2\n", 3, `chain "x" is not a chain number`},
		"chain fraction": {"chain,a.b,c\n0,1,2\n0.5,1,2\n", 3, "whole number"},
		"chain negative": {"chain,a.b,c\n-1,1,2\n", 2, "whole number"},
		"chain skipped":  {"chain,a.b,c\n0,1,2\n2,1,2\n", 3, "chain 2 follows chain 0"},
		"chain back":     {"chain,a.b,c\n0,1,2\n1,1,2\n0,1,2\n", 4, "chain 0 follows chain 1"},
		"first not 0":    {"chain,a.b,c\n1,1,2\n", 2, "chain 1 follows chain -1"},
		"unequal":        {"chain,a.b,c\n0,1,2\n0,1,2\n1,1,2\n2,1,2\n", 5, "chain 1 ends after 1 draws, chain 0 has 2"},
		"cut short":      {"chain,a.b,c\n0,1,2\n0,1,2\n1,1,2\n", 4, "ends after 1 draws of chain 1, chain 0 has 2"},
		"not a number":   {"chain,a.b,c\n0,1,x\n", 2, `column c: "x" is not a finite number`},
		"NaN":            {"chain,a.b,c\n0,NaN,1\n", 2, "column a.b"},
		"Inf":            {"chain,a.b,c\n0,1,+Inf\n", 2, "finite"},
		"short row":      {"chain,a.b,c\n0,1,2\n0,1\n", 3, "number of values"},
		"bad quote":      {"chain,a.b,c\n0,1,2\n0,\"1,2\n", 3, "not valid CSV"},
	} {
		r := &Result{Names: []string{"a.b", "c"}}
		err := r.ReadCSV(strings.NewReader(c.text))
		var ce *CSVError
		if !errors.As(err, &ce) {
			t.Errorf("%s: error %v, want a *CSVError", name, err)
			continue
		}
		if ce.Line != c.line || !strings.Contains(ce.Msg, c.want) {
			t.Errorf("%s: line %d %q, want line %d and %q", name, ce.Line, ce.Msg, c.line, c.want)
		}
		if r.chains != nil || len(r.Names) != 2 {
			t.Errorf("%s: the result was changed by a failed read", name)
		}
	}
}

// fit.json's summaries and checks read back as written, a value that is
// not finite (written as null) as NaN.
func TestSummaryCheckJSONRoundTrip(t *testing.T) {
	inf := math.Inf(1)
	in := struct {
		S []Summary
		C []Check
	}{
		[]Summary{{Name: "a", Mean: 1.0 / 3, SD: 2, Q10: -1, Q50: 0, Q90: 1e300, ESS: 5, RHat: inf, Contraction: math.NaN(), PoorlyIdentified: true}},
		[]Check{{Name: "t", Observed: 1, SD: 0.1, Mean: math.NaN(), Q10: -inf, Q90: 3, PIT: 0.25, Draws: 9}},
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		S []Summary
		C []Check
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	s, c := out.S[0], out.C[0]
	if s.Name != "a" || s.Mean != 1.0/3 || s.Q90 != 1e300 || s.ESS != 5 || !math.IsNaN(s.RHat) || !math.IsNaN(s.Contraction) || !s.PoorlyIdentified {
		t.Errorf("summary read back as %+v", s)
	}
	if c.Name != "t" || c.PIT != 0.25 || c.Draws != 9 || !math.IsNaN(c.Mean) || !math.IsNaN(c.Q10) || c.Q90 != 3 {
		t.Errorf("check read back as %+v", c)
	}
	again, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, b) {
		t.Errorf("written again %s, want %s", again, b)
	}
	if err := json.Unmarshal([]byte(`{"S":[{"mean":"x"}]}`), &out); err == nil {
		t.Error("a mean that is a string was read")
	}
}

// A summary's or check's bad value is placed where fit.json has it: a
// reader decoding the whole document with jsondecode gets the line of
// the document (not of the summary's own object, where UnmarshalJSON
// starts counting afresh) and the key path as the document spells it.
func TestSummaryCheckJSONErrors(t *testing.T) {
	const doc = `{
  "S": [
    {"name": "a"},
    {
      "name": "b",
      "q50": "x"
    }
  ],
  "C": [
    {
      "name": "t",
      "pt": 0.5
    }
  ]
}`
	var v struct {
		S []Summary
		C []Check
	}
	for _, c := range []struct {
		text string
		line int
		msg  string
	}{
		{doc, 6, "field S[1].q50: want a number, got text"},
		{strings.Replace(doc, `"x"`, "0.5", 1), 12, "unknown key C[0].pt"},
		{strings.Replace(strings.Replace(doc, `"x"`, "0.5", 1), `"pt": 0.5`, `"draws": 2.5`, 1), 12, "field C[0].draws: want a whole number, got 2.5"},
	} {
		err := jsondecode.Decode([]byte(c.text), &v)
		var e *jsondecode.Error
		if !errors.As(err, &e) || e.Line != c.line || e.Error() != c.msg {
			t.Errorf("got %#v, want line %d: %s", err, c.line, c.msg)
		}
	}
}

// TestHeaderMismatchLong: a header too long to show whole is described by
// what differs: the columns it lacks and has besides, or the first one out
// of order; short ones are shown whole.
func TestHeaderMismatchLong(t *testing.T) {
	want := []string{"chain", "buyers.accounts", "buyers.diffusion.p", "buyers.diffusion.q", "buyers.budget_median_usd", "clouds.misfit", "clouds.pull"}
	drop := slices.Delete(slices.Clone(want), 5, 6) // no clouds.misfit
	typo := slices.Clone(want)
	typo[0] = "chian"
	swap := slices.Clone(want)
	swap[2], swap[3] = swap[3], swap[2]
	for _, c := range []struct {
		head []string
		msg  string
	}{
		{drop, `the header's 6 columns are not chain and fit.json's 6 parameters: it lacks "clouds.misfit"`},
		{typo, `the header's 7 columns are not chain and fit.json's 6 parameters: it lacks "chain"; it has "chian" besides`},
		{swap, `the header's 7 columns are not chain and fit.json's 6 parameters: column 3 is "buyers.diffusion.q", want "buyers.diffusion.p" (the columns are chain, then the parameters in fit.json's order)`},
		{[]string{"chain", "a"}, `the header is "chain,a", want "chain,b"`},
	} {
		w := want
		if len(c.head) == 2 {
			w = []string{"chain", "b"}
		}
		if got := headerMismatch(c.head, w); got != c.msg {
			t.Errorf("header %v:\n got %s\nwant %s", c.head, got, c.msg)
		}
	}
}
