package simulate

import (
	"hash/fnv"
	"math/rand/v2"
)

// dayIndex is the index under which draws that belong to the whole day
// (the arrival times) are made.
const dayIndex = -1

// rng returns the generator for one named step of one application. Every
// random draw of the simulation comes from such a generator, seeded by
// (seed, application index, step) alone, so a draw never depends on the
// order in which goroutines happen to run: the same seed gives the same
// day.
func rng(seed uint64, index int, step string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(step))
	return rand.New(rand.NewPCG(seed, uint64(int64(index))*0x9e3779b97f4a7c15^h.Sum64()))
}
