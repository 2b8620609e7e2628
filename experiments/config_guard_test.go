package experiments

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
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
	t.Parallel()
	src := minimal + "[meta]\nx = " + strings.Repeat("[", 20) + "1" + strings.Repeat("]", 20) +
		"\ny = {a.b.c = {d = \"[[{{\", e = '''\n[[[[\n'''}}\n" + `"quoted.key.with.dots" = 1` + "\n"
	if _, err := LoadBytes([]byte(src), "ok.toml", t.TempDir()); err != nil {
		t.Fatalf("nesting within the limit refused: %v", err)
	}
}

// TestLoadNotAFile checks a directory, a file too large and an unreadable
// path: each refused naming the path as given, before reading it all.
func TestLoadNotAFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := Load(dir); err == nil || err.Error() != dir+": is a directory, not a file: give the path of a .toml file" {
		t.Errorf("Load(dir) = %v, want it to say the path is a directory", err)
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		// An include of a device must not be read (/dev/zero never ends).
		up := strings.Repeat("../", strings.Count(filepath.ToSlash(dir), "/"))
		if _, err := LoadBytes([]byte(top(`include = "`+up+`dev/zero"`)), "dev.toml", dir); err == nil ||
			!strings.Contains(err.Error(), "is not a regular file") {
			t.Errorf("include of /dev/zero: %v, want it refused as not a regular file", err)
		}
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

// TestSizeLimits checks the bounds that keep loading quick and small
// whatever a file asks for: scenarios in all (sweeps included), regimes,
// and amendments of a chain of regimes each based on the one before.
func TestSizeLimits(t *testing.T) {
	t.Parallel()
	var vals []string
	for i := 0; i < 80; i++ {
		vals = append(vals, strconv.Itoa(i))
	}
	grid := "[" + strings.Join(vals, ", ") + "]"
	sweep := "[[sweep]]\nscenario = \"h\"\n[sweep.grid]\n\"sellers.azure.reach.initial\" = " + grid + "\n\"sellers.aws.reach.initial\" = " + grid + "\n"
	var chain strings.Builder
	chain.WriteString(minimal)
	for i := 0; i < 150; i++ {
		based := "history"
		if i > 0 {
			based = "r" + strconv.Itoa(i-1)
		}
		fmt.Fprintf(&chain, "[[regime]]\nname = \"r%d\"\nbased_on = %q\n", i, based)
		for j := 0; j < 8; j++ {
			fmt.Fprintf(&chain, "[[regime.amendment]]\nmonth = \"2030-%02d\"\n", j+1)
		}
	}
	var many strings.Builder
	many.WriteString(minimal)
	for i := 0; i < 201; i++ {
		fmt.Fprintf(&many, "[[regime]]\nname = \"q%d\"\n", i)
	}
	for _, c := range []struct{ name, toml, want string }{
		{"two sweeps of 6,400 points", minimal + sweep + sweep, "sweep[1].grid: more grid points than the 10000 scenarios an experiment may have in all (6401 already)"},
		{"amendments of a chain", chain.String(), "amendments with its base's, want at most 1000"},
		{"regimes", many.String(), "regime: 201 regimes, want at most 200"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadBytes([]byte(c.toml), "big.toml", t.TempDir())
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want %q", err, c.want)
			}
		})
	}
}

// TestLongestError checks that an error built from the longest file name,
// key path and message stays within maxErrorLen characters.
func TestLongestError(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 10_000)
	e := &Error{File: long, Line: 123456, Column: 7890, Key: long, Msg: long}
	if n := len([]rune(e.Error())); n > maxErrorLen {
		t.Errorf("longest error is %d characters, want at most %d", n, maxErrorLen)
	}
}

// TestPosteriorSize: a posterior file may pass an experiment file's 1 MiB
// (calibrate --posterior's default writes about 5 MB) up to its own
// limit, past which it is refused with how to shrink it.
func TestPosteriorSize(t *testing.T) {
	t.Parallel()
	const exp = "name = \"x\"\nseed = 1\nruns = 4\nbaseline = \"h\"\n\n[[scenario]]\nname = \"h\"\nregime = \"history\"\n\n[uncertainty]\nposterior = \"p.csv\"\n"
	dir := t.TempDir()
	file := filepath.Join(dir, "u.toml")
	if err := os.WriteFile(file, []byte(exp), 0o644); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("chain,buyers.diffusion.p\n")
	for i := 0; b.Len() <= 2*maxFileBytes; i++ {
		fmt.Fprintf(&b, "%d,%.17f\n", i%4, 0.01+float64(i%1000)*1e-5)
	}
	csvPath := filepath.Join(dir, "p.csv")
	if err := os.WriteFile(csvPath, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := Load(file)
	if err != nil {
		t.Fatalf("a %d-byte posterior: %v", b.Len(), err)
	}
	if n := strings.Count(b.String(), "\n") - 1; len(e.Uncertainty.Posterior.Rows) != n {
		t.Errorf("%d draws read, want %d", len(e.Uncertainty.Posterior.Rows), n)
	}
	// Past the limit (a sparse file: nothing is written but its length).
	if err := os.Truncate(csvPath, MaxPosteriorBytes+1); err != nil {
		t.Fatal(err)
	}
	_, err = Load(file)
	if err == nil || !strings.Contains(err.Error(), "p.csv: is larger than") || !strings.Contains(err.Error(), "keep every k-th row") ||
		strings.Contains(err.Error(), "a few kilobytes") {
		t.Errorf("a posterior over the limit: %v, want it refused as a posterior too large, with how to shrink it", err)
	}
}
