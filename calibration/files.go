package calibration

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/coopsim/coopsim/experiments/atomicfile"
	"github.com/coopsim/coopsim/experiments/report"
	"github.com/coopsim/coopsim/market"
)

// Point is one target against its simulated mean (report.FitPoint, which
// plots.CalibrationFit draws).
type Point = report.FitPoint

// The files WriteFiles writes.
const (
	FitFile    = "fit.json"
	FittedFile = "fitted.toml"
)

// Points returns the targets against their simulated means, in file order.
// Names carry the date; inequality targets carry their relation in
// Relation.
func (r *Result) Points() []Point {
	out := make([]Point, len(r.Targets))
	for i, m := range r.Targets {
		name := m.Label + " " + m.Date.String()
		if m.Check {
			name += " (check)"
		}
		out[i] = Point{Name: name, Target: m.Value, TargetSD: m.SD, Simulated: m.Simulated, SimulatedSE: m.SE, Unit: m.Unit,
			Relation: m.Relation, Met: m.Met, NonNegative: nonNegative(m.Moment)}
	}
	return out
}

// WriteTable writes the fit as plain aligned text: the targets against
// their simulated means, then the fitted parameters, then the warnings.
func (r *Result) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "target\tdate\ttarget\t±sd\tsimulated\t±se\tz\tmet\n")
	for _, m := range r.Targets {
		rel := ""
		if !m.Numeric() {
			rel = m.Relation + " "
		}
		met := "yes"
		if !m.Met {
			met = "NO"
		}
		if m.Check {
			met += " (check, not fitted)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s%s\t%s\t%s\t%s\t%+.2f\t%s\n", m.Name, m.Date, rel, fmtVal(m.Value, m.Unit),
			fmtVal(m.SD, m.Unit), fmtVal(m.Simulated, m.Unit), fmtVal(m.SE, m.Unit), m.Z, met)
	}
	fmt.Fprintf(tw, "\nparameter\tfitted\t±se\tinitial\tbounds\tpinned\n")
	for _, p := range r.Params {
		se := "∞"
		if !math.IsInf(p.SE, 0) {
			se = fmtNum(p.SE)
		}
		pinned := "yes"
		if !p.Pinned {
			pinned = "no"
		}
		if p.AtBound {
			pinned += " (at bound)"
		}
		scale := ""
		if p.Log {
			scale = " log"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t[%s, %s]%s\t%s\n", p.Path, fmtNum(p.Value), se, fmtNum(p.Initial), fmtNum(p.Min), fmtNum(p.Max), scale, pinned)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("calibration: %w", err)
	}
	var points, inequalities, checks int
	for _, m := range r.Targets {
		switch {
		case m.Check:
			checks++
		case m.Numeric():
			points++
		default:
			inequalities++
		}
	}
	_, err := fmt.Fprintf(w, "\nobjective %.3g over %d fitted targets (%d figures, %d inequalities), %d checks not fitted; %d evaluations of %d runs × %d buyers, seed %d, regime %s, %.1fs\n",
		r.Objective, points+inequalities, points, inequalities, checks, r.Evaluations, r.Runs, r.FitAgents, r.Seed, r.Regime, r.Seconds)
	for _, wn := range r.Warnings {
		if _, err = fmt.Fprintf(w, "warning: %v\n", wn); err != nil {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("calibration: %w", err)
	}
	return nil
}

func fmtVal(v float64, unit string) string {
	switch unit {
	case "USD":
		switch a := math.Abs(v); {
		case a >= 1e9:
			return fmt.Sprintf("$%.3gB", v/1e9)
		case a >= 1e6:
			return fmt.Sprintf("$%.3gM", v/1e6)
		}
		return fmt.Sprintf("$%.3g", v)
	case "accounts":
		return strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	}
	return fmt.Sprintf("%.3g", v)
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }

// MarshalJSON writes the result with its warnings as strings.
func (r *Result) MarshalJSON() ([]byte, error) {
	type plain Result // no MarshalJSON: no recursion
	ws := make([]string, len(r.Warnings))
	for i, w := range r.Warnings {
		ws[i] = w.Error()
	}
	return json.Marshal(struct {
		*plain
		Warnings []string `json:"warnings"`
	}{(*plain)(r), ws})
}

// FittedTOML returns fitted.toml: a [market] table of the fitted values
// under their parameter paths, to include from an experiment. Values keep
// six significant digits.
func (r *Result) FittedTOML(when time.Time) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Fitted by `coopsim calibrate` (objective %.3g, %s); see fit.json.\n", r.Objective, when.Format("2006-01-02"))
	fmt.Fprintf(&b, "# Targets: %s; %d runs × %d buyers, seed %d, regime %s.\n", r.TargetsSource, r.Runs, r.FitAgents, r.Seed, r.Regime)
	b.WriteString("[market]\n")
	for _, p := range r.Params {
		note := ""
		if !p.Pinned {
			note = " # not pinned down by the targets"
		}
		fmt.Fprintf(&b, "%s = %s%s\n", p.Path, tomlFloat(p.Value), note)
	}
	return b.Bytes()
}

// tomlFloat formats v with six significant digits as a TOML float.
func tomlFloat(v float64) string {
	s := strconv.FormatFloat(v, 'g', 6, 64)
	if !strings.ContainsAny(s, ".eEn") { // TOML floats need a point or exponent
		s += ".0"
	}
	if i := strings.IndexAny(s, "eE"); i >= 0 && !strings.Contains(s[:i], ".") {
		s = s[:i] + ".0" + s[i:]
	}
	return s
}

// WriteFiles writes fit.json and fitted.toml into dir (created if need
// be), and posterior.csv when the result has a posterior, each whole or
// not at all (a temporary file, then rename). fitted.toml holds the point
// fit in either case. Both record a relative TargetsSource relative to
// dir, where they are. ReadFiles reads fit.json and posterior.csv back.
func (r *Result) WriteFiles(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("calibration: %w", err)
	}
	w := *r // as written: the targets file relative to dir
	w.TargetsSource = r.sourceFrom(dir)
	js, err := json.MarshalIndent(&w, "", "  ")
	if err != nil {
		return fmt.Errorf("calibration: fit.json: %w", err)
	}
	if err := writeAtomic(filepath.Join(dir, FitFile), append(js, '\n')); err != nil {
		return err
	}
	if r.Posterior == nil {
		// An earlier calibration's sample would not match this fit.
		if err := os.Remove(filepath.Join(dir, PosteriorFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("calibration: %w", err)
		}
	} else {
		var b bytes.Buffer
		if err := r.Posterior.WriteCSV(&b); err != nil {
			return err
		}
		if err := writeAtomic(filepath.Join(dir, PosteriorFile), b.Bytes()); err != nil {
			return err
		}
	}
	return writeAtomic(filepath.Join(dir, FittedFile), w.FittedTOML(time.Now()))
}

// writeAtomic writes b to path whole or not at all (package atomicfile).
func writeAtomic(path string, b []byte) error {
	if err := atomicfile.WriteBytes(path, b); err != nil {
		return fmt.Errorf("calibration: write %s: %w", path, err)
	}
	return nil
}

// ReadFitted reads a fitted.toml (or any TOML file with a [market] table
// of parameter paths) and returns its values by path. Every key must be a
// path market.LookupParam accepts.
func ReadFitted(path string) (map[string]any, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("calibration: %w", err)
	}
	var doc map[string]any
	if _, err := toml.Decode(string(b), &doc); err != nil {
		return nil, fmt.Errorf("calibration: %s: %w", path, err)
	}
	mk, _ := doc["market"].(map[string]any)
	for k := range doc {
		if k != "market" || mk == nil {
			return nil, fmt.Errorf("calibration: %s: unknown key %s (want only a [market] table of parameter paths)", path, k)
		}
	}
	doc = mk
	out := map[string]any{}
	flatten("", doc, out)
	for k := range out {
		if _, err := market.LookupParam(k); err != nil {
			return nil, fmt.Errorf("calibration: %s: %w", path, err)
		}
	}
	return out, nil
}

func flatten(prefix string, m map[string]any, out map[string]any) {
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			flatten(prefix+k+".", sub, out)
			continue
		}
		out[prefix+k] = v
	}
}

// ApplyFitted sets the values of a fitted.toml in cfg.
func ApplyFitted(cfg *market.Config, path string) error {
	vals, err := ReadFitted(path)
	if err != nil {
		return err
	}
	for k, v := range vals {
		if err := market.SetParam(cfg, k, v); err != nil {
			return fmt.Errorf("calibration: %s: %w", path, err)
		}
	}
	return nil
}
