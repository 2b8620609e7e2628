package experiments

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// cpuChildEnv names the directory a child test process (started by
// TestResultsIndependentOfCPU) writes its results into.
const cpuChildEnv = "COOPSIM_TEST_CPU_CHILD_DIR"

// mathExpProbe is math.Exp's bits over a range of arguments: under
// GODEBUG=cpu.fma=off they differ on an amd64 CPU with FMA, which shows the
// setting took effect.
func mathExpProbe() []byte {
	var b []byte
	for i := range 2000 {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(math.Exp(float64(i)*0.3711-350)))
	}
	return b
}

// TestResultsIndependentOfCPU runs a small experiment here and in a child
// process with GODEBUG=cpu.fma=off (math.Exp then takes its code path for
// CPUs without fused multiply-adds) and compares the result files byte for
// byte.
func TestResultsIndependentOfCPU(t *testing.T) {
	t.Parallel()
	e := mustLoad(t, "testdata/small.toml")
	if dir := os.Getenv(cpuChildEnv); dir != "" {
		if _, err := mustRun(t, e, Options{Workers: 2}).WriteAll(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "exp.bin"), mathExpProbe(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	child := filepath.Join(t.TempDir(), "child")
	cmd := exec.Command(os.Args[0], "-test.run=^TestResultsIndependentOfCPU$", "-test.count=1")
	cmd.Env = append(os.Environ(), cpuChildEnv+"="+child, "GODEBUG=cpu.fma=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	probe, err := os.ReadFile(filepath.Join(child, "exp.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(probe, mathExpProbe()) {
		t.Skip("math.Exp gives the same bits with GODEBUG=cpu.fma=off here (no FMA on this CPU, or not amd64): nothing to compare")
	}
	sameFiles(t, writeAll(t, mustRun(t, e, Options{Workers: 2})), child)
}
