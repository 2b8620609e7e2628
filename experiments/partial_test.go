package experiments

import (
	"bytes"
	"encoding/gob"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/agents/detmath"
)

// runShards runs e's n shards, each saved as a complete partial result in
// its own directory, and returns the directories.
func runShards(t *testing.T, e *Experiment, n int) []string {
	t.Helper()
	root := t.TempDir()
	var dirs []string
	for k := 1; k <= n; k++ {
		o := mustRun(t, e, Options{Workers: 2, Shard: Shard{k, n}})
		lo, hi := Shard{k, n}.Range(e.Runs)
		if len(o.RunIDs) != hi-lo || (len(o.RunIDs) > 0 && o.RunIDs[0] != lo) {
			t.Fatalf("shard %d/%d ran %v, want runs %d to %d", k, n, o.RunIDs, lo, hi-1)
		}
		d := filepath.Join(root, fmt.Sprintf("shard-%d-of-%d", k, n))
		if err := o.SavePartial(d, true); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, d)
	}
	return dirs
}

// TestMergeShards: three shards merged, in any order, write the same bytes
// as one machine running the whole experiment.
func TestMergeShards(t *testing.T) {
	t.Parallel()
	e := mustLoad(t, "testdata/small.toml")
	want := writeAll(t, mustRun(t, e, Options{Workers: 2}))
	dirs := runShards(t, e, 3)
	for _, order := range [][]string{dirs, {dirs[2], dirs[0], dirs[1]}} {
		m, err := Merge(order)
		if err != nil {
			t.Fatal(err)
		}
		if !m.Shard.Whole() || len(m.RunIDs) != e.Runs {
			t.Fatalf("merged: shard %v, %d runs", m.Shard, len(m.RunIDs))
		}
		sameFiles(t, want, writeAll(t, m))
	}
}

// TestMergeChecked: the check sees the experiment and all its runs once,
// and its refusal is the merge's error.
func TestMergeChecked(t *testing.T) {
	t.Parallel()
	e := mustLoad(t, "testdata/small.toml")
	dirs := runShards(t, e, 3)
	calls := 0
	refusal := errors.New("too large")
	_, err := MergeChecked(dirs, func(got *Experiment, runs int) error {
		calls++
		if got.Hash != e.Hash || runs != e.Runs {
			t.Errorf("check saw experiment %q with %d runs, want %q with %d", got.Name, runs, e.Name, e.Runs)
		}
		return refusal
	})
	if !errors.Is(err, refusal) || calls != 1 {
		t.Errorf("MergeChecked: %v after %d checks, want the check's refusal after one", err, calls)
	}
}

// TestMergeRefuses: merge names what is wrong with its shards.
func TestMergeRefuses(t *testing.T) {
	t.Parallel()
	e := mustLoad(t, "testdata/small.toml")
	dirs := runShards(t, e, 3)
	other := runShards(t, e.WithSeed(e.Seed+1), 3)

	unfinished := t.TempDir()
	o := mustRun(t, e, Options{Shard: Shard{3, 3}})
	if err := o.SavePartial(unfinished, false); err != nil {
		t.Fatal(err)
	}
	whole := t.TempDir()
	if err := mustRun(t, e, Options{}).SavePartial(whole, true); err != nil {
		t.Fatal(err)
	}
	corrupt := t.TempDir()
	if err := os.WriteFile(filepath.Join(corrupt, PartialFile), []byte("not gob"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()
	// A shard computed by a build whose elementary functions give other
	// bits (another architecture, or fused multiply-adds).
	otherMath := t.TempDir()
	if err := o.SavePartial(otherMath, true); err != nil {
		t.Fatal(err)
	}
	rewritePartial(t, otherMath, func(st *partialState) { st.Math = "0badf00d" })

	cases := []struct {
		name string
		dirs []string
		want []string
	}{
		{"missing shard", dirs[:2], []string{"missing shard(s) 3/3"}},
		{"two missing", dirs[1:2], []string{"missing shard(s) 1/3, 3/3"}},
		{"other experiment", []string{dirs[0], other[1], dirs[2]}, []string{other[1], "is a shard of another experiment than " + dirs[0]}},
		{"shard twice", []string{dirs[0], dirs[1], dirs[1], dirs[2]}, []string{"shard 2/3 is given twice", dirs[1]}},
		{"unfinished", []string{dirs[0], dirs[1], unfinished}, []string{unfinished, "unfinished shard", "--resume " + unfinished}},
		{"not a shard", []string{whole}, []string{whole, "is not a shard"}},
		{"corrupt", []string{dirs[0], corrupt}, []string{filepath.Join(corrupt, PartialFile), "is corrupt"}},
		{"no partial", []string{empty}, []string{filepath.Join(empty, PartialFile), "no partial result here"}},
		{"none", nil, []string{"at least one shard directory"}},
		{"other fingerprint", []string{dirs[0], dirs[1], otherMath}, []string{otherMath, "determinism fingerprint math=0badf00d", "this build computes math=" + detmath.Fingerprint()}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Merge(c.dirs)
			if err == nil {
				t.Fatal("merged, want an error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// rewritePartial edits the partial result in dir.
func rewritePartial(t *testing.T, dir string, edit func(*partialState)) {
	t.Helper()
	path := filepath.Join(dir, PartialFile)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var st partialState
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&st); err != nil {
		t.Fatal(err)
	}
	edit(&st)
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(&st); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestPartialCarriesIncludes: a partial result carries its experiment's
// included files, so it loads where they are absent (another machine).
func TestPartialCarriesIncludes(t *testing.T) {
	t.Parallel()
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "fit.toml"), []byte("[market]\nbuyers.agents = 300\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(top(`include = "fit.toml"`+"\nend = \"2021-12\""), "runs = 2", "runs = 4", 1)
	if err := os.WriteFile(filepath.Join(src, "exp.toml"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	e := mustLoad(t, filepath.Join(src, "exp.toml"))
	dirs := runShards(t, e, 2)
	if err := os.RemoveAll(src); err != nil {
		t.Fatal(err)
	}
	m, err := Merge(dirs)
	if err != nil {
		t.Fatal(err)
	}
	if m.Experiment.Hash != e.Hash || m.Experiment.Market.Buyers.Agents != 300 {
		t.Errorf("merged experiment: %d buyers, same hash %v", m.Experiment.Market.Buyers.Agents, m.Experiment.Hash == e.Hash)
	}
}

// TestOneShardMerge: a single shard 1/1 merges into the whole experiment.
func TestOneShardMerge(t *testing.T) {
	t.Parallel()
	e := mustLoad(t, "testdata/small.toml")
	if (Shard{1, 1}).Whole() || !(Shard{}).Whole() {
		t.Fatal("shard 1/1 must be a shard, the zero Shard the whole")
	}
	m, err := Merge(runShards(t, e, 1))
	if err != nil {
		t.Fatal(err)
	}
	sameFiles(t, writeAll(t, mustRun(t, e, Options{})), writeAll(t, m))
}

// TestPartialIncludesUpward: includes that climb ("../") and name files
// which only the real directory names tell apart (x.toml beside the
// experiment, ../e/x.toml beside its folder) are carried and told apart.
func TestPartialIncludesUpward(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	for dir, agents := range map[string]int{"exp": 300, "e": 400} {
		if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
			t.Fatal(err)
		}
		fit := fmt.Sprintf("[market]\nbuyers.agents = %d\n", agents)
		if err := os.WriteFile(filepath.Join(root, dir, "x.toml"), []byte(fit), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The later include wins: 400 buyers, from ../e/x.toml.
	text := strings.Replace(top(`include = ["x.toml", "../e/x.toml"]`+"\nend = \"2021-12\""), "runs = 2", "runs = 4", 1)
	if err := os.WriteFile(filepath.Join(root, "exp", "exp.toml"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	e := mustLoad(t, filepath.Join(root, "exp", "exp.toml"))
	if e.Market.Buyers.Agents != 400 {
		t.Fatalf("%d buyers, want 400 from ../e/x.toml", e.Market.Buyers.Agents)
	}
	dirs := runShards(t, e, 2)
	if err := os.RemoveAll(root); err != nil {
		t.Fatal(err)
	}
	m, err := Merge(dirs)
	if err != nil {
		t.Fatal(err)
	}
	if m.Experiment.Hash != e.Hash || m.Experiment.Market.Buyers.Agents != 400 {
		t.Errorf("merged experiment: %d buyers, same hash %v", m.Experiment.Market.Buyers.Agents, m.Experiment.Hash == e.Hash)
	}
}
