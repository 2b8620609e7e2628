package experiments

import "sort"

// SourceFile is the text of an experiment file or of one of its includes.
type SourceFile struct {
	// Name is "experiment.toml" for the experiment's own file and the
	// include name (as written in the file, e.g. "../default/fitted.toml")
	// for an include.
	Name string
	Text []byte
}

// Sources returns the experiment's own file, then its includes sorted by
// name: the text that was loaded, which partial results carry, so a merged
// or resumed experiment has the same. The slices are shared; do not modify
// them.
func (e *Experiment) Sources() []SourceFile {
	var out []SourceFile
	if t, ok := e.files[mainFile]; ok {
		out = append(out, SourceFile{Name: mainFile, Text: t})
	}
	names := make([]string, 0, len(e.files))
	for n := range e.files {
		if n != mainFile {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		out = append(out, SourceFile{Name: n, Text: e.files[n]})
	}
	return out
}
