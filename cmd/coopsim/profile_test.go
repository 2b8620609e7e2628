package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestProfiled: with a path, profiled runs the command and leaves a CPU
// profile there (gzip-compressed, as go tool pprof reads it), returning
// the command's error; with a path it cannot write, the command still
// runs and its error is returned.
func TestProfiled(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cpu.prof")
	want := errors.New("the command's error")
	ran := false
	if err := profiled(path, func() error { ran = true; return want }); err != want || !ran {
		t.Fatalf("profiled returned %v (ran %v), want the command's error", err, ran)
	}
	b, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
		t.Fatalf("profile %s: %d bytes, err %v: want a gzip-compressed profile", path, len(b), err)
	}
	ran = false
	bad := filepath.Join(t.TempDir(), "missing", "cpu.prof")
	if err := profiled(bad, func() error { ran = true; return nil }); err != nil || !ran {
		t.Fatalf("profiled to an unwritable path: err %v, ran %v; want the command run", err, ran)
	}
}
