package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/experiments"
)

// TestCalibratePosterior runs `coopsim calibrate --quick --posterior` and
// checks that the posterior table is printed and posterior.csv written
// with one column per fitted parameter, and that the corner plot drawn
// smaller than it asked is named.
func TestCalibratePosterior(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("a quick fit and posterior: tens of seconds")
	}
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"calibrate", "--quick", "--posterior", "--quiet", "--out", dir}, &stdout, &stderr); err != nil {
		t.Fatalf("calibrate: %v\n%s", err, stderr.String())
	}
	for _, want := range []string{"R-hat", "contraction", "PIT", "posterior.csv", "posterior_corner.png", "posterior_predictive.png"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout lacks %q", want)
		}
	}
	// Fifteen parameters widen the corner plot past plots.MaxPixels: it is
	// drawn smaller, and calibrate says so.
	if !strings.Contains(stderr.String(), "posterior_corner.png asked") {
		t.Errorf("stderr does not name the corner plot drawn smaller: %q", stderr.String())
	}
	f, err := os.Open(filepath.Join(dir, "posterior.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+4*400 || rows[0][0] != "chain" || !strings.Contains(strings.Join(rows[0], ","), "buyers.diffusion.p") {
		t.Errorf("posterior.csv: %d rows, header %v", len(rows), rows[0])
	}
	// An experiment's [uncertainty] reads the file as written.
	exp := filepath.Join(dir, "u.toml")
	src := "name = \"u\"\nseed = 1\nruns = 4\nbaseline = \"h\"\n[uncertainty]\nposterior = \"posterior.csv\"\n[[scenario]]\nname = \"h\"\nregime = \"history\"\n"
	if err := os.WriteFile(exp, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := experiments.Load(exp)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(e.Uncertainty.Posterior.Paths, ","), strings.Join(rows[0][1:], ","); got != want {
		t.Errorf("the experiment reads columns %s, calibrate wrote %s", got, want)
	}
}

// --draws needs --posterior and a sensible count; refused before any work.
func TestCalibrateDrawsRefused(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"calibrate", "--draws", "500", "--out", t.TempDir()},
		{"calibrate", "--posterior", "--draws", "3", "--out", t.TempDir()},
	} {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), args, &stdout, &stderr)
		if err == nil || !strings.Contains(err.Error(), "--draws") {
			t.Errorf("%v: error %v, want one naming --draws", args, err)
		}
	}
}
