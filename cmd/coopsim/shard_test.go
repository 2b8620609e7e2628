package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/internal/words"
)

// TestShardManifest: a finished shard's directory holds shard.json,
// written last, saying which runs it holds; an interrupted shard's does
// not, so it looks incomplete; --force replaces the manifest too.
func TestShardManifest(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	d := filepath.Join(root, "s2")
	cliOK(t, "run", smallFile, "--quiet", "--runs", "7", "--seed", "5", "--shard", "2/3", "--out", d)
	b, err := os.ReadFile(filepath.Join(d, ShardFile))
	if err != nil {
		t.Fatalf("finished shard: %v", err)
	}
	var m shardManifest
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	p, complete, err := experiments.LoadPartial(d)
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := p.Shard.Range(7)
	want := shardManifest{Experiment: "small", Shard: "2/3", Runs: hi - lo, FirstRun: lo, LastRun: hi - 1, TotalRuns: 7, Seed: 5,
		CodeVersion: experiments.CodeVersion(), Complete: true, Merge: m.Merge}
	if m != want || !complete || len(p.RunIDs) != m.Runs || !strings.Contains(m.Merge, "all 3 shards") {
		t.Errorf("shard.json %+v, want %+v (partial.gob: %d runs, complete %v)", m, want, len(p.RunIDs), complete)
	}
	// Written last: not older than the partial result.
	si, _ := os.Stat(filepath.Join(d, ShardFile))
	pi, _ := os.Stat(filepath.Join(d, experiments.PartialFile))
	if si.ModTime().Before(pi.ModTime()) {
		t.Error("shard.json is older than partial.gob")
	}

	// An interrupted shard has no manifest.
	di := filepath.Join(root, "s1")
	_, _, err = cliRun(newCountdown(3), "run", smallFile, "--quiet", "--runs", "40", "--shard", "1/2", "--workers", "1", "--out", di)
	if err == nil {
		t.Fatal("the interrupted shard succeeded")
	}
	if !exists(filepath.Join(di, experiments.PartialFile)) || exists(filepath.Join(di, ShardFile)) {
		t.Errorf("interrupted shard: partial.gob %v, shard.json %v; want the partial result and no manifest",
			exists(filepath.Join(di, experiments.PartialFile)), exists(filepath.Join(di, ShardFile)))
	}

	// --force over a finished shard writes the new manifest.
	cliOK(t, "run", smallFile, "--quiet", "--runs", "9", "--seed", "5", "--shard", "2/3", "--out", d, "--force")
	b, _ = os.ReadFile(filepath.Join(d, ShardFile))
	if !strings.Contains(string(b), `"total_runs": 9`) {
		t.Errorf("after --force, shard.json:\n%s", b)
	}
}

// TestNoPlotsSaysWhatWent: --force --no-plots removes the earlier results'
// figures (they would not match the new results) and says so; without
// earlier figures it says nothing.
func TestNoPlotsSaysWhatWent(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	var shards []string
	for _, k := range []string{"1", "2"} {
		d := filepath.Join(root, "s"+k)
		shards = append(shards, d)
		cliOK(t, "run", smallFile, "--quiet", "--runs", "4", "--shard", k+"/2", "--out", d)
	}
	m := filepath.Join(root, "m")
	merge := func(extra ...string) string {
		out, _ := cliOK(t, append(append(append([]string{"merge"}, shards...), "--out", m), extra...)...)
		return out
	}
	merge()
	figs, _ := os.ReadDir(filepath.Join(m, "plots"))
	if len(figs) == 0 {
		t.Fatal("merge drew no figures")
	}
	out := merge("--force", "--no-plots")
	want := "removed the earlier results' " + words.Plural(len(figs), "figure") + " from " + filepath.Join(m, "plots")
	if !strings.Contains(out, want) || !strings.Contains(out, "coopsim plot "+m) {
		t.Errorf("merge --force --no-plots:\n%s\nwant %q and how to redraw", out, want)
	}
	if exists(filepath.Join(m, "plots")) {
		t.Error("the earlier figures are still there")
	}
	if out := merge("--force", "--no-plots"); strings.Contains(out, "removed") {
		t.Errorf("with no earlier figures, merge says:\n%s", out)
	}
	// run says the same.
	r := filepath.Join(root, "r")
	cliOK(t, "run", smallFile, "--quiet", "--runs", "2", "--out", r)
	out, _ = cliOK(t, "run", smallFile, "--quiet", "--runs", "2", "--out", r, "--force", "--no-plots")
	if !strings.Contains(out, "removed the earlier results'") {
		t.Errorf("run --force --no-plots:\n%s", out)
	}
}
