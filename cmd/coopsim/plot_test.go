package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/cmd/coopsim/internal/outdir"
	"github.com/coopsim/coopsim/experiments/report"
	"github.com/coopsim/coopsim/plots"
)

// TestPlotErrorsOnePrefix: plot's error on a bad result file names the
// file once, in the user's words, with no package prefixes; a directory
// that is not a result directory is said to be one.
func TestPlotErrorsOnePrefix(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := filepath.Join(dir, report.SummaryFile)
	if err := os.WriteFile(p, []byte(`{"experiment": 3}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := cliRun(context.Background(), "plot", dir)
	want := p + " line 1: field experiment: want text, got a number (was the file edited? rerun or restore it)"
	if err == nil || err.Error() != want {
		t.Errorf("plot of an edited summary.json:\n got %v\nwant %s", err, want)
	}
	empty := t.TempDir()
	cliFails(t, []string{"plot: no " + filepath.Join(empty, report.SummaryFile) + " (nor fit.json): " + empty + " is not a result directory", "run, merge or calibrate"}, "plot", empty)
	cliFails(t, []string{"plot: no directory " + filepath.Join(empty, "nope")}, "plot", filepath.Join(empty, "nope"))
}

// TestPlotRespectsRunInProgress: plot refuses a directory a run is still
// writing (no summary.json yet), naming the holder, and writes nothing.
func TestPlotRespectsRunInProgress(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "running")
	l, err := outdir.Acquire(dir, "coopsim run --seed 7 --out running")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	cliFails(t, []string{"output directory " + dir + " is in use", fmt.Sprintf("pid %d", os.Getpid()), "--seed 7"}, "plot", dir)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != outdir.LockFile {
			t.Errorf("plot wrote %s into a directory in use", e.Name())
		}
	}
	if _, _, err := cliRun(context.Background(), "plot", dir); err != nil && strings.Contains(err.Error(), "plots: ") {
		t.Errorf("doubled prefix: %v", err)
	}
}

// TestShrunkMessage: the message names exactly the figures plots says it
// drew in fewer pixels than asked, with both sizes: one taller than
// --height and one widened past --width (the corner plot: drawn narrower
// than it asked though wider than --width), not one drawn as asked nor an
// SVG drawn smaller (it keeps its inches); none, no message.
func TestShrunkMessage(t *testing.T) {
	t.Parallel()
	png := func(w, h, dpi int) plots.Options { return plots.Options{Width: w, Height: h, DPI: dpi, Format: "png"} }
	figs := []plots.Written{
		{Path: "d/fan.png", Asked: png(4000, 6000, 144), Drawn: png(3265, 4898, 118)},
		{Path: "d/shares.png", Asked: png(4000, 3600, 144), Drawn: png(4000, 3600, 144)},
		{Path: "d/posterior_corner.png", Asked: png(4420, 4420, 144), Drawn: png(4000, 4000, 130)},
		{Path: "d/fan.svg", Asked: plots.Options{Width: 4000, Height: 6000, DPI: 144, Format: "svg"}, Drawn: plots.Options{Width: 3265, Height: 4898, DPI: 118, Format: "svg"}},
	}
	msg := shrunkMessage(figs, "why")
	want := "coopsim: drawn in fewer pixels than asked, at a lower dpi (the same inches), to stay within 16,000,000 pixels: " +
		"fan.png asked 4000×6000, drawn 3265×4898 at 118 dpi; posterior_corner.png asked 4420×4420, drawn 4000×4000 at 130 dpi (why)"
	if msg != want {
		t.Errorf("shrunkMessage:\n got %s\nwant %s", msg, want)
	}
	if msg := shrunkMessage(figs[1:2], "why"); msg != "" {
		t.Errorf("no figure shrunk: %q, want no message", msg)
	}
}

// TestPlotNamesShrunkFigures: coopsim plot at a size whose taller figures
// pass plots.MaxPixels names on stderr exactly the figures it drew
// narrower than --width (decoded from the files here), and they are some
// but not all of them.
func TestPlotNamesShrunkFigures(t *testing.T) {
	if testing.Short() {
		t.Skip("draws nine figures of 14 to 16 million pixels")
	}
	t.Parallel()
	dir := t.TempDir()
	for _, f := range []string{report.SummaryFile, report.SeriesFile} {
		b, err := os.ReadFile(filepath.Join("..", "..", "plots", "testdata", "six", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// 14.4 million pixels: a figure 1.2 times as tall or more passes the bound.
	stdout, stderr := cliOK(t, "plot", dir, "--width", "4000", "--height", "3600", "--dpi", "144")
	var shrunk, kept int
	for _, p := range strings.Fields(stdout) {
		if filepath.Ext(p) != ".png" {
			continue
		}
		w, h := pngSize(t, p)
		named := strings.Contains(stderr, fmt.Sprintf("%s asked 4000×", filepath.Base(p)))
		switch {
		case w < 4000 && !named:
			t.Errorf("%s drawn %d×%d, narrower than --width, is not named:\n%s", p, w, h, stderr)
		case w < 4000:
			shrunk++
			if !strings.Contains(stderr, fmt.Sprintf("drawn %d×%d at", w, h)) {
				t.Errorf("%s drawn %d×%d: stderr gives another size:\n%s", p, w, h, stderr)
			}
		case named:
			t.Errorf("%s drawn %d×%d as asked is named:\n%s", p, w, h, stderr)
		default:
			kept++
		}
	}
	if shrunk == 0 || kept == 0 {
		t.Errorf("%d figures shrunk, %d drawn as asked: want some of each", shrunk, kept)
	}
}
