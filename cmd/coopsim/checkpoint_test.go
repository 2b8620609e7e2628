package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/plots"
)

// TestMain lets a test run coopsim as a real child process: the test
// binary re-executed with COOPSIM_CHILD=1 is coopsim, its arguments
// coopsim's. With COOPSIM_CHILD_PAUSE=1 the child also says on stderr
// when it has saved its first checkpoint ("saved N runs") and then waits
// until its stdin closes, and says when it receives an interrupt, so that
// the tests act on what the child did, not on how long it took. Under
// -short (and in a child with childSmallFigures) figures are small.
func TestMain(m *testing.M) {
	if os.Getenv("COOPSIM_CHILD") == "1" {
		if os.Getenv("COOPSIM_CHILD_PAUSE") == "1" {
			pauseAfterFirstSave()
		}
		if os.Getenv(childSmallFigures) == "1" {
			smallFigures()
		}
		os.Args = append([]string{"coopsim"}, os.Args[1:]...)
		main()
		os.Exit(0)
	}
	flag.Parse()
	if testing.Short() {
		smallFigures()
	}
	var err error
	if shared, err = os.MkdirTemp("", "coopsim-test-"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(shared)
	os.Exit(code)
}

// shared is a directory for results that several tests read (and none
// writes into), made by TestMain and removed after the tests.
var shared string

// reference returns the result directory of `coopsim run small.toml
// --quiet --no-plots` with extra flags, run without interruption, which
// shards merged and resumed runs must match byte for byte; each is run
// once, for all the tests that compare with it.
func reference(t *testing.T, extra ...string) string {
	t.Helper()
	key := strings.Join(extra, " ")
	references.mu.Lock()
	r := references.m[key]
	if r == nil {
		r = &referenceRun{dir: filepath.Join(shared, fmt.Sprintf("reference-%d", len(references.m)))}
		references.m[key] = r
	}
	references.mu.Unlock()
	r.once.Do(func() {
		args := append([]string{"run", smallFile, "--quiet", "--no-plots", "--out", r.dir}, extra...)
		if _, stderr, err := cliRun(context.Background(), args...); err != nil {
			r.err = fmt.Errorf("coopsim %s: %v\nstderr:\n%s", strings.Join(args, " "), err, stderr)
		}
	})
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.dir
}

type referenceRun struct {
	once sync.Once
	dir  string
	err  error
}

var references = struct {
	mu sync.Mutex
	m  map[string]*referenceRun
}{m: map[string]*referenceRun{}}

// childSmallFigures, set to 1 in a child's environment, makes it draw
// small figures (under -short).
const childSmallFigures = "COOPSIM_CHILD_SMALL_FIGURES"

// smallFigures makes the figures' default size (which run, merge, plot
// and calibrate draw at) 800×500 pixels at 72 dpi: the same 11.1×6.9
// inches, and so the same layout, as 1600×1000 at 144, with a quarter of
// the pixels to rasterize and compress (plots were most of the CPU of the
// tests that draw them). Only under -short; package plots' golden images
// test the full size.
func smallFigures() {
	plots.DefaultOptions.Width, plots.DefaultOptions.Height, plots.DefaultOptions.DPI = 800, 500, 72
}

// The child's lines for the parent, on stderr.
const (
	childSaved     = "coopsim-test: saved "
	childInterrupt = "coopsim-test: interrupt\n"
)

// pauseAfterFirstSave makes this process (a child) report its first save
// and then block until stdin closes, and report each interrupt it gets.
func pauseAfterFirstSave() {
	var once sync.Once
	afterSave = func(runs int) {
		once.Do(func() {
			fmt.Fprintf(os.Stderr, "%s%d runs\n", childSaved, runs)
			io.Copy(io.Discard, os.Stdin)
		})
	}
	// main's own handler gets the signals too (each channel given to
	// signal.Notify gets every signal); this one only says so.
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt)
	go func() {
		for range sig {
			os.Stderr.WriteString(childInterrupt)
		}
	}()
}

// proc is coopsim running as a child process, paused after its first
// checkpoint (COOPSIM_CHILD_PAUSE).
type proc struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser // closing it lets the paused child go on
	stderr watched        // complete only after done
	done   chan error     // the exit, once
}

// watched is a child's stderr as it comes.
type watched struct {
	mu      sync.Mutex
	b       bytes.Buffer
	changed chan struct{} // closed and replaced at each write
}

func (w *watched) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.b.Write(p)
	close(w.changed)
	w.changed = make(chan struct{})
	return len(p), nil
}

func (w *watched) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// waitFor waits until the child's stderr holds want n times and returns
// the stderr so far; it fails the test if the child ends first or after
// a generous safety timeout.
func (p *proc) waitFor(t *testing.T, want string, n int) string {
	t.Helper()
	timeout := time.After(5 * time.Minute)
	for {
		p.stderr.mu.Lock()
		text, changed := p.stderr.b.String(), p.stderr.changed
		p.stderr.mu.Unlock()
		if strings.Count(text, want) >= n {
			return text
		}
		select {
		case <-changed:
		case err := <-p.done:
			p.done <- err
			t.Fatalf("the child ended (%v) before saying %q %d times; stderr:\n%s", err, want, n, p.stderr.String())
		case <-timeout:
			t.Fatalf("the child did not say %q %d times within 5 minutes; stderr:\n%s", want, n, text)
		}
	}
}

// child starts coopsim with args as a separate process that pauses after
// its first checkpoint.
func child(t *testing.T, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(os.Args[0], args...), done: make(chan error, 1)}
	p.stderr.changed = make(chan struct{})
	p.cmd.Env = append(os.Environ(), "COOPSIM_CHILD=1", "COOPSIM_CHILD_PAUSE=1")
	p.cmd.Stderr = &p.stderr
	var err error
	if p.stdin, err = p.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() { p.cmd.Process.Kill() })
	return p
}

// slowRun is a run of small.toml that cannot finish before the child
// pauses at its first checkpoint: 60 runs on one worker, saved every
// 20 ms (a segment runs at least one run, so the first save holds one or
// more, and the pause comes long before the 60th).
func slowRun(dir string) []string {
	return []string{"run", smallFile, "--runs", "60", "--workers", "1", "--checkpoint", "20ms", "--quiet", "--no-plots", "--out", dir}
}

// TestKillResume kills a running coopsim with SIGKILL once it has saved
// some runs; --resume finishes it to the bytes of an uninterrupted run.
func TestKillResume(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	single := reference(t, "--runs", "60")

	dir := filepath.Join(root, "killed")
	c := child(t, slowRun(dir)...)
	c.waitFor(t, childSaved, 1)
	c.cmd.Process.Signal(syscall.SIGKILL)
	<-c.done
	if exists(filepath.Join(dir, "summary.json")) {
		t.Fatal("the child wrote its results before it was killed")
	}
	p, complete, err := experiments.LoadPartial(dir)
	if err != nil || complete || len(p.RunIDs) >= 60 {
		t.Fatalf("after SIGKILL: %v; complete %v, %d runs saved", err, complete, len(p.RunIDs))
	}
	cliOK(t, "run", smallFile, "--runs", "60", "--quiet", "--no-plots", "--resume", dir)
	sameResultFiles(t, single, dir)
}

// TestTwoInterrupts: two quick Ctrl-Cs leave the last saved state and say
// how to resume; the printed command finishes the run to the bytes of an
// uninterrupted one.
func TestTwoInterrupts(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	single := reference(t, "--runs", "60")

	dir := filepath.Join(root, "int")
	c := child(t, slowRun(dir)...)
	c.waitFor(t, childSaved, 1)
	// Two signals sent at once can merge into one in the kernel: the
	// second goes once the child has seen the first.
	c.cmd.Process.Signal(os.Interrupt)
	c.waitFor(t, childInterrupt, 1)
	c.cmd.Process.Signal(os.Interrupt)
	err := <-c.done
	stderr := c.stderr.String()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("two Ctrl-Cs: %v, want exit status 130; stderr:\n%s", err, stderr)
	}
	_, resume, ok := strings.Cut(stderr, "to finish, run: ")
	if !ok {
		t.Fatalf("two Ctrl-Cs: stderr says nothing of how to resume:\n%s", stderr)
	}
	if !strings.Contains(stderr, "the last saved state keeps") {
		t.Errorf("exit 130 without naming the saved state:\n%s", stderr)
	}
	p, complete, err := experiments.LoadPartial(dir)
	if err != nil || complete || len(p.RunIDs) == 0 {
		t.Fatalf("after two Ctrl-Cs: %v; complete %v", err, complete)
	}
	args := strings.Fields(strings.TrimPrefix(strings.TrimSpace(strings.SplitN(resume, "\n", 2)[0]), "coopsim "))
	cliOK(t, append(args, "--quiet", "--no-plots")...)
	sameResultFiles(t, single, dir)
}

// TestLastWords: what a second Ctrl-C says before and after a save.
func TestLastWords(t *testing.T) {
	t.Parallel()
	e, err := experiments.Load(smallFile)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "r")
	c := newCheckpoints(&runPlan{e: e, dir: dir}, "coopsim run x --resume "+dir, 8)
	var b bytes.Buffer
	c.lastWords(&b)
	if !strings.Contains(b.String(), "nothing to resume") {
		t.Errorf("before a save: %q", b.String())
	}
	o, err := experiments.Run(t.Context(), e, experiments.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.save(o); err != nil {
		t.Fatal(err)
	}
	b.Reset()
	c.lastWords(&b)
	want := "keeps 8 of 8 runs in " + dir + "\ncoopsim: to finish, run: coopsim run x --resume " + dir + "\n"
	if !strings.HasSuffix(b.String(), want) || !exists(filepath.Join(dir, experiments.PartialFile)) {
		t.Errorf("after a save: %q, want it to end %q (and %s saved)", b.String(), want, experiments.PartialFile)
	}
}
