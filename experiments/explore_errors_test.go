package experiments

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFactorRangeError: a factor whose range leaves what the market accepts
// is refused naming the key and its range, without a package prefix
// ("agents: ") inside the message.
func TestFactorRangeError(t *testing.T) {
	t.Parallel()
	text := minimal + "[factors]\n\"buyers.ramp_months\" = {low = 1, high = 1000}\n\n[sensitivity]\nmethod = \"morris\"\ntrajectories = 4\n[[sensitivity.output]]\nmetric = \"net_revenue/microsoft\"\nscenario = \"h\"\n"
	_, err := LoadBytes([]byte(text), "f.toml", t.TempDir())
	if err == nil {
		t.Fatal("no error for buyers.ramp_months up to 1000, want one naming its range 1 to 240")
	}
	msg := err.Error()
	if !strings.Contains(msg, "buyers.ramp_months = ") || !strings.Contains(msg, "want 1 to 240") || !strings.Contains(msg, "narrow the factors' ranges") {
		t.Errorf("error %q, want it to name buyers.ramp_months, its range 1 to 240 and the fix", msg)
	}
	if strings.Contains(msg, "agents:") || strings.Contains(msg, "market:") {
		t.Errorf("error %q has a package prefix inside", msg)
	}
}

// TestSensitivityIntervalKeys: a Sobol study's scrambles must split its
// base rows into powers of two of at least 2 rows, at least 2 of them
// (design.CheckSaltelli's rule, in its words under the file's key, noting
// a default the file did not set), a Sobol study refuses
// bootstrap (its intervals come from the scrambles, so the key would do
// nothing) and a Morris study refuses scrambles; each error names the
// file and the key, says the fix and is one line, and a valid file says
// how its intervals are computed.
func TestSensitivityIntervalKeys(t *testing.T) {
	t.Parallel()
	base, err := os.ReadFile(filepath.Join("testdata", "sensitivity.toml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		old, new, key string
		want          []string
	}{
		{"scrambles = 2", "scrambles = 8", "sensitivity.scrambles", []string{"8, want a power of two from 2 to 4", "at least 2 of the 8 base rows", "or a base size of at least 16"}},
		{"scrambles = 2", "", "sensitivity.scrambles", []string{"8 (the default), want a power of two from 2 to 4", "or a base size of at least 16"}},
		{"scrambles = 2", "scrambles = 16", "sensitivity.scrambles", []string{"16, want a power of two from 2 to 4", "or a base size of at least 32"}},
		{"base_size = 8\nscrambles = 2", "base_size = 64\nscrambles = 6", "sensitivity.scrambles", []string{"6, want a power of two from 2 to 32"}},
		{"scrambles = 2", "scrambles = 1", "sensitivity.scrambles", []string{"1, want a power of two from 2 to 4"}},
		{"scrambles = 2", "scrambles = 0", "sensitivity.scrambles", []string{"0, want a power of two from 2 to 4"}},
		{"scrambles = 2", "scrambles = -2", "sensitivity.scrambles", []string{"-2, want a power of two from 2 to 4"}},
		{"scrambles = 2", "scrambles = -3000000000", "sensitivity.scrambles", []string{"-3000000000, want a power of two from 2 to 4"}},
		{"scrambles = 2", "scrambles = 16777216", "sensitivity.scrambles", []string{"16777216, want a power of two from 2 to 4"}},
		{"base_size = 8", "base_size = 2", "sensitivity.base_size", []string{"2, want a power of two, at least 4", "say 4 or 8"}},
		{"base_size = 8", "base_size = 96", "sensitivity.base_size", []string{"96, want a power of two, at least 4", "say 64 or 128"}},
		{"scrambles = 2", "scrambles = 2\nbootstrap = 100", "sensitivity.bootstrap", []string{`"sobol" has no bootstrap`, "scrambles", "drop the key"}},
		{"method = \"sobol\"\nbase_size = 8", "method = \"morris\"\ntrajectories = 4", "sensitivity.scrambles", []string{`for method "sobol"`, "drop the key"}},
		{"scrambles = 2", "scrambles = 2\nmax_points = 40", "sensitivity.max_points", []string{"48 points", "2 scrambles of 4", "shrink the design or raise max_points"}},
		{"base_size = 8", "base_size = 2097152\nmax_points = 10000000", "sensitivity.max_points", []string{"12582912 points", "shrink the design (max_points takes at most 10000000)"}},
	} {
		text := strings.Replace(string(base), c.old, c.new, 1)
		if text == string(base) {
			t.Fatalf("%q not in testdata/sensitivity.toml", c.old)
		}
		_, err := LoadBytes([]byte(text), "study.toml", "testdata")
		var e *Error
		if !errors.As(err, &e) || e.Key != c.key {
			t.Errorf("%q for %q: err = %v, want an *Error on %s", c.new, c.old, err, c.key)
			continue
		}
		msg := err.Error()
		for _, w := range append(c.want, "study.toml") {
			if !strings.Contains(msg, w) {
				t.Errorf("%q: error %q lacks %q", c.new, msg, w)
			}
		}
		if strings.Contains(msg, "\n") {
			t.Errorf("%q: error %q is more than one line", c.new, msg)
		}
	}
	e, err := LoadBytes(base, "study.toml", "testdata")
	if err != nil {
		t.Fatal(err)
	}
	s, err := e.Sensitivity()
	if err != nil {
		t.Fatal(err)
	}
	if got := s.IntervalText(); s.Scrambles != 2 || s.Points() != 48 || !strings.Contains(got, "2 independent scrambles") || !strings.Contains(got, "12.71") {
		t.Errorf("testdata study: %d scrambles, %d points, interval %q", s.Scrambles, s.Points(), got)
	}
}

// TestSensitivityWarnings: a Sobol study of fewer than 32 base rows a
// scramble is warned about (its intervals under-cover), with the base size
// that would do; the example study (32 rows a scramble) is not; Describe
// gives the points and runs the study makes.
func TestSensitivityWarnings(t *testing.T) {
	t.Parallel()
	small, err := Load(filepath.Join("testdata", "sensitivity.toml"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := small.Sensitivity()
	if err != nil {
		t.Fatal(err)
	}
	if w := s.Warnings(); len(w) != 1 || !strings.Contains(w[0], "4 base rows a scramble") || !strings.Contains(w[0], "raise base_size to 64") {
		t.Errorf("testdata study (2 scrambles of 4): warnings %q, want one naming 4 rows and base_size 64", w)
	}
	if d := s.Describe(); !strings.Contains(d, "48 design points × 2 runs") {
		t.Errorf("Describe = %q, want 48 design points × 2 runs", d)
	}
	ex, err := Load(filepath.Join("examples", "sensitivity.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if s, err = ex.Sensitivity(); err != nil {
		t.Fatal(err)
	}
	if w := s.Warnings(); len(w) != 0 {
		t.Errorf("example study (8 scrambles of 32): warnings %q, want none", w)
	}
}
