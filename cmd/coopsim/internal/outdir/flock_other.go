//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package outdir

import (
	"errors"
	"os"
)

var errBusy = errors.New("locked")

// flock does nothing where flock(2) is missing: the directory is checked
// for writing, but not locked.
func flock(f *os.File) error { return nil }

func samePath(f *os.File, path string) bool { return true }
