package experiments

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzReadPoints feeds arbitrary points-shard.json and points.csv, which a
// shard or an interrupted study leaves and users may copy, cut or edit, to
// the merge (ReadPointsShards) and to --resume (ReadInterrupted). Neither
// may panic or allocate beyond the design's size; what they accept holds
// one finite output row of the right length for every point asked for.
// Seeds: the shards and an interrupted run of the test study
// (testdata/sensitivity.toml), cut, edited and with bounds out of range.
//
//	go test ./experiments -run XXX -fuzz FuzzReadPoints -fuzztime 60s
func FuzzReadPoints(f *testing.F) {
	e, err := Load(filepath.Join("testdata", "sensitivity.toml"))
	if err != nil {
		f.Fatal(err)
	}
	s, err := e.Sensitivity()
	if err != nil {
		f.Fatal(err)
	}
	_, values, _, err := e.SensitivityDesign(s)
	if err != nil {
		f.Fatal(err)
	}
	total, nF, nOut, hash := s.Points(), len(s.Factors), len(s.Outputs), "h"
	y := make([][]float64, total)
	for i := range y {
		y[i] = []float64{float64(i) * 1.5e9, -float64(i) / 3}
	}
	seed := func(meta PointsShard) {
		dir := f.TempDir()
		if err := WritePointsShard(dir, meta, s.Factors, s.Outputs, values, y[meta.Lo:meta.Hi]); err != nil {
			f.Fatal(err)
		}
		m, err1 := os.ReadFile(filepath.Join(dir, PointsShardFile))
		c, err2 := os.ReadFile(filepath.Join(dir, PointsFile))
		if err1 != nil || err2 != nil {
			f.Fatal(err1, err2)
		}
		f.Add(m, c)
		f.Add(m, c[:len(c)/2])
		f.Add(m, []byte(strings.Replace(string(c), "\n1,", "\n-1,", 1)))
		f.Add(m, []byte(strings.Replace(string(c), ",1500000000", ",NaN", 1)))
		for _, edit := range []func(*PointsShard){
			func(p *PointsShard) { p.Lo = -1 },
			func(p *PointsShard) { p.Hi = total + 5 },
			func(p *PointsShard) { p.Hi = -3 },
			func(p *PointsShard) { p.Hi = 1 << 50 },
			func(p *PointsShard) { p.Lo, p.Hi = p.Hi, p.Lo },
		} {
			bad := meta
			edit(&bad)
			b, _ := json.Marshal(bad)
			f.Add(b, c)
		}
	}
	seed(PointsShard{Hash: hash, Lo: 0, Hi: total, Total: total})
	seed(PointsShard{Hash: hash, Shard: "2/3", Lo: 8, Hi: 16, Total: total})
	seed(PointsShard{Hash: hash, Lo: 0, Hi: 10, Total: total, End: total})
	f.Add([]byte(`{}`), []byte{})
	f.Add([]byte(`not json`), []byte("point\n0,1\n"))
	f.Fuzz(func(t *testing.T, meta, points []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, PointsShardFile), meta, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, PointsFile), points, 0o644); err != nil {
			t.Fatal(err)
		}
		check := func(what string, rows [][]float64, want int) {
			if len(rows) != want {
				t.Fatalf("%s accepted %d rows, want %d", what, len(rows), want)
			}
			for i, r := range rows {
				if len(r) != nOut {
					t.Fatalf("%s: row %d has %d outputs, want %d", what, i, len(r), nOut)
				}
				for _, v := range r {
					if math.IsNaN(v) || math.IsInf(v, 0) {
						t.Fatalf("%s: row %d holds %g", what, i, v)
					}
				}
			}
		}
		if rows, err := ReadPointsShards([]string{dir}, hash, total, nF, nOut); err == nil {
			check("merge", rows, total)
		}
		if rows, err := ReadInterrupted(dir, hash, 0, total, nF, nOut); err == nil && len(rows) > total {
			t.Fatalf("resume accepted %d rows of a %d-point design", len(rows), total)
		} else if err == nil {
			check("resume", rows, len(rows))
		}
	})
}
