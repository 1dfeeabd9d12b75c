package sim

import (
	"crypto/sha256"
	"encoding/binary"
	"math/rand/v2"
	"strconv"
	"strings"
)

// drawRNG is the generator of the random draws of one attempt: seeded by
// the profile seed, the operation, its key and the attempt number, so the
// n-th attempt of a call behaves the same in every run.
func drawRNG(seed uint64, k opKey, attempt int) *rand.Rand {
	return seeded(strconv.FormatUint(seed, 10), string(k.kind), k.path, k.key, strconv.Itoa(attempt))
}

// idRNG is the generator of the numbers in a result, seeded by the
// operation and key alone: an application gets the same credit code in
// every run.
func idRNG(k opKey) *rand.Rand { return seeded("id", string(k.kind), k.path, k.key) }

func seeded(parts ...string) *rand.Rand {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return rand.New(rand.NewPCG(binary.BigEndian.Uint64(sum[:8]), binary.BigEndian.Uint64(sum[8:16])))
}

// digits returns n random decimal digits.
func digits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

// hexUpper returns n random upper-case hexadecimal digits.
func hexUpper(r *rand.Rand, n int) string {
	const alphabet = "0123456789ABCDEF"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(16)]
	}
	return string(b)
}
