package dist_test

import (
	"fmt"

	"github.com/BurntSushi/toml"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/experiments/dist"
)

// A distribution read from TOML, its quartiles, and run 0's draw.
func Example() {
	var in struct{ Cap dist.Spec }
	if _, err := toml.Decode(`Cap = {dist = "triangular", low = 20e9, mode = 38e9, high = 50e9}`, &in); err != nil {
		panic(err)
	}
	d, err := in.Cap.Resolve("regime.cap", dist.Real)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s: quartiles %.1fB %.1fB %.1fB\n", d, d.Quantile(0.25)/1e9, d.Quantile(0.5)/1e9, d.Quantile(0.75)/1e9)
	x := d.Draw(agents.Key{Seed: 1, Run: 0}.Stream(), dist.KeyID("regime.cap"))
	fmt.Println(x >= 20e9 && x <= 50e9)
	// Output:
	// triangular[2e+10, 3.8e+10, 5e+10]: quartiles 31.6B 36.4B 40.5B
	// true
}
