package main

import (
	"strings"
	"testing"

	"github.com/coopsim/coopsim/experiments"
)

// TestCheckMemory: an experiment whose per-run results fit the machine
// passes; one that does not is refused with the most runs that fit, which
// themselves pass; a machine of unknown memory refuses nothing.
func TestCheckMemory(t *testing.T) {
	e, err := experiments.Default()
	if err != nil {
		t.Fatal(err)
	}
	const have = 1 << 30 // a 1 GiB machine
	if err := checkMemory(e, 1000, have); err != nil {
		t.Errorf("1,000 runs of the default on 1 GiB: %v", err)
	}
	err = checkMemory(e, 1_000_000, have)
	if err == nil || !strings.Contains(err.Error(), "ask for at most") {
		t.Fatalf("1,000,000 runs of the default on 1 GiB: %v, want a refusal naming the most runs", err)
	}
	most := int(float64(1_000_000) * have / e.ResultBytes(1_000_000))
	if err := checkMemory(e, most, have); err != nil {
		t.Errorf("the %d runs the refusal offers are refused too: %v", most, err)
	}
	if err := checkMemory(e, most+2, have); err == nil {
		t.Errorf("%d runs pass on 1 GiB, though %d is the most that fits", most+2, most)
	}
	if err := checkMemory(e, 10_000_000, 0); err != nil {
		t.Errorf("unknown memory: %v, want no check", err)
	}
}
