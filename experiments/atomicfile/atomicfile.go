package atomicfile

import (
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// File is a file being written under a temporary name. Write to it, then
// Commit it into place or Abort it. Its errors are the underlying ones:
// callers add the context (the package and the file's role).
type File struct {
	path string
	f    *os.File
	bw   *bufio.Writer
	done bool
}

// ErrDone is returned by Commit after a Commit or an Abort.
var ErrDone = errors.New("atomicfile: already committed or aborted")

// Create starts the file that Commit will place at path.
func Create(path string) (*File, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, tempPattern(base))
	if err != nil {
		return nil, err
	}
	return &File{path: path, f: f, bw: bufio.NewWriterSize(f, 1<<16)}, nil
}

// tempPattern is the pattern of the temporary names of a file named base.
func tempPattern(base string) string { return "." + base + ".tmp-*" }

// IsTemp reports whether name (a base name) is a temporary file of one of
// the files bases that Create left behind: a process killed while writing
// leaves one, which a caller may remove with the directory's other files.
// Only the names os.CreateTemp gives match: ".base.tmp-" and one or more
// decimal digits, so that a user's ".runs.csv.tmp-old" is not taken for one.
func IsTemp(name string, bases ...string) bool {
	for _, b := range bases {
		prefix := "." + b + ".tmp-"
		if strings.HasPrefix(name, prefix) && allDigits(name[len(prefix):]) {
			return true
		}
	}
	return false
}

// allDigits reports whether s is one or more decimal digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Path returns the destination path.
func (a *File) Path() string { return a.path }

// Write writes p to the (buffered) temporary file.
func (a *File) Write(p []byte) (int, error) { return a.bw.Write(p) }

// Commit flushes the buffer, fsyncs the file, gives it mode 0644, renames
// it to its destination and fsyncs the directory (best effort). On error
// the temporary file is removed.
func (a *File) Commit() error {
	if a.done {
		return ErrDone
	}
	a.done = true
	tmp := a.f.Name()
	err := a.bw.Flush()
	if err == nil {
		err = a.f.Chmod(0o644)
	}
	if err == nil {
		err = a.f.Sync()
	}
	if cerr := a.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, a.path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if d, derr := os.Open(filepath.Dir(a.path)); derr == nil {
		d.Sync() // make the rename durable; not every system supports it
		d.Close()
	}
	return nil
}

// Abort closes and removes the temporary file. It is a no-op after Commit
// or a previous Abort.
func (a *File) Abort() error {
	if a.done {
		return nil
	}
	a.done = true
	a.f.Close()
	return os.Remove(a.f.Name())
}

// Write writes the file at path with write, atomically: write fills a
// temporary file, which is committed only if write returns nil. Otherwise
// no file is created (an existing file at path is left as it was), the
// temporary file is removed, and write's error is returned.
func Write(path string, write func(w io.Writer) error) error {
	a, err := Create(path)
	if err != nil {
		return err
	}
	if err := write(a); err != nil {
		a.Abort()
		return err
	}
	return a.Commit()
}

// WriteBytes writes b to path atomically.
func WriteBytes(path string, b []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}
