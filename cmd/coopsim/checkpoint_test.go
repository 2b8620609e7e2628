package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coopsim/coopsim/experiments"
)

// TestMain lets a test run coopsim as a real child process: the test
// binary re-executed with COOPSIM_CHILD=1 is coopsim, its arguments
// coopsim's.
func TestMain(m *testing.M) {
	if os.Getenv("COOPSIM_CHILD") == "1" {
		os.Args = append([]string{"coopsim"}, os.Args[1:]...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// proc is coopsim running as a child process.
type proc struct {
	cmd    *exec.Cmd
	stderr bytes.Buffer // read only after done
	done   chan error   // the exit, once
}

// child starts coopsim with args as a separate process.
func child(t *testing.T, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(os.Args[0], args...), done: make(chan error, 1)}
	p.cmd.Env = append(os.Environ(), "COOPSIM_CHILD=1")
	p.cmd.Stderr = &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() { p.cmd.Process.Kill() })
	return p
}

// waitSaved waits until dir holds a saved partial result with at least one
// run, and reports whether it does (false: the child ended first; its exit
// is put back on done).
func (p *proc) waitSaved(t *testing.T, dir string) bool {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if o, _, err := experiments.LoadPartial(dir); err == nil && len(o.RunIDs) > 0 {
			return true
		}
		select {
		case err := <-p.done:
			p.done <- err
			return false
		case <-time.After(5 * time.Millisecond):
		}
	}
	t.Fatal("no checkpoint within 60 s")
	return false
}

// slowRun is a run of small.toml long enough to be killed midway: 60 runs
// on one worker, saved every 20 ms.
func slowRun(dir string) []string {
	return []string{"run", smallFile, "--runs", "60", "--workers", "1", "--checkpoint", "20ms", "--quiet", "--no-plots", "--out", dir}
}

// TestKillResume kills a running coopsim with SIGKILL once it has saved
// some runs; --resume finishes it to the bytes of an uninterrupted run.
func TestKillResume(t *testing.T) {
	root := t.TempDir()
	single := filepath.Join(root, "single")
	cliOK(t, "run", smallFile, "--runs", "60", "--quiet", "--no-plots", "--out", single)

	dir := filepath.Join(root, "killed")
	c := child(t, slowRun(dir)...)
	saved := c.waitSaved(t, dir)
	c.cmd.Process.Signal(syscall.SIGKILL)
	<-c.done
	if !saved || exists(filepath.Join(dir, "summary.json")) {
		t.Fatal("the child finished before it was killed: the test needs a longer run")
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
	root := t.TempDir()
	single := filepath.Join(root, "single")
	cliOK(t, "run", smallFile, "--runs", "60", "--quiet", "--no-plots", "--out", single)

	dir := filepath.Join(root, "int")
	c := child(t, slowRun(dir)...)
	if !c.waitSaved(t, dir) {
		t.Fatal("the child finished before it was interrupted: the test needs a longer run")
	}
	c.cmd.Process.Signal(os.Interrupt)
	c.cmd.Process.Signal(os.Interrupt)
	err := <-c.done
	stderr := &c.stderr
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() == 0 {
		t.Fatalf("two Ctrl-Cs: %v, want a non-zero exit", err)
	}
	_, resume, ok := strings.Cut(stderr.String(), "to finish, run: ")
	if !ok {
		t.Fatalf("two Ctrl-Cs: stderr says nothing of how to resume:\n%s", stderr)
	}
	t.Logf("exit %d:\n%s", ee.ExitCode(), stderr)
	if ee.ExitCode() == 130 && !strings.Contains(stderr.String(), "the last saved state keeps") {
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
