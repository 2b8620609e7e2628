package report

import (
	"bufio"
	"fmt"
	"io"
)

// Bounds on what the readers accept, so that a damaged or hand-edited
// result file cannot make them allocate without limit. A CSV line of
// coopsim's is a few hundred bytes. A summary of the default experiment's
// 8 scenarios is about 1 MB, but one of thousands of scenarios (a large
// sweep) can pass MaxSummaryBytes: run then writes its result files and
// skips the figures and report.html, which read the summary whole and
// could not show that many scenarios readably anyway.
const (
	// MaxSummaryBytes is the largest summary.json ReadSummary reads.
	MaxSummaryBytes = 256 << 20
	// MaxCSVLine is the longest line the CSV readers accept, in bytes.
	MaxCSVLine = 64 << 10
)

// TooLargeError is the error of a summary.json larger than the readers
// load: coopsim writes one for a sweep of thousands of scenarios, and an
// edited or replaced file may be one. Callers tell it with errors.As.
type TooLargeError struct {
	Size, Max int64 // bytes
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s, over the %d MiB that figures and report.html are drawn from: too large to draw "+
		"(a sweep of thousands of scenarios writes one this large, and no figure shows that many readably); "+
		"the result files are complete: read them with other tools, and run such sweeps with --no-plots", mib(e.Size), e.Max>>20)
}

// mib formats a size in bytes as MiB, with one decimal below 10 MiB.
func mib(b int64) string {
	if b < 10<<20 {
		return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
	}
	return fmt.Sprintf("%d MiB", (b+1<<19)>>20)
}

// errLineTooLong is the error of a CSV line longer than MaxCSVLine.
var errLineTooLong = fmt.Errorf("a line longer than %d bytes: not a file coopsim wrote (was it edited or cut?)", MaxCSVLine)

// lineLimit reads from r, failing once a line runs past max bytes, so that
// the CSV reader never buffers an unbounded record. Quoted newlines count
// as line ends; coopsim's files have none.
type lineLimit struct {
	r   *bufio.Reader
	max int
	run int // bytes since the last newline
}

func newLineLimit(r io.Reader, max int) *lineLimit {
	return &lineLimit{r: bufio.NewReaderSize(r, 1<<16), max: max}
}

func (l *lineLimit) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for i := 0; i < n; i++ {
		if p[i] == '\n' {
			l.run = 0
			continue
		}
		l.run++
		if l.run > l.max {
			return i, errLineTooLong
		}
	}
	return n, err
}
