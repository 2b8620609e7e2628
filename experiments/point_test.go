package experiments

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// AtPointEstimate drops the [uncertainty] table and nothing else: its hash
// (which covers everything a result depends on) is that of the same file
// with the table deleted, and e itself keeps its uncertainty.
func TestAtPointEstimate(t *testing.T) {
	t.Parallel()
	e := mustLoad(t, "testdata/uncertainty.toml")
	p := e.AtPointEstimate()
	if p.Uncertainty != nil || e.Uncertainty == nil {
		t.Fatalf("point copy uncertainty %v, original %v", p.Uncertainty, e.Uncertainty)
	}
	if p.Hash == e.Hash {
		t.Error("the point copy has the uncertain experiment's hash")
	}
	src, err := os.ReadFile("testdata/uncertainty.toml")
	if err != nil {
		t.Fatal(err)
	}
	// Delete [uncertainty] and [uncertainty.market] up to the next table.
	stripped := regexp.MustCompile(`(?ms)^\[uncertainty(\.market)?\]\n.*?(^\[\[)`).ReplaceAll(src, []byte("$2"))
	if len(stripped) == len(src) {
		t.Fatal("the test's edit removed nothing")
	}
	path := filepath.Join(t.TempDir(), "point.toml")
	if err := os.WriteFile(path, stripped, 0o644); err != nil {
		t.Fatal(err)
	}
	want := mustLoad(t, path)
	if want.Uncertainty != nil {
		t.Fatal("the stripped file still has uncertainty")
	}
	if p.Hash != want.Hash {
		t.Errorf("point copy hash %s, the file without [uncertainty] %s", p.Hash, want.Hash)
	}
	if q := p.AtPointEstimate(); q != p {
		t.Error("an experiment without uncertainty is not returned as is")
	}
}
