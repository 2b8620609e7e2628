package market

import (
	"runtime"
	"syscall"
	"time"
)

// threadCPU returns the CPU time the calling OS thread has used, or false.
// Benchmarks lock their goroutine to its thread and report CPU time per
// decision beside wall time: on a machine shared with other work, wall time
// counts the time the thread waited for a core, CPU time does not.
func threadCPU() (time.Duration, bool) {
	const rusageThread = 1 // RUSAGE_THREAD
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}

func lockThread() func() { runtime.LockOSThread(); return runtime.UnlockOSThread }
