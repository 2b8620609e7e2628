// Package outdir owns the output directories of coopsim's commands: it
// checks, before any work starts, that a directory can be created and
// written, and it locks the directory so that one writer at a time puts
// results there (two runs into one directory would otherwise mix their
// files). The lock is an advisory flock(2) on a small file in the
// directory, so the kernel releases it when its holder dies, even by
// SIGKILL; a lock file left behind by a dead process is simply taken over.
package outdir
