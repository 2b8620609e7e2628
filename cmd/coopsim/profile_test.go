package main

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"testing"
)

// TestProfiled: with a path, profiled runs the command and leaves a CPU
// profile there (gzip-compressed, as go tool pprof reads it), returning
// the command's error and warning of nothing; with a path it cannot
// create, or a profile that cannot start (one is already running), the
// command still runs, its error is returned, stderr says why there is no
// profile, and no file is left at the path.
func TestProfiled(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cpu.prof")
	want := errors.New("the command's error")
	ran := false
	var stderr bytes.Buffer
	if err := profiled(path, &stderr, func() error { ran = true; return want }); err != want || !ran {
		t.Fatalf("profiled returned %v (ran %v), want the command's error", err, ran)
	}
	b, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
		t.Fatalf("profile %s: %d bytes, err %v: want a gzip-compressed profile", path, len(b), err)
	}
	if stderr.Len() != 0 {
		t.Errorf("a written profile warns %q, want nothing", stderr.String())
	}

	noProfile := func(what, path string) {
		t.Helper()
		ran, stderr = false, bytes.Buffer{}
		if err := profiled(path, &stderr, func() error { ran = true; return nil }); err != nil || !ran {
			t.Fatalf("%s: err %v, ran %v; want the command run", what, err, ran)
		}
		if w := "coopsim: " + cpuProfileEnv + "=" + path + ": no profile: "; !strings.HasPrefix(stderr.String(), w) {
			t.Errorf("%s: stderr %q, want it to start %q", what, stderr.String(), w)
		}
		if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: %s is left behind (stat: %v)", what, path, err)
		}
	}
	noProfile("a path that cannot be created", filepath.Join(t.TempDir(), "missing", "cpu.prof"))
	if err := pprof.StartCPUProfile(io.Discard); err != nil {
		t.Fatalf("starting a profile for the test: %v", err)
	}
	defer pprof.StopCPUProfile()
	noProfile("a profile that cannot start", filepath.Join(t.TempDir(), "cpu.prof"))
}
