package outdir

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func TestSecondWriterRefused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	l, err := Acquire(dir, "coopsim run --seed 1 --out out")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Acquire(dir, "coopsim run --seed 2 --out out")
	var busy *BusyError
	if !errors.As(err, &busy) {
		t.Fatalf("second Acquire: %v, want a *BusyError", err)
	}
	if busy.PID != os.Getpid() || busy.Holder != "coopsim run --seed 1 --out out" {
		t.Errorf("holder pid %d %q, want %d and the first command", busy.PID, busy.Holder, os.Getpid())
	}
	if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, dir) || !strings.Contains(msg, "--seed 1") {
		t.Errorf("message %q: want one line naming the directory and the holder", msg)
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, LockFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lock file left after Release: %v", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Release left the empty directory it created: %v", err)
	}
	l2, err := Acquire(dir, "again")
	if err != nil {
		t.Fatalf("Acquire after Release: %v", err)
	}
	l2.Release()
}

// TestConcurrentAcquire starts many writers at once, over and over: exactly
// one holds the lock at any time (each winner checks that nobody else is
// inside), and every loser is told who holds it.
func TestConcurrentAcquire(t *testing.T) {
	dir := t.TempDir()
	var inside, wins, busy int
	var mu sync.Mutex
	for round := 0; round < 50; round++ {
		var wg sync.WaitGroup
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				l, err := Acquire(dir, "writer")
				var b *BusyError
				if errors.As(err, &b) {
					mu.Lock()
					busy++
					mu.Unlock()
					return
				}
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				inside++
				wins++
				if inside != 1 {
					t.Errorf("%d writers hold the lock at once", inside)
				}
				mu.Unlock()
				runtime.Gosched() // let the others try while this one holds it
				mu.Lock()
				inside--
				mu.Unlock()
				l.Release()
			}()
		}
		wg.Wait()
	}
	if wins == 0 || busy == 0 {
		t.Errorf("%d wins, %d refusals over 400 tries: the test did not exercise contention", wins, busy)
	}
}

func TestUnwritable(t *testing.T) {
	// A path below a regular file cannot be created even by root, who
	// ignores permission bits.
	file := filepath.Join(t.TempDir(), "file.txt")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{file, filepath.Join(file, "sub"), filepath.Join(file, "a", "b")} {
		_, err := Acquire(dir, "w")
		var u *UnwritableError
		if !errors.As(err, &u) || u.Dir != dir {
			t.Errorf("Acquire(%s): %v, want an *UnwritableError naming it", dir, err)
		} else if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "choose another") {
			t.Errorf("message %q: want one line saying what to do", msg)
		}
	}
}

func TestReleaseKeepsResults(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	l, err := Acquire(dir, "w")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "summary.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	l.Release()
	if _, err := os.Stat(filepath.Join(dir, "summary.json")); err != nil {
		t.Errorf("Release removed results: %v", err)
	}
}

// TestHolderDies holds the lock in a child process, checks the parent is
// refused with the child's pid, kills the child with SIGKILL and checks the
// lock is free again although its file is left behind.
func TestHolderDies(t *testing.T) {
	if dir := os.Getenv("OUTDIR_HOLD"); dir != "" {
		if _, err := Acquire(dir, "child holder"); err != nil {
			os.Stdout.WriteString("error " + err.Error() + "\n")
			os.Exit(1)
		}
		os.Stdout.WriteString("locked\n")
		// Hold until killed, or until the parent goes (its end of stdin
		// closes). Not select{}: with every goroutine blocked the runtime
		// ends the process ("all goroutines are asleep"), which freed the
		// lock before the parent looked whenever the parent was slow.
		io.Copy(io.Discard, os.Stdin)
		os.Exit(1)
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHolderDies$")
	cmd.Env = append(os.Environ(), "OUTDIR_HOLD="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cmd.StdinPipe(); err != nil { // open until Wait
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, _ := bufio.NewReader(out).ReadString('\n')
	if line != "locked\n" {
		t.Fatalf("child: %q", line)
	}
	_, err = Acquire(dir, "parent")
	var busy *BusyError
	if !errors.As(err, &busy) || busy.PID != cmd.Process.Pid || busy.Holder != "child holder" {
		t.Fatalf("Acquire while the child holds the lock: %v, want busy naming pid %d", err, cmd.Process.Pid)
	}
	cmd.Process.Kill()
	cmd.Wait()
	if _, err := os.Stat(filepath.Join(dir, LockFile)); err != nil {
		t.Fatalf("the killed holder's lock file: %v (the test wants it left behind)", err)
	}
	l, err := Acquire(dir, "parent")
	if err != nil {
		t.Fatalf("Acquire after the holder died: %v", err)
	}
	l.Release()
}
