package experiments

// ResultFiles says which optional result files an experiment writes besides
// summary.json, runs.csv and series.csv. It is set by the experiment file's
// [output] table (or the command line) and does not enter Hash: it changes
// which files are written, never their content, so shards and resumes with
// different settings still combine.
type ResultFiles struct {
	// Parquet also writes runs.parquet and series.parquet (see package
	// experiments/report/parquetio). Default false.
	Parquet bool
}

// outFormat is the [output] table of an experiment file.
type outFormat struct {
	Parquet bool `toml:"parquet"`
}

func (f outFormat) resolve() ResultFiles { return ResultFiles{Parquet: f.Parquet} }

// WithResultFiles returns a copy of e that writes the optional files rf
// (the command line's --parquet).
func (e *Experiment) WithResultFiles(rf ResultFiles) *Experiment {
	c := *e
	c.ResultFiles = rf
	return &c
}
