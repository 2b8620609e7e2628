package experiments

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/coopsim/coopsim/experiments/report"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden from the current code")

// codeVersionLine matches summary.json's code_version field. It records
// the VCS revision of the binary (see CodeVersion) when Go stamps one, and
// whether the tree was modified, so it differs between builds and commits
// of identical behaviour (and go test binaries carry no revision at all);
// it is replaced by a placeholder before comparing.
var codeVersionLine = regexp.MustCompile(`"code_version": "[^"]*"`)

func normalizeSummary(b []byte) []byte {
	return codeVersionLine.ReplaceAll(b, []byte(`"code_version": "(normalized)"`))
}

// TestGoldenSummary pins summary.json of testdata/small.toml byte for
// byte, so any change to the model, the random streams or the statistics
// shows up here. After an intended change, regenerate it with
//
//	go test ./experiments -run TestGoldenSummary -update
//
// and say in the commit why the numbers moved. (The pinned floats come
// from amd64; a platform that fuses multiply-adds may differ in the last
// digits.)
func TestGoldenSummary(t *testing.T) {
	t.Parallel()
	e := mustLoad(t, "testdata/small.toml")
	dir := writeAll(t, mustRun(t, e, Options{Workers: 2}))
	got, err := os.ReadFile(filepath.Join(dir, report.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	got = normalizeSummary(got)
	golden := filepath.Join("testdata", "golden", "small.summary.json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", golden)
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (create it with -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("summary.json of testdata/small.toml differs from %s (regenerate with -update if intended): %s", golden, firstDiff(want, got))
	}
	if !bytes.Contains(want, []byte(`"code_version": "(normalized)"`)) {
		t.Errorf("%s: code_version is not normalized", golden)
	}
}
