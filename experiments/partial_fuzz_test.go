package experiments

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

const tinyExperiment = `name = "tiny"
seed = 3
runs = 4
start = "2025-01"
end = "2025-04"
baseline = "history"
[report]
window_start = "2025-01"
window_end = "2025-04"
annualized_at = ["2025-04"]
[market]
buyers.agents = 50
[[scenario]]
name = "history"
regime = "history"
[[scenario]]
name = "no-cap"
regime = "amended-no-cap"
`

// FuzzLoadPartial feeds arbitrary bytes to LoadPartial as partial.gob, which
// --resume and merge read and users may copy, cut or edit. It must never
// panic; what it accepts must write its result files (as merge and a
// resumed run do) without panicking. Seeds: a finished shard and an
// unfinished whole run of a tiny experiment, cut and bit-flipped.
//
//	go test ./experiments -run XXX -fuzz FuzzLoadPartial -fuzztime 60s
func FuzzLoadPartial(f *testing.F) {
	// A four-month market keeps the seeds small (22 kB, against 236 kB for
	// testdata/small.toml) and each input fast.
	e, err := LoadBytes([]byte(tinyExperiment), "tiny.toml", ".")
	if err != nil {
		f.Fatal(err)
	}
	for _, sh := range []Shard{{K: 1, N: 2}, {}} {
		o, err := Run(context.Background(), e, Options{Workers: 1, Shard: sh})
		if err != nil {
			f.Fatal(err)
		}
		dir := f.TempDir()
		if err := o.SavePartial(dir, !sh.Whole()); err != nil {
			f.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, PartialFile))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
		for _, at := range []int{len(b) / 7, len(b) / 3, len(b) * 2 / 3, len(b) - 9} {
			c := append([]byte(nil), b...)
			c[at] ^= 0x5a
			f.Add(c)
		}
	}
	f.Add([]byte{})
	f.Add([]byte("not gob"))
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, PartialFile), b, 0o644); err != nil {
			t.Fatal(err)
		}
		o, _, err := LoadPartial(dir)
		if err != nil {
			return
		}
		_, _ = o.WriteAll(t.TempDir())
	})
}
