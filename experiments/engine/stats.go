package engine

import (
	"fmt"
	"math"
	"sync"
	"unsafe"

	"github.com/coopsim/coopsim/agents/detmath"
	"github.com/coopsim/coopsim/experiments/internal/sketch"
)

// MeanSE returns the mean of v and its standard error, the sample
// standard deviation (n−1 denominator) over √n; the standard error is 0
// for fewer than two values, and both are NaN for none.
func MeanSE(v []float64) (mean, se float64) {
	n := float64(len(v))
	for _, x := range v {
		mean += x
	}
	mean /= n
	if len(v) < 2 {
		return mean, 0
	}
	ss := 0.0
	for _, x := range v {
		ss += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(ss / (n - 1) / n)
}

// T95 returns the 0.975 quantile of Student's t distribution with n−1
// degrees of freedom: the half-width of a 95% interval of a mean of n
// values is T95(n)·SE. It is +Inf for fewer than two values. It is
// detmath.StudentTQuantile, the same on every CPU (gonum's distuv.StudentsT
// calls math.Exp, whose last bits depend on the CPU).
func T95(n int) float64 {
	if n < 2 {
		return math.Inf(1)
	}
	return detmath.StudentTQuantile(0.975, n-1)
}

// MinPrecisionRuns is the fewest runs after which a precision rule may
// stop: with fewer, the standard error itself is too uncertain to trust.
const MinPrecisionRuns = 10

// Precise reports whether the mean of v is known to ±rel×|mean| at 95%
// (Student's t, the interval reported for it), with at least
// MinPrecisionRuns values.
func Precise(v []float64, rel float64) bool {
	if len(v) < MinPrecisionRuns {
		return false
	}
	mean, se := MeanSE(v)
	return T95(len(v))*se <= rel*math.Abs(mean)
}

// Cells accumulates values over runs in a fixed number of cells (e.g.
// month × metric): an exact sum and a quantile sketch per cell, so that
// adding runs in any order, or merging any partition of them, gives
// identical bits.
//
// Runs are added a batch at a time: AddRun keeps up to batchRuns runs'
// values and then adds them cell by cell, each cell's values together.
// Added run by run, the default experiment's 330,000 cells (gigabytes of
// sketch bins) were each fetched from memory for every value, which took
// 44% of its CPU; a cell's sketch now stays in cache for its batch. The
// result is the same: each cell gets the same values, and adding is
// order-free.
//
// AddRun is safe for concurrent use: a batch is added outside the lock
// that AddRun takes, so other goroutines keep adding runs meanwhile. The
// other methods are not, and must not run beside AddRun; each adds the
// runs held first.
type Cells struct {
	n   int // runs in sum and sk
	sum []sketch.Sum
	sk  []sketch.Sketch

	mu     sync.Mutex // guards pend and spare
	pend   []float64  // up to batchRuns runs' values not yet added, run after run
	spare  []float64  // a batch's buffer, for reuse
	adding sync.Mutex // held while a batch is added to n, sum and sk
}

// batchRuns is the most runs Cells holds before adding them: enough that a
// cell's sketch, fetched once, serves many values; few enough that the
// batches (batchRuns × cells values each: the one filling, and one for each
// goroutine whose AddRun filled one and is adding it or waiting to) stay
// small beside the sketches.
const batchRuns = 16

// NewCells returns empty accumulators of size cells.
func NewCells(size int) *Cells {
	return &Cells{sum: make([]sketch.Sum, size), sk: make([]sketch.Sketch, size)}
}

// Len returns the number of cells.
func (c *Cells) Len() int { return len(c.sum) }

// Runs returns the number of runs added (or merged).
func (c *Cells) Runs() int {
	c.flush()
	return c.n
}

// AddRun adds one run's values: v[i] to cell i. v must have Len values; it
// is copied.
func (c *Cells) AddRun(v []float64) {
	m := len(c.sum)
	if len(v) != m {
		panic(fmt.Sprintf("engine: AddRun of %d values to %d cells", len(v), m))
	}
	c.mu.Lock()
	c.pend = append(c.pend, v...)
	var full []float64
	if len(c.pend) >= batchRuns*m {
		full, c.pend, c.spare = c.pend, c.spare[:0], nil
	}
	c.mu.Unlock()
	if full == nil {
		return
	}
	c.adding.Lock()
	c.addRuns(full)
	c.adding.Unlock()
	c.mu.Lock()
	c.spare = full[:0]
	c.mu.Unlock()
}

// addRuns adds the runs' values in vals (run after run, at most batchRuns
// runs: AddRun hands over a batch as soon as it is full) cell by cell, a
// cell's values at once by the accumulators' AddBatch.
func (c *Cells) addRuns(vals []float64) {
	m := len(c.sum)
	runs := len(vals) / m
	var xs [batchRuns]float64
	for i := range m {
		for r := range runs {
			xs[r] = vals[r*m+i]
		}
		c.sum[i].AddBatch(xs[:runs])
		c.sk[i].AddBatch(xs[:runs])
	}
	c.n += runs
}

// flush adds the runs AddRun holds to the cells (every method below does it
// first).
func (c *Cells) flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pend) == 0 {
		return
	}
	c.adding.Lock()
	c.addRuns(c.pend)
	c.adding.Unlock()
	c.pend = c.pend[:0]
}

// Merge adds b's runs (of the same size) to c.
func (c *Cells) Merge(b *Cells) {
	c.flush()
	b.flush()
	c.n += b.n
	for i := range c.sum {
		c.sum[i].Merge(b.sum[i])
		c.sk[i].Merge(&b.sk[i])
	}
}

// Mean returns cell i's mean over the runs (exact sum, one rounding).
func (c *Cells) Mean(i int) float64 {
	c.flush()
	return c.sum[i].Float() / float64(c.n)
}

// Quantile returns cell i's q-quantile over the runs, within
// sketch.Alpha (0.5%) relative.
func (c *Cells) Quantile(i int, q float64) float64 {
	c.flush()
	return c.sk[i].Quantile(q)
}

// CellState is one cell's saved content.
type CellState struct {
	Sum    [3]uint64
	Sketch sketch.State
}

// State returns the runs counted and each cell's content (slices shared).
func (c *Cells) State() (runs int, cells []CellState) {
	c.flush()
	cells = make([]CellState, len(c.sum))
	for i := range cells {
		cells[i] = CellState{Sum: c.sum[i].Words(), Sketch: c.sk[i].State()}
	}
	return c.n, cells
}

// CellsFromState rebuilds accumulators from State's values.
func CellsFromState(runs int, cells []CellState) *Cells {
	c := NewCells(len(cells))
	c.n = runs
	for i, st := range cells {
		c.sum[i] = sketch.SumOf(st.Sum)
		c.sk[i] = sketch.FromState(st.Sketch)
	}
	return c
}

// BinBytes returns the bytes the cells' sketch bins hold (see
// sketch.Sketch.BinBytes).
func (c *Cells) BinBytes() int {
	c.flush()
	b := 0
	for i := range c.sk {
		b += c.sk[i].BinBytes()
	}
	return b
}

// CellBytes estimates the live bytes of one cell of Cells after runs runs:
// its exact sum and sketch (fixed) and the sketch's bins, which grow with
// the spread of the values, at most one bin a run. The bins' growth is an
// estimate fitted to measured cells (Cells.BinBytes averaged over the
// default experiment's 330,480 cells: 20, 75, 615, 1,684 and 2,118 bytes
// after 2, 16, 100, 400 and 1,000 runs; a 20-buyer market's noisier cells
// held 2,808 after 4,000): 700·ln(1 + runs/50), and at most the 10 bytes
// a run that a list of one bin a run takes.
func CellBytes(runs int) float64 {
	fixed := float64(unsafe.Sizeof(sketch.Sum{}) + unsafe.Sizeof(sketch.Sketch{}))
	r := float64(max(runs, 0))
	return fixed + math.Min(10*r, 700*math.Log1p(r/50))
}
