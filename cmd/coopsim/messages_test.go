package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestHelpUnknownCommand: help for a command that does not exist fails
// and suggests the nearest one.
func TestHelpUnknownCommand(t *testing.T) {
	t.Parallel()
	cliFails(t, []string{`unknown command "rnu"`, `did you mean "run"?`}, "help", "rnu")
	cliFails(t, []string{`unknown command "nosuch"`, "the commands are"}, "help", "nosuch")
	cliFails(t, []string{"help takes one command"}, "help", "run", "plot")
	out, _ := cliOK(t, "help", "run")
	if !strings.Contains(out, "usage: coopsim run") {
		t.Errorf("help run:\n%s", out)
	}
}

// TestWorkersRule: --workers 0 means all cores, as the message for a bad
// value says; negative and huge values are refused by run and calibrate.
func TestWorkersRule(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "w0")
	cliOK(t, "run", smallFile, "--quiet", "--no-plots", "--runs", "2", "--workers", "0", "--out", dir)
	for _, cmd := range []string{"run", "calibrate"} {
		for _, w := range []string{"-1", "4097"} {
			cliFails(t, []string{"--workers " + w, "want 1 to 4096", "or 0 (the default) for all cores"}, cmd, "--workers", w, "--out", filepath.Join(t.TempDir(), "x"))
		}
	}
}

// TestQuietAndPlurals: --quiet prints nothing on stderr; one run is "1 run";
// a merge, which simulates nothing, prints no speed (it printed +Inf runs/s).
func TestQuietAndPlurals(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	out, errOut := cliOK(t, "run", smallFile, "--quiet", "--no-plots", "--runs", "1", "--out", filepath.Join(root, "one"))
	if errOut != "" {
		t.Errorf("--quiet printed on stderr:\n%s", errOut)
	}
	if !strings.HasPrefix(out, "small: 1 run of 3 scenarios in ") || regexp.MustCompile(`(^|[^0-9])1 runs`).MatchString(out) {
		t.Errorf("one run:\n%s", out)
	}
	_, errOut = cliOK(t, "run", smallFile, "--no-plots", "--runs", "1", "--out", filepath.Join(root, "loud"))
	if !strings.Contains(errOut, "3 scenarios × 1 run of 500 buyers") {
		t.Errorf("without --quiet, stderr lacks the plan:\n%s", errOut)
	}
	var shards []string
	for _, k := range []string{"1", "2"} {
		d := filepath.Join(root, "s"+k)
		shards = append(shards, d)
		cliOK(t, "run", smallFile, "--quiet", "--runs", "3", "--shard", k+"/2", "--out", d)
	}
	out, _ = cliOK(t, append(append([]string{"merge"}, shards...), "--out", filepath.Join(root, "m"), "--no-plots")...)
	if !strings.Contains(out, "small: 3 runs of 3 scenarios;") || strings.Contains(out, "Inf") || strings.Contains(out, "runs/s") {
		t.Errorf("merge summary:\n%s", out)
	}
}

// TestMessagesOnce: errors carry no "coopsim" prefix of their own (main
// adds "coopsim: "), and a directory given as the experiment file is named
// as such.
func TestMessagesOnce(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"run", "--nosuch"}, {"plot", "--width", "x", "d"}, {"merge", "--bad"}} {
		_, _, err := cliRun(context.Background(), args...)
		if err == nil || strings.HasPrefix(err.Error(), "coopsim") {
			t.Errorf("coopsim %s: %v: want an error without its own coopsim prefix", strings.Join(args, " "), err)
		}
	}
	dir := t.TempDir()
	for _, cmd := range []string{"run", "validate", "calibrate"} {
		cliFails(t, []string{dir + " is a directory", ".toml file"}, cmd, dir)
	}
}

// TestPlotSizeLimits: plot refuses sizes that take minutes and gigabytes
// (20000×20000 at 1200 dpi took 347 s and 9.6 GB), naming the limit, and
// its help states the limits.
func TestPlotSizeLimits(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"--width", "20000", "--height", "20000", "--dpi", "1200"}, []string{"400,000,000 pixels", "at most 16,000,000"}},
		{[]string{"--width", "5000", "--height", "3300"}, []string{"at most 16,000,000"}},
		{[]string{"--dpi", "1200"}, []string{"--dpi 1200", "36 to 600"}},
		{[]string{"--width", "1600", "--height", "1000", "--dpi", "600"}, []string{"2.7×1.7 inch", "at least 4×2.5 inches"}},
		{[]string{"--width", "100"}, []string{"200 to 20000"}},
	} {
		cliFails(t, c.want, append([]string{"plot", dir}, c.args...)...)
	}
	if err := checkFigureSize(5000, 3200, 600); err != nil {
		t.Errorf("5000×3200 at 600 dpi, the largest allowed: %v", err)
	}
	out, _ := cliOK(t, "plot", "-h")
	for _, w := range []string{"16,000,000 pixels", "36 to 600", "at least 4×2.5 inches"} {
		if !strings.Contains(out, w) {
			t.Errorf("plot -h lacks %q:\n%s", w, out)
		}
	}
}

func TestThousands(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 16_000_000: "16,000,000", -1234: "-1,234"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
