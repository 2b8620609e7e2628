package calibration

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ReadFiles refuses a fit.json with numbers coopsim plot would draw but
// calibrate cannot write (a hand-edited file), naming the file, the key
// as fit.json spells it, the value and the fix; the fixture as written
// reads back.
func TestReadFilesAbsurdValues(t *testing.T) {
	t.Parallel()
	const fix = ": was the file edited? rerun coopsim calibrate"
	for name, c := range map[string]struct {
		edit func(*Result)
		want string
	}{
		"as written":    {func(*Result) {}, ""},
		"negative sd":   {func(r *Result) { r.Targets[1].SD = -0.02 }, "targets[1].sd (toy_share) is -0.02, want a positive number"},
		"zero sd":       {func(r *Result) { r.Targets[0].SD = 0 }, "targets[0].sd (toy_revenue) is 0, want a positive number"},
		"negative se":   {func(r *Result) { r.Targets[0].SE = -1 }, "targets[0].se (toy_revenue) is -1, want a number, 0 or more"},
		"out of range":  {func(r *Result) { r.Params[1].Value = 1.5 }, "params[1].value (buyers.diffusion.p) is 1.5, want a value in its range 0 to 1"},
		"empty range":   {func(r *Result) { r.Params[1].Min = 1 }, "params[1].min and max (buyers.diffusion.p) is 1 to 1, want finite numbers, min below max"},
		"log from zero": {func(r *Result) { r.Params[0].Min = 0 }, "params[0].min (buyers.accounts) is 0, want a positive number on a log scale"},
		"param se":      {func(r *Result) { r.Params[0].SE = -3 }, "params[0].se (buyers.accounts) is -3, want a number, 0 or more"},
		"check sd":      {func(r *Result) { r.Posterior.Predictive[0].SD = -2e4 }, "posterior.predictive[0].sd (toy_revenue) is -20000, want a positive number"},
		"quantiles": {func(r *Result) { p := &r.Posterior.Predictive[1]; p.Q10, p.Q90 = 0.2, 0.1 },
			"posterior.predictive[1].q10 (toy_share) is 0.2, want at most q90 (0.1)"},
		"pit":   {func(r *Result) { r.Posterior.Predictive[1].PIT = 1.5 }, "posterior.predictive[1].pit (toy_share) is 1.5, want a share from 0 to 1"},
		"draws": {func(r *Result) { r.Posterior.Predictive[0].Draws = 0 }, "posterior.predictive[0].draws (toy_revenue) is 0, want at least 1"},
	} {
		_, dir := writtenFixture(t, c.edit)
		_, err := ReadFiles(dir)
		if c.want == "" {
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
			continue
		}
		wantFileError(t, name, err, filepath.Join(dir, FitFile), 0, c.want+fix)
	}
}

// ReadFiles refuses a posterior.csv draw outside its parameter's range in
// fit.json, naming the chain, the draw and the parameter.
func TestReadFilesDrawOutOfRange(t *testing.T) {
	t.Parallel()
	_, dir := writtenFixture(t, nil)
	path := filepath.Join(dir, PosteriorFile)
	lines := strings.SplitAfter(string(readFile(t, path)), "\n")
	// Line 33 is chain 1's second draw (the header, then 30 draws of chain 0).
	f := strings.Split(lines[32], ",")
	f[2] = "1.25\n"
	lines[32] = strings.Join(f, ",")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadFiles(dir)
	wantFileError(t, "draw", err, path, 0, "chain 1 draw 2: buyers.diffusion.p is 1.25, outside its range 0 to 1 in fit.json: posterior.csv and fit.json must come from the same coopsim calibrate --posterior")
}
