package experiments

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/coopsim/coopsim/experiments/report"
	"github.com/coopsim/coopsim/internal/jsondecode"
)

// The design-point files: every point's factor values and outputs, and,
// in a shard's directory, which points it holds.
const (
	PointsFile      = "points.csv"
	PointsShardFile = "points-shard.json"
)

// PointsShard says which design points a shard's points.csv holds.
type PointsShard struct {
	Hash  string `json:"hash"`
	Shard string `json:"shard"`
	Lo    int    `json:"lo"`
	Hi    int    `json:"hi"`
	Total int    `json:"total"`
	// End, when above Hi, marks an interrupted run: points Hi..End-1 are
	// still to run (with --resume).
	End int `json:"end,omitempty"`
}

// readShardMeta reads a directory's points-shard.json.
func readShardMeta(dir string) (PointsShard, error) {
	var meta PointsShard
	b, err := os.ReadFile(filepath.Join(dir, PointsShardFile))
	if err != nil {
		return meta, fmt.Errorf("experiments: %s: not a shard of a design (no %s): give the directories written with --shard", dir, PointsShardFile)
	}
	if err := jsondecode.Decode(b, &meta); err != nil {
		where := filepath.Join(dir, PointsShardFile)
		line, msg := jsondecode.Fault(err, "was it edited? run the shard again")
		if line > 0 {
			where = fmt.Sprintf("%s line %d", where, line)
		}
		return meta, fmt.Errorf("experiments: %s: %s", where, msg)
	}
	return meta, nil
}

// ReadInterrupted reads the points an interrupted study saved in dir,
// which must be of the study hash and planned for points lo..end-1. It
// returns their outputs (points lo..lo+len-1).
func ReadInterrupted(dir, hash string, lo, end, nFactors, nOut int) ([][]float64, error) {
	meta, err := readShardMeta(dir)
	if err != nil || meta.Hash != hash || meta.Lo != lo || meta.End != end || meta.Hi < meta.Lo || meta.Hi >= meta.End {
		return nil, fmt.Errorf("experiments: %s holds no interrupted run of this study and shard (its file, seed, design or shard differ, or it finished): run afresh without --resume", dir)
	}
	y := make([][]float64, meta.Hi)
	if err := readPointRows(filepath.Join(dir, PointsFile), meta, nFactors, nOut, y); err != nil {
		return nil, err
	}
	return y[lo:], nil
}

func fnum(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// factorText writes a factor's value as the experiment file would: a
// month as YYYY-MM, a number in its shortest exact form.
func factorText(f Factor, v float64) string {
	if m, ok := paramValue(f, v).(string); ok {
		return m
	}
	return fnum(v)
}

// WritePoints writes points.csv: one row per design point from lo, with
// its index, factor values (months as YYYY-MM) and outputs, each number in
// the shortest form that reads back to the same float64 (so a merge
// reproduces the bits).
func WritePoints(dir string, fs []Factor, outs []Output, lo int, values, y [][]float64) error {
	return report.WriteFileAtomic(filepath.Join(dir, PointsFile), func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		bw.WriteString("point")
		for _, f := range fs {
			bw.WriteString("," + f.Path)
		}
		for _, o := range outs {
			bw.WriteString("," + o.Name)
		}
		bw.WriteString("\n")
		for i, row := range y {
			bw.WriteString(strconv.Itoa(lo + i))
			for j, v := range values[lo+i] {
				bw.WriteString("," + factorText(fs[j], v))
			}
			for _, v := range row {
				bw.WriteString("," + fnum(v))
			}
			bw.WriteString("\n")
		}
		return bw.Flush()
	})
}

// WritePointsShard writes a shard's points.csv and points-shard.json.
func WritePointsShard(dir string, meta PointsShard, fs []Factor, outs []Output, values, y [][]float64) error {
	if err := WritePoints(dir, fs, outs, meta.Lo, values, y); err != nil {
		return err
	}
	return writeJSON(filepath.Join(dir, PointsShardFile), meta)
}

// ReadPointsShards reads the shards in dirs and returns every point's
// outputs, in point order. The shards must be of the study hash, cover
// points 0..total-1 once each, and hold nOut outputs a point.
func ReadPointsShards(dirs []string, hash string, total, nFactors, nOut int) ([][]float64, error) {
	y := make([][]float64, total)
	for _, dir := range dirs {
		meta, err := readShardMeta(dir)
		if err != nil {
			return nil, err
		}
		if meta.End > meta.Hi {
			return nil, fmt.Errorf("experiments: %s: an interrupted shard (points %d to %d of %d done): finish it with --shard %s --resume %s", dir, meta.Lo, meta.Hi-1, meta.End-meta.Lo, meta.Shard, dir)
		}
		if meta.Hash != hash || meta.Total != total {
			return nil, fmt.Errorf("experiments: %s: a shard of another design or experiment (its file, seed or design differ): rerun it with this file", dir)
		}
		if meta.Lo < 0 || meta.Lo > meta.Hi || meta.Hi > total {
			return nil, fmt.Errorf("experiments: %s: points %d to %d, outside the design's 0 to %d: the file was edited; rerun the shard", filepath.Join(dir, PointsShardFile), meta.Lo, meta.Hi-1, total-1)
		}
		if err := readPointRows(filepath.Join(dir, PointsFile), meta, nFactors, nOut, y); err != nil {
			return nil, err
		}
	}
	if i := slices.IndexFunc(y, func(r []float64) bool { return r == nil }); i >= 0 {
		return nil, fmt.Errorf("experiments: design point %d is in none of the shards: give every shard's directory", i)
	}
	return y, nil
}

// readPointRows reads a shard's points.csv into y, refusing a point seen
// before.
func readPointRows(path string, meta PointsShard, nFactors, nOut int, y [][]float64) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("experiments: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<24)
	line, want := 0, meta.Lo
	for sc.Scan() {
		line++
		if line == 1 {
			continue
		}
		cells := strings.Split(sc.Text(), ",")
		bad := func(msg string) error { return fmt.Errorf("experiments: %s:%d: %s", path, line, msg) }
		if len(cells) != 1+nFactors+nOut {
			return bad(fmt.Sprintf("%d columns, want %d", len(cells), 1+nFactors+nOut))
		}
		i, err := strconv.Atoi(cells[0])
		if err != nil || i != want || i >= meta.Hi {
			return bad(fmt.Sprintf("point %q, want %d", cells[0], want))
		}
		if y[i] != nil {
			return bad(fmt.Sprintf("point %d appears in two shards", i))
		}
		row := make([]float64, nOut)
		for k := range row {
			if row[k], err = strconv.ParseFloat(cells[1+nFactors+k], 64); err != nil || math.IsNaN(row[k]) || math.IsInf(row[k], 0) {
				return bad(fmt.Sprintf("output %q, want a finite number", cells[1+nFactors+k]))
			}
		}
		y[i] = row
		want++
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("experiments: %s: %w", path, err)
	}
	if want != meta.Hi {
		return errors.New("experiments: " + path + ": holds points up to " + strconv.Itoa(want) + ", its shard ends at " + strconv.Itoa(meta.Hi) + ": the shard is incomplete")
	}
	return nil
}
