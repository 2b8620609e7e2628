package report

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSummaryDecodeErrors: a summary.json whose values have the wrong
// type, an unknown key or a cut-short text is refused in the user's words,
// naming the file, the line and the key path as the file spells it, with
// no Go type names (whole messages are compared).
func TestSummaryDecodeErrors(t *testing.T) {
	p := filepath.Join(t.TempDir(), SummaryFile)
	good, err := MarshalSummary(testSummary())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ text, want string }{
		{"{\n  \"experiment\": 3\n}", p + " line 2: field experiment: want text, got a number"},
		{`{"runs": "many"}`, p + " line 1: field runs: want a whole number, got text"},
		{`{"seed": -1}`, p + " line 1: field seed: want a whole number, 0 or more, got -1"},
		{`{"scenarios": [{"name": "a", "metrics": [{"mean": true}]}]}`, p + " line 1: field scenarios[0].metrics[0].mean: want a number, got true or false"},
		{"{\"scenarios\": [\n{\"name\": \"a\"},\n{\"name\": \"b\", \"metrics\": [{}, {\"mean\": true}]}]}", p + " line 3: field scenarios[1].metrics[1].mean: want a number, got true or false"},
		{`{"scenarios": {}}`, p + " line 1: field scenarios: want a list [...], got an object"},
		{"{\"scenarios\": [{\"name\": \"a\",\n\"metrics\": [{\"men\": 1}]}]}", p + " line 2: unknown key scenarios[0].metrics[0].men"},
		{string(good[:len(good)/2]), p + ": the file is cut short"},
		{string(good) + "{}", p + ": trailing data after the JSON object"},
		{"", p + ": empty file"},
		{"{\n  \"seed\": oops\n}", p + " line 2: not valid JSON: invalid character 'o' looking for beginning of value"},
	} {
		if err := os.WriteFile(p, []byte(tc.text), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ReadSummary(p)
		if want := tc.want + " (was the file edited? rerun or restore it)"; err == nil || err.Error() != want {
			t.Errorf("%.60q:\n got %v\nwant %s", tc.text, err, want)
		}
	}
}
