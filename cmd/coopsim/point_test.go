package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/experiments"
)

// run --point-estimate ignores the experiment's [uncertainty] table: the
// run writes no parameter draws (params.csv) where the same command
// without the flag does, and its results differ from the uncertain run's.
func TestRunPointEstimate(t *testing.T) {
	t.Parallel()
	file := filepath.Join("..", "..", "experiments", "testdata", "uncertainty.toml")
	summary := func(point bool) []byte {
		t.Helper()
		dir := t.TempDir()
		args := []string{"run", file, "--runs", "2", "--no-plots", "--quiet", "--out", dir}
		if point {
			args = append(args, "--point-estimate")
		}
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), args, &stdout, &stderr); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr.String())
		}
		_, err := os.Stat(filepath.Join(dir, experiments.ParamsFile))
		if point != os.IsNotExist(err) {
			t.Errorf("point estimate %v: %s stat error %v", point, experiments.ParamsFile, err)
		}
		// The results line lists params.csv where it is written.
		if listed := strings.Contains(stdout.String(), ", "+experiments.ParamsFile); listed == point {
			t.Errorf("point estimate %v: results line lists %s: %v\n%s", point, experiments.ParamsFile, listed, stdout.String())
		}
		b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if bytes.Equal(summary(true), summary(false)) {
		t.Error("--point-estimate gave the uncertain run's summary.json")
	}
}
