package experiments

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// deepCases are files whose nesting the TOML decoder handles in memory
// growing as the square of the depth (20,000 nested inline tables took
// 10 GB and crashed the process): each must be refused before decoding.
var deepCases = []struct{ name, toml string }{
	{"inline tables", minimal + "[market]\nx = " + strings.Repeat("{a = ", 20_000) + "1" + strings.Repeat("}", 20_000) + "\n"},
	{"lists", minimal + "[meta]\nx = " + strings.Repeat("[", 20_000) + "1" + strings.Repeat("]", 20_000) + "\n"},
	{"table header", minimal + "[" + strings.Repeat("a.", 5_000) + "a]\nx = 1\n"},
	{"dotted key", minimal + "[market]\n" + strings.Repeat("a.", 20_000) + "a = 1\n"},
	{"dotted keys in inline tables", minimal + "[market]\nx = " + strings.Repeat("{a.b.c = ", 5_000) + "1" + strings.Repeat("}", 5_000) + "\n"},
	{"array of tables header", minimal + "[[" + strings.Repeat("s.", 5_000) + "s]]\n"},
}

// TestDeepNestingRefused checks that deeply nested files are refused with
// one short line naming the place, in bounded memory: at most 32 MiB
// allocated for an 80 KB file (the scan before decoding allocates almost
// nothing; decoding 6,000 levels took 1.5 GB).
func TestDeepNestingRefused(t *testing.T) {
	for _, c := range deepCases {
		t.Run(c.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := LoadBytes([]byte(c.toml), "deep.toml", t.TempDir())
			runtime.ReadMemStats(&after)
			if err == nil {
				t.Fatal("loaded, want an error")
			}
			msg := err.Error()
			if !errors.Is(err, ErrInvalid) || !strings.HasPrefix(msg, "deep.toml:") || !strings.Contains(msg, "nest more than 32 levels") {
				t.Errorf("error %q, want an ErrInvalid naming deep.toml, its line and the limit", msg)
			}
			if len(msg) > 320 || strings.Contains(msg, "\n") {
				t.Errorf("error is %d characters: %.200q", len(msg), msg)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32<<20 {
				t.Errorf("loading allocated %d MiB, want at most 32", alloc>>20)
			}
		})
	}
}

// TestShallowNestingAccepted checks that the limit leaves room: nesting
// below it reaches the decoder (and the usual checks).
func TestShallowNestingAccepted(t *testing.T) {
	src := minimal + "[meta]\nx = " + strings.Repeat("[", 20) + "1" + strings.Repeat("]", 20) +
		"\ny = {a.b.c = {d = \"[[{{\", e = '''\n[[[[\n'''}}\n" + `"quoted.key.with.dots" = 1` + "\n"
	if _, err := LoadBytes([]byte(src), "ok.toml", t.TempDir()); err != nil {
		t.Fatalf("nesting within the limit refused: %v", err)
	}
}

// TestLoadNotAFile checks a directory, a file too large and an unreadable
// path: each refused naming the path as given, before reading it all.
func TestLoadNotAFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(dir); err == nil || err.Error() != dir+": is a directory, not a file: give the path of a .toml file" {
		t.Errorf("Load(dir) = %v, want it to say the path is a directory", err)
	}
	big := filepath.Join(dir, "big.toml")
	if err := os.WriteFile(big, []byte(minimal+"#"+strings.Repeat("x", maxFileBytes)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(big); err == nil || !strings.HasPrefix(err.Error(), big+": is larger than") {
		t.Errorf("Load(big) = %v, want it refused for its size", err)
	}
	if _, err := LoadBytes([]byte(minimal+"#"+strings.Repeat("x", maxFileBytes)+"\n"), "big.toml", dir); err == nil || !strings.Contains(err.Error(), "want at most") {
		t.Errorf("LoadBytes(big) = %v, want it refused for its size", err)
	}
}
