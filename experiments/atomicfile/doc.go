// Package atomicfile writes files whole or not at all: a file is written
// under a temporary name in its destination's directory, fsynced, and
// renamed into place only when complete, so a reader (or a process killed
// midway) never sees half a file. It owns nothing else.
//
// It lives under experiments/ (and not under an internal/ folder) because
// experiments/report, calibration and cmd/coopsim all write through it, and
// Go lets only the tree above an internal/ folder import it.
package atomicfile
