package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/plots"
)

// The discover command runs end to end: its report agrees with the design
// points it wrote (how many meet the condition; the chosen box is at least
// as dense as the whole design), and three shards merged give the same
// bytes as one run.
func TestDiscoverShardsMerge(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	whole := filepath.Join(tmp, "whole")
	out, _ := cliOK(t, "discover", studyFile, "--out", whole, "--quiet")
	if !strings.Contains(out, "PRIM box") {
		t.Errorf("output:\n%s", out)
	}
	var rep experiments.DiscoverReport
	b, err := os.ReadFile(filepath.Join(whole, experiments.DiscoverFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	pts, err := os.ReadFile(filepath.Join(whole, experiments.PointsFile))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(pts)), "\n")[1:]
	meet := 0
	for _, l := range lines {
		cells := strings.Split(l, ",")
		v, err := strconv.ParseFloat(cells[len(cells)-1], 64)
		if err != nil {
			t.Fatal(err)
		}
		if v > 6.45e10 { // the condition in testdata/sensitivity.toml
			meet++
		}
	}
	if len(lines) != rep.Points || meet != rep.Interesting {
		t.Errorf("points.csv: %d points, %d meet the condition; discover.json says %d and %d", len(lines), meet, rep.Points, rep.Interesting)
	}
	if ch := rep.Trajectory[rep.Chosen]; ch.Density < rep.Trajectory[0].Density {
		t.Errorf("chosen box density %g below the design's %g", ch.Density, rep.Trajectory[0].Density)
	}
	if !exists(filepath.Join(whole, "plots", plots.PeelingFile)) {
		t.Error("no peeling figure")
	}
	var dirs []string
	for k := 1; k <= 3; k++ {
		d := filepath.Join(tmp, "shard", strconv.Itoa(k))
		cliOK(t, "discover", studyFile, "--shard", strconv.Itoa(k)+"/3", "--out", d, "--quiet")
		dirs = append(dirs, d)
	}
	merged := filepath.Join(tmp, "merged")
	cliOK(t, append([]string{"discover", studyFile, "--merge", "--out", merged, "--quiet"}, dirs...)...)
	sameFiles(t, whole, merged, experiments.DiscoverFile, experiments.DiscoverTrajectoryFile, experiments.PointsFile)
	// A sensitivity shard is not a discover shard.
	s := filepath.Join(tmp, "sens-shard")
	cliOK(t, "sensitivity", studyFile, "--shard", "1/1", "--out", s, "--quiet")
	cliFails(t, []string{"another design"}, "discover", studyFile, "--merge", "--out", filepath.Join(tmp, "m2"), s)
}

func TestDiscoverBadInput(t *testing.T) {
	t.Parallel()
	base, err := os.ReadFile(studyFile)
	if err != nil {
		t.Fatal(err)
	}
	cond := `condition = {metric = "net_revenue/openai", scenario = "history", op = ">", value = 6.45e10}`
	for _, c := range []struct {
		name, new string
		want      []string
	}{
		{"unknown metric", `condition = {metric = "net_revenue/opnai", scenario = "history", op = ">", value = 0}`, []string{"discover.condition.metric", "did you mean"}},
		{"unknown scenario", `condition = {metric = "net_revenue/openai", scenario = "histry", op = ">", value = 0}`, []string{"discover.condition.scenario", "did you mean"}},
		{"bad op", `condition = {metric = "net_revenue/openai", scenario = "history", op = "=>", value = 0}`, []string{"discover.condition.op"}},
		{"no value", `condition = {metric = "net_revenue/openai", scenario = "history", op = ">"}`, []string{"discover.condition.value", "missing"}},
		{"no condition", ``, []string{"discover.condition", "missing"}},
		{"too large", cond + "\nmax_points = 10", []string{"discover.max_points", "points = 32"}},
		{"bad design", cond + "\ndesign = \"grid\"", []string{"discover.design"}},
		{"op not an operator", `condition = {metric = "net_revenue/openai", scenario = "history", op = "> banana", value = 0}`, []string{"discover.condition.op", "want one of"}},
		{"value not a number", `condition = {metric = "net_revenue/openai", scenario = "history", op = ">", value = "banana"}`, []string{"discover.condition.value"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "bad.toml")
			if err := os.WriteFile(file, []byte(strings.Replace(string(base), cond, c.new, 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			refusedEverywhere(t, c.want, file, filepath.Join(dir, "out"))
		})
	}
}

// A condition no design point meets is reported in one line after the
// runs, and the simulated points are kept (points.csv), with no result.
func TestDiscoverNoPointMeetsCondition(t *testing.T) {
	t.Parallel()
	base, err := os.ReadFile(studyFile)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(base), `op = ">", value = 6.45e10`, `op = ">", value = 1e15`, 1)
	dir := t.TempDir()
	file := filepath.Join(dir, "none.toml")
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	cliFails(t, []string{"no design point meets the condition"}, "discover", file, "--out", out, "--quiet")
	if !exists(filepath.Join(out, experiments.PointsFile)) || exists(filepath.Join(out, experiments.DiscoverFile)) {
		t.Error("want points.csv kept and no discover.json")
	}
}
