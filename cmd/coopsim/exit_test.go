package main

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestExitInterrupted: a run stopped by Ctrl-C exits 130, as a second
// Ctrl-C does, and prints no line after its "to finish, run:" advice; other
// errors exit 1 with one "coopsim: " line.
func TestExitInterrupted(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "int")
	_, errOut, err := cliRun(newCountdown(2), "run", smallFile, "--quiet", "--no-plots", "--workers", "1", "--out", dir)
	var buf bytes.Buffer
	if code := exit(err, &buf); code != 130 {
		t.Errorf("interrupted run: exit %d, want 130 (%v)", code, err)
	}
	if buf.Len() != 0 {
		t.Errorf("interrupted run: printed %q after %q", buf.String(), errOut)
	}
	if !strings.Contains(errOut, "to finish, run: ") {
		t.Errorf("interrupted run: no resume advice in %q", errOut)
	}
	buf.Reset()
	if code := exit(errors.New("bad"), &buf); code != 1 || buf.String() != "coopsim: bad\n" {
		t.Errorf("error: exit %d, printed %q; want 1 and \"coopsim: bad\"", code, buf.String())
	}
	if code := exit(nil, &buf); code != 0 {
		t.Errorf("no error: exit %d", code)
	}
}
