// Package words writes the small pieces of English that coopsim's
// messages share: a count with its noun ("2 runs"), a short list of names
// ("a, b and 3 more"), and a long text cut to fit a message. Every package
// that words a message calls these, so that messages read the same way.
package words
