package words

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPlural(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{0, "0 runs"}, {1, "1 run"}, {2, "2 runs"}, {-1, "-1 runs"}} {
		if got := Plural(c.n, "run"); got != c.want {
			t.Errorf("Plural(%d, run) = %q, want %q", c.n, got, c.want)
		}
	}
}

func TestList(t *testing.T) {
	for _, c := range []struct {
		names []string
		want  string
	}{
		{nil, "none"},
		{[]string{"a"}, "a"},
		{[]string{"a", "b", "c"}, "a, b, c"},
		{[]string{"a", "b", "c", "d", "e"}, "a, b, c and 2 more"},
	} {
		if got := List(c.names, 3); got != c.want {
			t.Errorf("List(%q, 3) = %q, want %q", c.names, got, c.want)
		}
	}
}

// Elide keeps short text whole (counted in characters, not bytes), and
// cuts long text to at most n characters keeping both ends, never in the
// middle of a character.
func TestElide(t *testing.T) {
	if got := Elide("abc", 5); got != "abc" {
		t.Errorf("Elide(abc, 5) = %q", got)
	}
	if s := strings.Repeat("é", 10); Elide(s, 10) != s {
		t.Errorf("Elide of 10 two-byte characters to 10 = %q, want it whole", Elide(s, 10))
	}
	if got := Elide("abcdefghijklmnopqrstuvwxyz", 11); got != "abcd … wxyz" {
		t.Errorf("Elide(a..z, 11) = %q, want %q", got, "abcd … wxyz")
	}
	for _, n := range []int{5, 6, 80} {
		s := strings.Repeat("€x", 100)
		got := Elide(s, n)
		if c := utf8.RuneCountInString(got); c > n || !utf8.ValidString(got) || !strings.HasPrefix(got, "€") || !strings.HasSuffix(got, "x") {
			t.Errorf("Elide(%d characters, %d) = %q (%d characters): want at most %d, valid UTF-8, both ends kept", len([]rune(s)), n, got, c, n)
		}
	}
}
