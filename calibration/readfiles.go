package calibration

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/coopsim/coopsim/calibration/posterior"
	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/internal/jsondecode"
	"github.com/coopsim/coopsim/internal/words"
)

// embeddedTargets is DefaultTargets' source: not a file.
const embeddedTargets = "targets.toml (embedded)"

// maxFitBytes bounds a fit.json read back: one is tens of kilobytes (48 KB
// for fifteen parameters and twenty targets).
const maxFitBytes = 16 << 20

// FileError is a calibration file that ReadFiles cannot read back: the
// file, the line at fault where one is known (0 where not), and what is
// wrong, with the fix.
type FileError struct {
	File string
	Line int
	Msg  string
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("calibration: %s line %d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("calibration: %s: %s", e.File, e.Msg)
}

// ReadFiles reads back what WriteFiles wrote into dir: fit.json and, when
// it has a posterior, posterior.csv, whose draws it sets
// (Posterior.Draws, Posterior.Chains). TargetsSource comes back as a path
// to open from the current directory (fit.json records it relative to
// dir). Files over a size limit (16 MiB for fit.json,
// experiments.MaxPosteriorBytes for posterior.csv) are refused before
// they are read, and so are numbers calibrate cannot have written (a
// negative sd, a value or draw outside its parameter's range: checkValues,
// checkDraws). Its errors are *FileError values.
func ReadFiles(dir string) (*Result, error) {
	path := filepath.Join(dir, FitFile)
	data, err := readCapped(path, maxFitBytes, "the fit.json that coopsim calibrate wrote",
		"a fit.json is tens of kilobytes: was it replaced? rerun coopsim calibrate")
	if err != nil {
		return nil, err
	}
	var res Result
	if err := jsondecode.Decode(data, &res); err != nil {
		return nil, jsonError(path, err)
	}
	if err := res.checkRead(path); err != nil {
		return nil, err
	}
	if err := res.checkValues(path); err != nil {
		return nil, err
	}
	res.TargetsSource = targetsPath(dir, res.TargetsSource)
	if res.Posterior != nil {
		csvPath := filepath.Join(dir, PosteriorFile)
		if err := res.Posterior.readDraws(csvPath); err != nil {
			return nil, err
		}
		if err := res.checkDraws(csvPath); err != nil {
			return nil, err
		}
	}
	return &res, nil
}

// UnmarshalJSON reads what MarshalJSON writes, the warnings as errors of
// the same text. Its errors are *jsondecode.Error values naming the key
// path as fit.json spells it and the offset in b (a key it does not know
// is one).
func (r *Result) UnmarshalJSON(b []byte) error {
	type plain Result // no UnmarshalJSON: no recursion
	aux := struct {
		*plain
		Warnings []string `json:"warnings"`
	}{plain: (*plain)(r)}
	if err := jsondecode.Decode(b, &aux); err != nil {
		return err
	}
	r.Warnings = nil
	for _, w := range aux.Warnings {
		r.Warnings = append(r.Warnings, errors.New(w))
	}
	return nil
}

// readCapped reads path under experiments' guards, its errors *FileError.
func readCapped(path string, limit int, what, hint string) ([]byte, error) {
	data, err := experiments.ReadCapped(path, limit, what, hint)
	if ee := (*experiments.Error)(nil); errors.As(err, &ee) {
		return nil, &FileError{File: path, Msg: ee.Msg}
	}
	return data, err
}

// jsonError is the *FileError of fit.json (at path) that jsondecode
// refused with err: its line where one is known, and the fix.
func jsonError(path string, err error) error {
	line, msg := jsondecode.Fault(err, "was the file edited? rerun coopsim calibrate")
	return &FileError{File: path, Line: line, Msg: msg}
}

// checkRead refuses a fit.json (at path) that decodes but that coopsim
// calibrate did not write whole: no targets, or a posterior without one
// prior, one summary and one predictive check a parameter or target, in
// their order.
func (r *Result) checkRead(path string) error {
	bad := func(format string, a ...any) error {
		return &FileError{File: path, Msg: fmt.Sprintf(format, a...) + ": was the file edited? rerun coopsim calibrate"}
	}
	if len(r.Targets) == 0 {
		return &FileError{File: path, Msg: "has no targets: it is not the fit.json of coopsim calibrate (give the directory that calibrate's --out names)"}
	}
	p := r.Posterior
	if p == nil {
		return nil
	}
	paths := make([]string, len(r.Params))
	for j, fp := range r.Params {
		paths[j] = fp.Path
	}
	var names, checks, targets []string
	if p.Result != nil {
		for _, s := range p.Result.Params {
			names = append(names, s.Name)
		}
	}
	for i := range p.Predictive {
		checks = append(checks, p.Predictive[i].Name)
	}
	for i := range r.Targets {
		targets = append(targets, r.Targets[i].Name)
	}
	switch {
	case p.Result == nil:
		return bad("posterior has no acceptance, evaluations or params")
	case p.Chains < 1 || p.Iterations < 1:
		return bad("posterior has %s of %s, want at least 1 of 1", words.Plural(p.Chains, "chain"), words.Plural(p.Iterations, "draw"))
	case len(p.Priors) != len(r.Params):
		return bad("posterior.priors lists %s for %s, want one a parameter", words.Plural(len(p.Priors), "prior"), words.Plural(len(r.Params), "fitted parameter"))
	case !slices.Equal(names, paths):
		return bad("posterior.params are %s, want the fitted parameters %s", words.List(names, 4), words.List(paths, 4))
	case !slices.Equal(checks, targets):
		return bad("posterior.predictive checks %s, want the targets %s", words.List(checks, 4), words.List(targets, 4))
	}
	return nil
}

// readDraws reads the posterior sample of fit.json's posterior from path,
// its posterior.csv.
func (p *PosteriorReport) readDraws(path string) error {
	const fix = "posterior.csv and fit.json must come from the same coopsim calibrate --posterior"
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return &FileError{File: path, Msg: fmt.Sprintf("no such file, though %s has a posterior: restore it, or rerun coopsim calibrate --posterior", FitFile)}
	}
	data, err := readCapped(path, experiments.MaxPosteriorBytes, "the posterior.csv that coopsim calibrate --posterior wrote",
		experiments.PosteriorSizeHint)
	if err != nil {
		return err
	}
	if err := p.Result.ReadCSV(bytes.NewReader(data)); err != nil {
		if ce := (*posterior.CSVError)(nil); errors.As(err, &ce) {
			return &FileError{File: path, Line: ce.Line, Msg: ce.Msg + "; " + fix}
		}
		return &FileError{File: path, Msg: err.Error()}
	}
	if ch := p.Result.Chains(); len(ch) != p.Chains || len(ch[0]) != p.Iterations {
		return &FileError{File: path, Msg: fmt.Sprintf("%s of %s, %s says %d × %d: %s", words.Plural(len(ch), "chain"), words.Plural(len(ch[0]), "draw"), FitFile, p.Chains, p.Iterations, fix)}
	}
	return nil
}

// sourceFrom is TargetsSource as fit.json in dir records it: a relative
// path made relative to dir, so that the pair can be read from anywhere
// (and moved together); the embedded targets' name and an absolute path
// as they are.
func (r *Result) sourceFrom(dir string) string {
	src := r.TargetsSource
	if storedAsIs(src) {
		return src
	}
	absDir, err1 := filepath.Abs(dir)
	absSrc, err2 := filepath.Abs(src)
	if err1 != nil || err2 != nil {
		return src
	}
	rel, err := filepath.Rel(absDir, absSrc)
	if err != nil {
		return absSrc
	}
	return filepath.ToSlash(rel)
}

// storedAsIs reports whether fit.json records the targets source src as
// given: none, the embedded targets' name, or an absolute path.
func storedAsIs(src string) bool {
	return src == "" || src == embeddedTargets || filepath.IsAbs(src)
}

// targetsPath turns the targets file fit.json in dir records back into a
// path to open: a relative path is relative to dir. A fit.json written
// before sourceFrom recorded the path relative to where coopsim calibrate
// ran: that path is kept where no file is at dir's.
func targetsPath(dir, src string) string {
	if storedAsIs(src) {
		return src
	}
	joined := filepath.Join(dir, filepath.FromSlash(src))
	if _, err := os.Stat(joined); err != nil {
		if _, err := os.Stat(src); err == nil {
			return src
		}
	}
	return joined
}
