package outdir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// LockFile is the name of the lock file inside a locked directory. Commands
// that look at a directory's contents ignore it.
const LockFile = ".coopsim.lock"

// maxHolder bounds the holder description kept in the lock file, and read
// back from it.
const maxHolder = 200

// BusyError says that another process holds a directory's lock.
type BusyError struct {
	Dir    string
	PID    int    // 0 when the holder has not written its name yet
	Holder string // the holder's command line, as it described itself
}

func (e *BusyError) Error() string {
	who := "another coopsim"
	if e.PID > 0 {
		who = fmt.Sprintf("another coopsim (pid %d: %s)", e.PID, e.Holder)
	}
	return fmt.Sprintf("output directory %s is in use by %s: wait for it to finish, or choose another directory", e.Dir, who)
}

// UnwritableError says that a directory cannot be created or written.
type UnwritableError struct {
	Dir string
	Err error
}

func (e *UnwritableError) Error() string {
	return fmt.Sprintf("output directory %s cannot be created or written (%v): choose another directory", e.Dir, e.Err)
}

func (e *UnwritableError) Unwrap() error { return e.Err }

// Lock is a held directory lock.
type Lock struct {
	dir     string
	f       *os.File
	created string // the topmost directory Acquire created, removed again if left empty
}

// Acquire creates dir if needed (so an unwritable place is found before
// any work), checks it can be written, and takes its lock for this
// process, described by holder (e.g. the command line). A directory locked
// by another process, or by another Acquire in this one, gives a
// *BusyError naming the holder; one that cannot be created or written an
// *UnwritableError. Release the lock when done.
func Acquire(dir, holder string) (*Lock, error) {
	created, err := mkdirAll(dir)
	if err != nil {
		return nil, &UnwritableError{Dir: dir, Err: err}
	}
	l := &Lock{dir: dir, created: created}
	path := filepath.Join(dir, LockFile)
	for range 10 { // retry only while holders remove the file under us
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			l.removeCreated()
			return nil, &UnwritableError{Dir: dir, Err: err}
		}
		if err := flock(f); err != nil {
			f.Close()
			l.removeCreated()
			if errors.Is(err, errBusy) {
				return nil, readHolder(dir, path)
			}
			return nil, &UnwritableError{Dir: dir, Err: err}
		}
		// The previous holder may have removed the file between our open
		// and our lock: then we hold a lock on a file nobody else sees.
		if !samePath(f, path) {
			f.Close()
			continue
		}
		l.f = f
		if err := l.describe(holder); err != nil {
			l.Release()
			return nil, &UnwritableError{Dir: dir, Err: err}
		}
		return l, nil
	}
	l.removeCreated()
	return nil, &BusyError{Dir: dir}
}

// describe writes "pid holder" into the lock file, for a refused writer
// to name this process.
func (l *Lock) describe(holder string) error {
	holder = strings.Join(strings.Fields(holder), " ")
	if len(holder) > maxHolder {
		holder = holder[:maxHolder] + "…"
	}
	if err := l.f.Truncate(0); err != nil {
		return err
	}
	_, err := l.f.WriteAt([]byte(strconv.Itoa(os.Getpid())+" "+holder+"\n"), 0)
	return err
}

// Release removes the lock file and drops the lock; a directory that
// Acquire created and that is still empty is removed too, so that a
// command that failed leaves nothing behind. Release of a nil or released
// lock does nothing.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	// Remove before unlocking: a waiting Acquire that opened the old file
	// sees that it is gone (samePath) and tries again.
	err := os.Remove(filepath.Join(l.dir, LockFile))
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	l.removeCreated()
	return err
}

// Dir returns the locked directory.
func (l *Lock) Dir() string { return l.dir }

func (l *Lock) removeCreated() {
	if l.created == "" {
		return
	}
	// Remove the empty directories Acquire made, deepest first; os.Remove
	// refuses a directory that is not empty, which stops the walk.
	for d := filepath.Clean(l.dir); ; d = filepath.Dir(d) {
		if os.Remove(d) != nil || d == l.created {
			return
		}
	}
}

// mkdirAll creates dir and its missing parents, and returns the topmost
// directory it created ("" if dir existed).
func mkdirAll(dir string) (created string, err error) {
	dir = filepath.Clean(dir)
	if fi, err := os.Stat(dir); err == nil {
		if !fi.IsDir() {
			return "", fmt.Errorf("%s is a file", dir)
		}
		return "", nil
	}
	top := dir
	for p := filepath.Dir(top); p != top; p = filepath.Dir(p) {
		if _, err := os.Lstat(p); err == nil {
			break
		}
		top = p
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = fmt.Errorf("%s: %w", pe.Path, pe.Err)
		}
		return "", err
	}
	return top, nil
}

// readHolder builds the BusyError for a locked directory from what its
// holder wrote into the lock file (read up to maxHolder+32 bytes).
func readHolder(dir, path string) error {
	e := &BusyError{Dir: dir}
	f, err := os.Open(path)
	if err != nil {
		return e
	}
	defer f.Close()
	buf := make([]byte, maxHolder+32)
	n, _ := f.Read(buf)
	line, _, _ := strings.Cut(string(buf[:n]), "\n")
	pid, holder, ok := strings.Cut(line, " ")
	if p, err := strconv.Atoi(pid); ok && err == nil && p > 0 {
		e.PID, e.Holder = p, holder
	}
	return e
}
