package main

import (
	"encoding/json"
	"path/filepath"

	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/experiments/atomicfile"
	"github.com/coopsim/coopsim/internal/words"
)

// ShardFile is the manifest a finished shard's directory holds beside its
// partial result. It is written last, as summary.json is for a whole run,
// so a shard directory without it is visibly incomplete; it is for people
// and scripts (merge reads partial.gob, which says the same).
const ShardFile = "shard.json"

// shardManifest is ShardFile's content.
type shardManifest struct {
	Experiment  string `json:"experiment"`
	Shard       string `json:"shard"`     // K/N
	Runs        int    `json:"runs"`      // runs done, all of the shard's
	FirstRun    int    `json:"first_run"` // run indices first_run to last_run of the experiment's runs
	LastRun     int    `json:"last_run"`
	TotalRuns   int    `json:"total_runs"` // the experiment's runs, over all shards
	Seed        uint64 `json:"seed"`
	CodeVersion string `json:"code_version"`
	Complete    bool   `json:"complete"`
	Merge       string `json:"merge"` // how to combine the shards
}

// writeShardManifest writes ShardFile for the finished shard o in dir.
func writeShardManifest(o *experiments.Outcome, dir string) error {
	e := o.Experiment
	lo, hi := o.Shard.Range(e.Runs)
	m := shardManifest{Experiment: e.Name, Shard: o.Shard.String(), Runs: len(o.RunIDs), FirstRun: lo, LastRun: hi - 1,
		TotalRuns: e.Runs, Seed: e.Seed, CodeVersion: experiments.CodeVersion(), Complete: true,
		Merge: "coopsim merge DIR... --out DIR, with the directories of all " + words.Plural(o.Shard.N, "shard")}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(filepath.Join(dir, ShardFile), append(b, '\n'))
}
