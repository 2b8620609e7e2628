package main

import (
	"os"
	"strconv"
	"strings"
	"syscall"
)

// totalMemory returns the machine's memory, or the cgroup's limit when it
// is lower (a container), in bytes; 0 when neither can be read.
func totalMemory() uint64 {
	var si syscall.Sysinfo_t
	var total uint64
	if syscall.Sysinfo(&si) == nil {
		total = uint64(si.Totalram) * uint64(si.Unit)
	}
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if lim, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64); err == nil && (total == 0 || lim < total) {
			total = lim
		}
	}
	return total
}
