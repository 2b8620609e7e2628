package experiments

import (
	"os"
	"path/filepath"
	"testing"
)

// TestReadShardMetaErrors: an edited points-shard.json is refused naming
// the file, the line and the key, in the words of the other result files;
// a good one reads back.
func TestReadShardMetaErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ text, want string }{
		{"{\n  \"hash\": \"h\",\n  \"lo\": \"zero\"\n}\n", "points-shard.json line 3: field lo: want a whole number, got text (was it edited? run the shard again)"},
		{"{\n  \"hash\": \"h\",\n  \"colour\": 1\n}\n", "points-shard.json line 3: unknown key colour (was it edited? run the shard again)"},
		{"{\"hash\": \"h\",", "points-shard.json: "},
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, PointsShardFile), []byte(c.text), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := readShardMeta(dir)
		want := "experiments: " + filepath.Join(dir, c.want)
		if err == nil || len(err.Error()) < len(want) || err.Error()[:len(want)] != want {
			t.Errorf("%q: error %v, want it to start %q", c.text, err, want)
		}
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, PointsShardFile), []byte(`{"hash":"h","shard":"1/2","lo":0,"hi":4,"total":8}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if m, err := readShardMeta(dir); err != nil || m != (PointsShard{Hash: "h", Shard: "1/2", Hi: 4, Total: 8}) {
		t.Errorf("a good points-shard.json: %+v, %v", m, err)
	}
}
