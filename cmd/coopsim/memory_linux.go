package main

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// totalMemory returns the memory this process may use, in bytes: the
// machine's, or less where a limit says so (cgroupLimit: a container's or
// a Slurm job's cgroup; slurmMemory: a Slurm job's --mem); 0 when none can
// be read.
func totalMemory() uint64 {
	var si syscall.Sysinfo_t
	var total uint64
	if syscall.Sysinfo(&si) == nil {
		total = uint64(si.Totalram) * uint64(si.Unit)
	}
	self, _ := os.ReadFile("/proc/self/cgroup")
	total = lower(total, cgroupLimit("/sys/fs/cgroup", string(self)))
	return lower(total, slurmMemory(os.Getenv))
}

// cgroupLimit returns the lowest memory limit set on the process's cgroup
// (procCgroup is /proc/self/cgroup: lines hierarchy:controllers:path) or
// on a cgroup above it, in the cgroup file system mounted at root: v2's
// memory.max, and v1's memory.limit_in_bytes of the memory controller
// (mounted at root/memory); 0 when none is set or readable. A cgroup
// that the mount does not show (a container's own, mounted as the root)
// is counted by the mount's root.
func cgroupLimit(root, procCgroup string) uint64 {
	var lim uint64
	for _, line := range strings.Split(procCgroup, "\n") {
		f := strings.SplitN(line, ":", 3)
		if len(f) != 3 {
			continue
		}
		switch {
		case f[0] == "0" && f[1] == "": // v2's unified hierarchy
			lim = lower(lim, limitUp(root, f[2], "memory.max"))
		case slices.Contains(strings.Split(f[1], ","), "memory"): // v1
			lim = lower(lim, limitUp(filepath.Join(root, "memory"), f[2], "memory.limit_in_bytes"))
		}
	}
	return lim
}

// limitUp returns the lowest limit in file over the cgroup at path under
// the mount base and the cgroups above it, up to base; 0 for none.
func limitUp(base, path, file string) uint64 {
	var lim uint64
	dir := filepath.Join(base, filepath.Clean("/"+path)) // never above base
	for {
		lim = lower(lim, readLimit(filepath.Join(dir, file)))
		if dir == base {
			return lim
		}
		dir = filepath.Dir(dir)
	}
}

// readLimit reads a limit in bytes from file: 0 when it cannot be read, is
// "max" (v2's none) or is at least 2^62 (v1's none, the largest multiple
// of the page size).
func readLimit(file string) uint64 {
	b, err := os.ReadFile(file)
	if err != nil {
		return 0
	}
	n, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	if err != nil || n >= 1<<62 {
		return 0
	}
	return n
}

// slurmMemory returns the memory a Slurm job was given, from its
// environment (getenv): SLURM_MEM_PER_NODE (--mem), or SLURM_MEM_PER_CPU
// (--mem-per-cpu) times SLURM_CPUS_ON_NODE, in MiB; 0 outside Slurm or
// without either.
func slurmMemory(getenv func(string) string) uint64 {
	num := func(key string) uint64 {
		n, err := strconv.ParseUint(getenv(key), 10, 64)
		if err != nil || n >= 1<<32 {
			return 0
		}
		return n
	}
	mib := num("SLURM_MEM_PER_NODE")
	if mib == 0 {
		mib = num("SLURM_MEM_PER_CPU") * num("SLURM_CPUS_ON_NODE") // below 2^64
	}
	if mib >= 1<<40 { // an exbibyte: none, in effect
		return 0
	}
	return mib << 20
}

// lower returns the lower of two limits, 0 meaning none.
func lower(a, b uint64) uint64 {
	if a == 0 || (b != 0 && b < a) {
		return b
	}
	return a
}
