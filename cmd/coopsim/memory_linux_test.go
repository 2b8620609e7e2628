package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestCgroupLimit: the lowest limit over the process's cgroup and those
// above it counts, in v2 (memory.max, "max" for none) and in v1 (the
// memory controller's memory.limit_in_bytes, 2^63 rounded to a page for
// none), a path the mount does not show counts the mount's root, a path
// cannot climb out of the mount, and no limit or no file gives 0.
func TestCgroupLimit(t *testing.T) {
	root := t.TempDir()
	put := func(rel, text string) {
		t.Helper()
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// v2: a Slurm job's step under a job limited to 8 GiB, the step to 12.
	put("memory.max", "max\n")
	put("system.slice/job_7/memory.max", "8589934592\n")
	put("system.slice/job_7/step_0/memory.max", "12884901888\n")
	// v1: a container limited at 3 GiB, its parent unlimited.
	put("memory/memory.limit_in_bytes", "9223372036854771712\n")
	put("memory/docker/memory.limit_in_bytes", "9223372036854771712\n")
	put("memory/docker/abc/memory.limit_in_bytes", "3221225472\n")
	for _, c := range []struct {
		name, self string
		want       uint64
	}{
		{"v2 nested", "0::/system.slice/job_7/step_0\n", 8 << 30},
		{"v2 root, no limit", "0::/\n", 0},
		{"v2 not shown", "0::/elsewhere/x\n", 0},
		{"v1 container", "9:pids:/docker/abc\n4:cpu,memory:/docker/abc\n", 3 << 30},
		{"v1 and v2 together: the lower", "4:memory:/docker/abc\n0::/system.slice/job_7\n", 3 << 30},
		{"v1 unlimited", "4:memory:/docker\n", 0},
		{"climbing out stays inside", "0::/../../system.slice/job_7\n", 8 << 30},
		{"no memory line", "3:cpuset:/\n", 0},
		{"garbage", "not a cgroup file", 0},
	} {
		if got := cgroupLimit(root, c.self); got != c.want {
			t.Errorf("%s: cgroupLimit = %d, want %d", c.name, got, c.want)
		}
	}
	put("memory/docker/abc/memory.limit_in_bytes", "lots\n")
	if got := cgroupLimit(root, "4:memory:/docker/abc\n"); got != 0 {
		t.Errorf("an unreadable limit: %d, want 0", got)
	}
}

// TestSlurmMemory: a job's --mem (SLURM_MEM_PER_NODE, MiB) counts, or its
// --mem-per-cpu times its CPUs; outside Slurm, or with values that are not
// numbers or absurdly large, none.
func TestSlurmMemory(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want uint64
	}{
		{map[string]string{"SLURM_MEM_PER_NODE": "4096"}, 4 << 30},
		{map[string]string{"SLURM_MEM_PER_NODE": "4096", "SLURM_MEM_PER_CPU": "1", "SLURM_CPUS_ON_NODE": "2"}, 4 << 30},
		{map[string]string{"SLURM_MEM_PER_CPU": "1024", "SLURM_CPUS_ON_NODE": "3"}, 3 << 30},
		{map[string]string{"SLURM_MEM_PER_CPU": "1024"}, 0},
		{map[string]string{}, 0},
		{map[string]string{"SLURM_MEM_PER_NODE": "4G"}, 0},
		{map[string]string{"SLURM_MEM_PER_CPU": "4294967295", "SLURM_CPUS_ON_NODE": "4294967295"}, 0},
	} {
		if got := slurmMemory(func(k string) string { return c.env[k] }); got != c.want {
			t.Errorf("%v: slurmMemory = %d, want %d", c.env, got, c.want)
		}
	}
}
