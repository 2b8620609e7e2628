package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/coopsim/coopsim/cmd/coopsim/internal/outdir"
	"github.com/coopsim/coopsim/experiments/report"
)

// TestConcurrentRunsDoNotMix starts two runs of different seeds into one
// directory at once: exactly one writes it, the other is refused (by the
// lock while the first runs, or as an existing result directory after it),
// and the directory holds exactly the winner's results.
func TestConcurrentRunsDoNotMix(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	dir := filepath.Join(root, "cm")
	seeds := []string{"1", "2"}
	errs := make([]error, len(seeds))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, s := range seeds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, _, errs[i] = cliRun(context.Background(), "run", smallFile, "--seed", s, "--quiet", "--no-plots", "--out", dir)
		}()
	}
	close(start)
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner < 0:
			winner = i
		case err == nil:
			t.Fatal("both runs wrote the directory")
		case !strings.Contains(err.Error(), "in use by another coopsim") && !strings.Contains(err.Error(), "already exists"):
			t.Errorf("seed %s refused with %q, want the lock's or the existing directory's message", seeds[i], err)
		}
	}
	if winner < 0 {
		t.Fatalf("both runs failed: %v", errs)
	}
	ref := filepath.Join(root, "ref")
	cliOK(t, "run", smallFile, "--seed", seeds[winner], "--quiet", "--no-plots", "--out", ref)
	sameResultFiles(t, ref, dir)
	if exists(filepath.Join(dir, outdir.LockFile)) {
		t.Error("the lock file is left behind")
	}
}

// TestLockedDirRefused: while another process holds a directory, run,
// merge, plot, calibrate, sensitivity and discover refuse it at once, in one line naming the
// holder, and write nothing there.
func TestLockedDirRefused(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "held")
	l, err := outdir.Acquire(dir, "coopsim run --seed 9 --out held")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	// plot locks a result directory: make dir look like one.
	if err := os.WriteFile(filepath.Join(dir, report.SummaryFile), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	want := []string{"output directory " + dir + " is in use", fmt.Sprintf("pid %d", os.Getpid()), "--seed 9", "wait for it"}
	for _, args := range [][]string{
		{"run", smallFile, "--quiet", "--out", dir, "--force"},
		{"merge", "a", "b", "--out", dir, "--force"},
		{"plot", dir},
		{"plot", filepath.Join("..", "..", "experiments", "testdata"), "--out", dir},
		{"calibrate", "--quick", "--quiet", "--out", dir},
		{"sensitivity", studyFile, "--quiet", "--out", dir, "--force"},
		{"discover", studyFile, "--quiet", "--resume", dir},
	} {
		cliFails(t, want, args...)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("the held directory has %d entries, want the lock file and summary.json only", len(entries))
	}
}

// TestUnwritableOutFailsFirst: an output directory that cannot be created
// is refused before any run is simulated (a path below a regular file
// fails for root too, who ignores permission bits).
func TestUnwritableOutFailsFirst(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "file.txt")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(file, "sub")
	want := []string{"output directory " + out + " cannot be created", "choose another"}
	for _, args := range [][]string{
		{"run", smallFile, "--out", out},
		{"merge", "a", "--out", out},
		{"calibrate", "--quick", "--out", out},
		{"sensitivity", studyFile, "--out", out},
		{"discover", studyFile, "--out", out},
		{"discover", studyFile, "--resume", out},
	} {
		_, stderr, err := cliRun(context.Background(), args...)
		if err == nil {
			t.Fatalf("%s succeeded", args[0])
		}
		var u *outdir.UnwritableError
		if !errors.As(err, &u) {
			t.Errorf("%s: %v, want an unwritable-directory error", args[0], err)
		}
		for _, w := range want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q lacks %q", args[0], err, w)
			}
		}
		if stderr != "" {
			t.Errorf("%s started work before refusing its output:\n%s", args[0], stderr)
		}
	}
}
