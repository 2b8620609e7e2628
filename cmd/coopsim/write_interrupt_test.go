package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/cmd/coopsim/internal/outdir"
	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/experiments/report"
)

// TestInterruptWhileWriting: a signal after every run finished, while the
// result files are written, abandons them (no temporary file stays), says
// that the runs had finished and how to get the files, and leaves no
// directory; the files a killed process leaves there are refused without
// --force and replaced with it. (Not parallel: it sets beforeWrite.)
func TestInterruptWhileWriting(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	beforeWrite = cancel
	_, errOut, err := cliRun(ctx, "run", smallFile, "--quiet", "--no-plots", "--out", dir)
	beforeWrite = nil
	var ie *interruptedError
	if !errors.As(err, &ie) || !ie.said {
		t.Fatalf("run interrupted while writing: %v, want an interruptedError already explained", err)
	}
	for _, want := range []string{"interrupted while writing the results: all 8 runs had finished", "not all written (no summary.json)", "--force"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(errOut, "nothing to resume") || strings.Contains(errOut, "before any runs") {
		t.Errorf("stderr says no run finished:\n%s", errOut)
	}
	// The lock goes on release, and the directory with it, as run made it.
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("the abandoned writing left %s", e.Name())
	}
	// A process killed (not signalled) at that point leaves what it had
	// written: a committed runs.csv, half a series.csv under its temporary
	// name, the lock. A plain run refuses that; --force takes it and writes
	// the same results as a run into a new directory.
	ref := filepath.Join(t.TempDir(), "ref")
	cliOK(t, "run", smallFile, "--quiet", "--no-plots", "--out", ref)
	runs, err := os.ReadFile(filepath.Join(ref, report.RunsFile))
	if err != nil {
		t.Fatal(err)
	}
	series, err := os.ReadFile(filepath.Join(ref, report.SeriesFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{report.RunsFile: string(runs), ".series.csv.tmp-4242": string(series[:len(series)/2]), outdir.LockFile: ""})
	cliFails(t, []string{dir, "stopped while writing", "--force"}, "run", smallFile, "--quiet", "--no-plots", "--out", dir)
	cliOK(t, "run", smallFile, "--quiet", "--no-plots", "--out", dir, "--force")
	if !exists(filepath.Join(dir, report.SummaryFile)) {
		t.Errorf("run --force wrote no %s", report.SummaryFile)
	}
	if exists(filepath.Join(dir, ".series.csv.tmp-4242")) {
		t.Error("run --force kept the stopped write's temporary file")
	}
	got, err := os.ReadFile(filepath.Join(dir, report.SeriesFile))
	if err != nil || !bytes.Equal(got, series) {
		t.Errorf("run --force: %s differs from a fresh run's (%v)", report.SeriesFile, err)
	}
}

// TestForceTakesStoppedWriting: a directory holding only what a run killed
// while writing leaves (result files with coopsim's headers, temporary
// files, the lock) is coopsim's: refused without --force, with a message
// saying what it is, and overwritten with it, temporary files included.
func TestForceTakesStoppedWriting(t *testing.T) {
	t.Parallel()
	runsHead := strings.Join(report.RunsHeader, ",") + "\n"
	seriesHead := strings.Join(report.SeriesHeader, ",") + "\n"
	for _, files := range []map[string]string{
		{report.RunsFile: runsHead + "history,0,x,1\n", ".series.csv.tmp-123456": seriesHead, "." + experiments.PartialFile + ".tmp-9": "x", outdir.LockFile: ""},
		{report.RunsFile: runsHead, report.SeriesFile: seriesHead, experiments.ParamsFile: "run,parameter,value\n"},
		{".series.csv.tmp-1": "partial", outdir.LockFile: ""},
	} {
		dir := t.TempDir()
		writeFiles(t, dir, files)
		cliFails(t, []string{dir, "stopped while writing", "--force"}, "run", smallFile, "--quiet", "--out", dir)
		cliOK(t, "run", smallFile, "--quiet", "--no-plots", "--out", dir, "--force")
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if strings.Contains(e.Name(), ".tmp-") {
				t.Errorf("run --force kept %s", e.Name())
			}
		}
		if !exists(filepath.Join(dir, report.SummaryFile)) {
			t.Errorf("run --force over %v wrote no %s", files, report.SummaryFile)
		}
	}
}

// TestForceRefusesOthersFiles: --force does not take a directory without
// summary.json that holds anything a stopped write does not leave (a
// user's report.html, Parquet file, shard.json or notes, a runs.csv
// coopsim did not write, a temporary-looking name os.CreateTemp does not
// give), and leaves its files as they were.
func TestForceRefusesOthersFiles(t *testing.T) {
	t.Parallel()
	runsHead := strings.Join(report.RunsHeader, ",") + "\n"
	for _, files := range []map[string]string{
		{"report.html": "<p>mine</p>"},
		{"report.html": "<p>mine</p>", outdir.LockFile: ""},
		{"runs.parquet": "PAR1"},
		{ShardFile: "{}"},
		{report.RunsFile: "a,b\n1,2\n"},
		{report.RunsFile: "scenario,run,metric"},
		{report.RunsFile: ""},
		{report.RunsFile: "a,b\n", ".series.csv.tmp-1": "x"},
		{report.RunsFile: runsHead, "notes.txt": "mine"},
		{".series.csv.tmp-1": "x", "report.html": "<p>mine</p>"},
		{".report.html.tmp-backup": "mine"},
		{".runs.csv.tmp-old": "mine", report.RunsFile: runsHead},
	} {
		dir := t.TempDir()
		writeFiles(t, dir, files)
		cliFails(t, []string{dir, "holds no coopsim results"}, "run", smallFile, "--quiet", "--no-plots", "--out", dir, "--force")
		// The lock is coopsim's, and goes with the refusal.
		delete(files, outdir.LockFile)
		for name, content := range files {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil || string(b) != content {
				t.Errorf("files %v: %s now %q (%v), want it kept", files, name, b, err)
			}
		}
		if entries, _ := os.ReadDir(dir); len(entries) != len(files) {
			t.Errorf("files %v: the directory now holds %d entries", files, len(entries))
		}
	}
}

// writeFiles writes files (name to content) into dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLastWordsWhileWriting: a second signal while the result files are
// written removes their temporary files and says the runs had finished,
// not that nothing was saved.
func TestLastWordsWhileWriting(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tmp := filepath.Join(dir, ".series.csv.tmp-42")
	if err := os.WriteFile(tmp, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, saved := range []int{-1, 4} {
		c := newCheckpoints(&runPlan{dir: dir}, "coopsim run x.toml --resume "+dir, 8)
		c.saved = saved
		c.startWriting()
		var b bytes.Buffer
		c.lastWords(&b)
		msg := b.String()
		if exists(tmp) {
			t.Errorf("saved %d: %s kept", saved, tmp)
		}
		want := "run the same command again with --force"
		if saved >= 0 {
			want = "from the last checkpoint (4 of 8 runs), run: coopsim run x.toml --resume " + dir
		}
		for _, w := range []string{"stopped while writing the results: all 8 runs had finished", want} {
			if !strings.Contains(msg, w) {
				t.Errorf("saved %d: last words lack %q:\n%s", saved, w, msg)
			}
		}
	}
}

// TestSkipDrawing: figures and report.html are left out, with a one-line
// reason naming --no-plots, when the summary coopsim wrote is larger than
// the readers load (a sweep of thousands of scenarios), and after a
// signal; otherwise they are drawn.
func TestSkipDrawing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := filepath.Join(dir, report.SummaryFile)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bg := context.Background()
	if note := skipDrawing(bg, dir, 8, true); note != "" {
		t.Errorf("an empty summary: %q, want the figures drawn", note)
	}
	if err := f.Truncate(report.MaxSummaryBytes); err != nil { // sparse: no disk
		t.Fatal(err)
	}
	if note := skipDrawing(bg, dir, 8, true); note != "" {
		t.Errorf("a summary of MaxSummaryBytes: %q, want the figures drawn", note)
	}
	if err := f.Truncate(report.MaxSummaryBytes + 1); err != nil {
		t.Fatal(err)
	}
	note := skipDrawing(bg, dir, 2001, true)
	for _, w := range []string{"no figures or report.html", "2001 scenarios", "256 MiB", "--no-plots", "result files are complete"} {
		if !strings.Contains(note, w) {
			t.Errorf("note %q lacks %q", note, w)
		}
	}
	if strings.Contains(note, "\n") {
		t.Errorf("note %q spans lines", note)
	}
	if note := skipDrawing(bg, dir, 2001, false); !strings.HasPrefix(note, "no report.html:") {
		t.Errorf("with --no-plots: %q, want it to say only report.html is left out", note)
	}
	ctx, cancel := context.WithCancel(bg)
	cancel()
	os.Remove(p)
	if note := skipDrawing(ctx, dir, 8, true); !strings.Contains(note, "interrupted after the result files were written") || !strings.Contains(note, "coopsim plot "+dir) {
		t.Errorf("after a signal: %q", note)
	}
}

// TestBigSeriesWarning: validate warns of a series.csv of many GB (a sweep
// of 2,001 scenarios over 72 months: about 6 GB) with its estimated size,
// and not of the small experiment's few MB.
func TestBigSeriesWarning(t *testing.T) {
	t.Parallel()
	file := sweepFile(t, t.TempDir(), 2000, "2025-01", "2030-12", "[report]\nwindow_start = \"2025-01\"\nwindow_end = \"2030-12\"\nannualized_at = [\"2030-12\"]\n")
	out, _ := cliOK(t, "validate", file)
	e, err := experiments.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	gb := fmt.Sprintf("about %.0f GB", float64(e.SeriesCSVBytes())/1e9)
	for _, w := range []string{"warning: series.csv will take " + gb, "2001 scenarios × 72 months", "check the disk has room"} {
		if !strings.Contains(out, w) {
			t.Errorf("validate of 2,001 scenarios lacks %q:\n%s", w, out[max(0, len(out)-400):])
		}
	}
	if out, _ := cliOK(t, "validate", smallFile); strings.Contains(out, "series.csv") {
		t.Errorf("validate of the small experiment warns of series.csv:\n%s", out)
	}
}

// TestResumeClearsTemps: resuming a run whose process was killed while
// writing (its checkpoint, a finished runs.csv and a temporary file left)
// finishes it and removes the temporary file.
func TestResumeClearsTemps(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "out")
	if _, _, err := cliRun(newCountdown(3), "run", smallFile, "--quiet", "--no-plots", "--workers", "1", "--out", dir); err == nil {
		t.Fatal("interrupted run succeeded")
	}
	tmp := filepath.Join(dir, ".series.csv.tmp-77")
	if err := os.WriteFile(tmp, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	cliOK(t, "run", smallFile, "--quiet", "--no-plots", "--resume", dir)
	if exists(tmp) {
		t.Errorf("the resumed run kept %s", tmp)
	}
	if !exists(filepath.Join(dir, report.SummaryFile)) {
		t.Errorf("the resumed run wrote no %s", report.SummaryFile)
	}
}
