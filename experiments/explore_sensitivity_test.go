package experiments

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/experiments/design"
	"github.com/coopsim/coopsim/experiments/sensitivity"
)

// studyText returns testdata/sensitivity.toml (a Sobol study of base size 8
// in 2 scrambles) with each old replaced by its new, failing if an old is
// not in it.
func studyText(t *testing.T, oldNew ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "sensitivity.toml"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	for i := 0; i < len(oldNew); i += 2 {
		if !strings.Contains(text, oldNew[i]) {
			t.Fatalf("%q not in testdata/sensitivity.toml", oldNew[i])
		}
		text = strings.Replace(text, oldNew[i], oldNew[i+1], 1)
	}
	return []byte(text)
}

// The study's morris variant: 6 trajectories on 4 levels.
var toMorris = []string{"method = \"sobol\"\nbase_size = 8\nscrambles = 2", "method = \"morris\"\ntrajectories = 6"}

// TestSensitivityConfidence: the confidence key sets both methods'
// interval level (0.95 unless set), and bootstrap a Morris study's
// resamples (1000 unless set; none for Sobol); the analysis computes its
// intervals at that level: a Sobol interval is its index ± the Student t
// quantile for the scrambles at that level × its standard error, and a
// Morris interval is the bootstrap's of those resamples keyed by the
// experiment's seed.
func TestSensitivityConfidence(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name      string
		edits     []string
		method    string
		conf      float64
		resamples int
	}{
		{"sobol default", nil, "sobol", 0.95, 0},
		{"sobol 80%", []string{"replicates = 2", "replicates = 2\nconfidence = 0.8"}, "sobol", 0.8, 0},
		{"morris default", toMorris, "morris", 0.95, 1000},
		{"morris 90%, 200 resamples", append(toMorris[:2:2], "replicates = 2", "replicates = 2\nbootstrap = 200\nconfidence = 0.9"), "morris", 0.9, 200},
	} {
		e, err := LoadBytes(studyText(t, c.edits...), "study.toml", "testdata")
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		s, err := e.Sensitivity()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if s.Method != c.method || s.Confidence != c.conf || s.Resamples != c.resamples {
			t.Errorf("%s: method %s, confidence %g, resamples %d; want %s, %g, %d", c.name, s.Method, s.Confidence, s.Resamples, c.method, c.conf, c.resamples)
		}
		unit, _, m, err := e.SensitivityDesign(s)
		if err != nil {
			t.Fatal(err)
		}
		// A smooth function of the unit coordinates with an interaction,
		// and its square: two outputs whose indices vary by scramble.
		y := make([][]float64, len(unit))
		for i, u := range unit {
			f := u[0] + 2*u[1]*u[2] + 0.5*u[3]
			y[i] = []float64{f, f * f}
		}
		rep, err := e.AnalyseSensitivity(s, m, y)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Confidence != c.conf || rep.Resamples != c.resamples {
			t.Errorf("%s: sensitivity.json has confidence %g, %d resamples; want %g, %d", c.name, rep.Confidence, rep.Resamples, c.conf, c.resamples)
		}
		// The interval sentence is derived from the file's own fields.
		derived := fmt.Sprintf("over the %d trajectories, %d resamples", rep.Trajectories, rep.Resamples)
		if c.method == "sobol" {
			derived = fmt.Sprintf("over %d independent scrambles of the design: their mean ± t(%d df) = %.4g × their sd/√%d",
				rep.Scrambles, rep.Scrambles-1, sensitivity.TQuantile(rep.Scrambles, rep.Confidence), rep.Scrambles)
		}
		if !strings.Contains(rep.Interval, derived) {
			t.Errorf("%s: interval %q, want it to say %q from the file's fields", c.name, rep.Interval, derived)
		}
		if c.method == "sobol" {
			checkSobolLevel(t, c.name, rep, sensitivity.TQuantile(s.Scrambles, c.conf))
			continue
		}
		col := make([]float64, len(y))
		for i := range y {
			col[i] = y[i][1]
		}
		want, err := sensitivity.Morris(m, col, sensitivity.Bootstrap{Resamples: c.resamples, Confidence: c.conf, Seed: e.Seed})
		if err != nil {
			t.Fatal(err)
		}
		for j, ix := range want.Indices {
			if got := rep.Outputs[1].Morris[j].MuStarCI; got != [2]float64{ix.MuStarCI.Low, ix.MuStarCI.High} {
				t.Errorf("%s: factor %d: mu* interval %v, want the bootstrap's %v", c.name, j, got, ix.MuStarCI)
			}
		}
	}
}

// checkSobolLevel fails unless every Sobol interval of rep is its index ±
// tq standard errors (to rounding: 1e-12 of the half-width) and some
// interval has a width to check.
func checkSobolLevel(t *testing.T, name string, rep *SensitivityReport, tq float64) {
	t.Helper()
	wide := false
	for _, o := range rep.Outputs {
		for _, ix := range o.Sobol {
			for _, g := range []struct {
				est, se float64
				ci      [2]float64
			}{{ix.S1, ix.S1SE, ix.S1CI}, {ix.ST, ix.STSE, ix.STCI}} {
				half := tq * g.se
				wide = wide || half > 0
				if math.Abs(g.ci[0]-(g.est-half)) > 1e-12*half || math.Abs(g.ci[1]-(g.est+half)) > 1e-12*half {
					t.Errorf("%s: %s: interval %v, want %g ± %g × %g", name, ix.Factor, g.ci, g.est, tq, g.se)
				}
			}
		}
	}
	if !wide {
		t.Errorf("%s: every interval has width 0: the test checks no level", name)
	}
}

// TestSensitivityConfidenceErrors: a confidence outside (0, 1) is refused
// for either method, and a Morris bootstrap of fewer than 2 resamples, in
// one line naming the file, the key and the range to pick from.
func TestSensitivityConfidenceErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		edits []string
		key   string
		want  string
	}{
		{[]string{"replicates = 2", "replicates = 2\nconfidence = 1.5"}, "sensitivity.confidence", "1.5, want a number between 0 and 1"},
		{[]string{"replicates = 2", "replicates = 2\nconfidence = 95"}, "sensitivity.confidence", "95, want a number between 0 and 1"},
		{append(toMorris[:2:2], "replicates = 2", "replicates = 2\nconfidence = 0"), "sensitivity.confidence", "0, want a number between 0 and 1"},
		{append(toMorris[:2:2], "replicates = 2", "replicates = 2\nbootstrap = 1"), "sensitivity.bootstrap", "want 2 to"},
	} {
		_, err := LoadBytes(studyText(t, c.edits...), "study.toml", "testdata")
		var e *Error
		if !errors.As(err, &e) || e.Key != c.key {
			t.Errorf("%q: err = %v, want an *Error on %s", c.edits, err, c.key)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, "study.toml") || !strings.Contains(msg, c.want) || strings.Contains(msg, "\n") {
			t.Errorf("%q: error %q, want one line naming study.toml and saying %q", c.edits, msg, c.want)
		}
	}
}

// TestCheckSaltelliKeys: design.CheckSaltelli's refusal comes back under
// the file key of the parameter it names, in design's words (its value and
// what it wants), noting a default the file did not set (the scrambles;
// the default base size is one CheckSaltelli takes): including too
// many factors for the Sobol sequence, which no file can reach today (the
// market has fewer parameters).
func TestCheckSaltelliKeys(t *testing.T) {
	t.Parallel()
	e := &Experiment{Source: "study.toml"}
	if pe := design.CheckSaltelli(defaultBaseSize, 1, 2); pe != nil {
		t.Fatalf("the default base size %d is refused: %v", defaultBaseSize, pe)
	}
	eight, two, twelve := int64(8), int64(2), int64(12)
	for _, c := range []struct {
		s    SensitivitySpec
		t    sensitivityFormat
		key  string
		want string
	}{
		{SensitivitySpec{BaseSize: 8, Scrambles: 2, Factors: make([]Factor, 3)}, sensitivityFormat{}, "", ""},
		// A file that sets no base_size has the default, 256, which
		// CheckSaltelli takes: a refused base size is one the file set.
		{SensitivitySpec{BaseSize: 12, Scrambles: 2, Factors: make([]Factor, 3)}, sensitivityFormat{BaseSize: &twelve}, "sensitivity.base_size", "12, want a power of two, at least 4"},
		{SensitivitySpec{BaseSize: 8, Scrambles: 8, Factors: make([]Factor, 3)}, sensitivityFormat{BaseSize: &eight}, "sensitivity.scrambles", "8 (the default), want a power of two from 2 to 4"},
		{SensitivitySpec{BaseSize: 8, Scrambles: 1, Factors: make([]Factor, 3)}, sensitivityFormat{Scrambles: &two}, "sensitivity.scrambles", "1, want a power of two from 2 to 4"},
		{SensitivitySpec{BaseSize: 8, Scrambles: 2, Factors: make([]Factor, design.MaxSobolDim/2+1)}, sensitivityFormat{}, "factors", fmt.Sprintf("%d, want 1 to %d", design.MaxSobolDim/2+1, design.MaxSobolDim/2)},
	} {
		err := e.checkSaltelli(&c.s, &c.t)
		if c.key == "" {
			if err != nil {
				t.Errorf("base size %d in %d scrambles: %v", c.s.BaseSize, c.s.Scrambles, err)
			}
			continue
		}
		var fe *Error
		if !errors.As(err, &fe) || fe.Key != c.key || !strings.HasPrefix(fe.Msg, c.want) || strings.Contains(fe.Msg, "design:") {
			t.Errorf("base size %d, %d scrambles, %d factors: err = %v, want an *Error on %s saying %q", c.s.BaseSize, c.s.Scrambles, len(c.s.Factors), err, c.key, c.want)
		}
	}
}

// TestHasSensitivity: whether a file has a [sensitivity] table comes from
// the tables Load decoded (the file's text is not read again: garbled
// after loading, the study is still there), and an experiment not read
// from a file has none, which Sensitivity and Discover say.
func TestHasSensitivity(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		file string
		has  bool
	}{
		{filepath.Join("testdata", "sensitivity.toml"), true},
		{filepath.Join("examples", "cap-binds.toml"), false}, // [factors] and [discover] only
		{filepath.Join("testdata", "small.toml"), false},     // no design tables
	} {
		e, err := Load(c.file)
		if err != nil {
			t.Fatal(err)
		}
		e.files[mainFile] = []byte("[[[ not TOML")
		if e.HasSensitivity() != c.has {
			t.Errorf("%s: HasSensitivity = %v, want %v", c.file, !c.has, c.has)
		}
		s, err := e.Sensitivity()
		var fe *Error
		switch {
		case c.has && (err != nil || s.Points() != 48):
			t.Errorf("%s: Sensitivity after loading = %v, %v; want the study of 48 points Load read", c.file, s, err)
		case !c.has && (!errors.As(err, &fe) || fe.Key != "sensitivity" || !strings.Contains(fe.Msg, "missing: add a [sensitivity] table")):
			t.Errorf("%s: Sensitivity: err = %v, want an *Error on sensitivity saying the table is missing", c.file, err)
		}
	}
	e := &Experiment{Source: "(built)"}
	if e.HasSensitivity() {
		t.Error("an experiment not read from a file has a [sensitivity] table")
	}
	if _, err := e.Sensitivity(); err == nil || !strings.Contains(err.Error(), "not read from a file") {
		t.Errorf("Sensitivity of an experiment not read from a file: err = %v, want one saying so", err)
	}
	if _, err := e.Discover(); err == nil || !strings.Contains(err.Error(), "not read from a file") {
		t.Errorf("Discover of an experiment not read from a file: err = %v, want one saying so", err)
	}
}
