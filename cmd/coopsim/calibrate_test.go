package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopsim/coopsim/calibration"
)

// TestCalibrateQuick runs `coopsim calibrate --quick` on the default
// experiment and checks its table and files.
func TestCalibrateQuick(t *testing.T) {
	if testing.Short() {
		t.Skip("a quick fit: seconds")
	}
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"calibrate", "--quick", "--quiet", "--out", dir}, &stdout, &stderr); err != nil {
		t.Fatalf("calibrate: %v\n%s", err, stderr.String())
	}
	for _, want := range []string{"genai_adoption_2023_04", "buyers.diffusion.p", "objective", filepath.Join(dir, "fit.json")} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
		}
	}
	for _, f := range []string{"fit.json", "fitted.toml", "plots/calibration.png"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	if _, err := calibration.ReadFitted(filepath.Join(dir, "fitted.toml")); err != nil {
		t.Error(err)
	}
}

func TestCalibrateBadTargets(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"calibrate", "--targets", "no/such/targets.toml"}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "calibration:") {
		t.Errorf("error %v, want a calibration error naming the file", err)
	}
}
