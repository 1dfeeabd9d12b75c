package engine

import (
	"hash/fnv"
	"math/rand/v2"
	"strconv"
)

// jitter returns the source of FULL-jitter draws for retries of st on this
// thread: random, as AWS does, unless the engine has a JitterSeed, in which
// case each draw depends only on (seed, execution, thread, state, attempt)
// and not on scheduling.
func (th *thread) jitter(st *state) func(n int, max int64) int64 {
	seed := th.x.e.jitterSeed
	if seed == 0 {
		return func(_ int, max int64) int64 { return rand.Int64N(max) }
	}
	return func(n int, max int64) int64 {
		h := fnv.New64a()
		h.Write([]byte(th.x.name))
		h.Write([]byte{0})
		h.Write([]byte(th.id))
		h.Write([]byte{0})
		h.Write([]byte(st.name))
		h.Write([]byte{0})
		h.Write([]byte(strconv.Itoa(n)))
		return rand.New(rand.NewPCG(seed, h.Sum64())).Int64N(max)
	}
}
