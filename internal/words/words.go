package words

import (
	"fmt"
	"strconv"
	"strings"
)

// Plural returns "1 run", "2 runs": n and the noun, in the plural (noun
// + "s") unless n is 1.
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// List joins names for a message, separated by ", ": "none" for no names,
// and past most of them the first most and "and N more".
func List(names []string, most int) string {
	switch {
	case len(names) == 0:
		return "none"
	case len(names) > most:
		return strings.Join(names[:most], ", ") + fmt.Sprintf(" and %d more", len(names)-most)
	}
	return strings.Join(names, ", ")
}

// Elide cuts s to at most n characters (runes, n at least 5), keeping its
// start and end around " … ", so that a message quoting a file's text
// stays short whatever the file holds. It never cuts a character in two.
func Elide(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	half := (n - 3) / 2
	return string(r[:half]) + " … " + string(r[len(r)-half:])
}
