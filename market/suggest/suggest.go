package suggest

import "fmt"

// Closest returns the known name with the smallest edit distance to s
// (ties go to the name that sorts first) and that distance; ok is false
// when known is empty.
func Closest(s string, known []string) (best string, dist int, ok bool) {
	for _, k := range known {
		d := Distance(s, k)
		if !ok || d < dist || (d == dist && k < best) {
			best, dist, ok = k, d, true
		}
	}
	return best, dist, ok
}

// DidYouMean returns ` (did you mean "X"?)` for the known name closest to
// s, or "" when none is within max(2, len(s)/3) edits.
func DidYouMean(s string, known []string) string {
	if best, d, ok := Closest(s, known); ok && d <= max(2, len(s)/3) {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
}

// maxLen bounds the strings Distance compares in full: a longer one is
// cut, so that a hint for a megabyte-long key costs no more than for a
// short one.
const maxLen = 256

// Distance returns the Levenshtein distance between a and b (insertions,
// deletions and substitutions of bytes), comparing at most their first
// maxLen bytes.
func Distance(a, b string) int {
	a, b = a[:min(len(a), maxLen)], b[:min(len(b), maxLen)]
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
