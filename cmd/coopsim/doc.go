// Command coopsim runs agent-based Monte Carlo experiments of competition
// between OpenAI and the clouds that resell its models. See README.md, or
// run `coopsim help`.
//
// It owns the command line: parsing each subcommand's arguments and flags
// into user-worded errors, the output directory's lock and checks, and the
// process around a run (signals, exit codes, progress).
package main
