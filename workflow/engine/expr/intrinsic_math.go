package expr

import (
	"math"
	"math/rand/v2"
)

// javaRound rounds half up, like Java's Math.round, which Step Functions
// applies to non-integer arguments of States.MathAdd and States.MathRandom.
func javaRound(f float64) float64 { return math.Floor(f + 0.5) }

// roundedInt returns a number argument as an int64 after that rounding.
func roundedInt(c *call, v any, what string) (int64, error) {
	if i, ok := exactInt(v); ok {
		return i, nil
	}
	f, _ := toFloat(v)
	r := javaRound(f)
	if math.IsNaN(r) || r < math.MinInt64 || r >= math.MaxInt64 {
		return 0, c.fail("the %s is out of range", what)
	}
	return int64(r), nil
}

// fnMathAdd adds two integers (non-integers are rounded first, as AWS
// does).
func fnMathAdd(c *call, args []any) (any, error) {
	a, err := roundedInt(c, args[0], "first value")
	if err != nil {
		return nil, err
	}
	b, err := roundedInt(c, args[1], "second value")
	if err != nil {
		return nil, err
	}
	sum := a + b
	if (sum > a) != (b > 0) {
		return nil, c.fail("the sum overflows")
	}
	return intNumber(sum), nil
}

// fnMathRandom returns a random integer from start to end, both included.
// With a seed the result is deterministic.
func fnMathRandom(c *call, args []any) (any, error) {
	start, err := roundedInt(c, args[0], "start")
	if err != nil {
		return nil, err
	}
	end, err := roundedInt(c, args[1], "end")
	if err != nil {
		return nil, err
	}
	if end < start {
		return nil, c.fail("the end (%d) must not be less than the start (%d)", end, start)
	}
	span := uint64(end-start) + 1
	var r uint64
	if len(args) == 3 {
		seed, err := roundedInt(c, args[2], "seed")
		if err != nil {
			return nil, err
		}
		r = randN(rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15)), span)
	} else {
		r = randN(nil, span)
	}
	return intNumber(start + int64(r)), nil
}

// randN returns a uniform value in [0, n) from rng, or from the
// goroutine-safe global source when rng is nil; n == 0 means the full
// 64-bit range.
func randN(rng *rand.Rand, n uint64) uint64 {
	switch {
	case rng == nil && n == 0:
		return rand.Uint64()
	case rng == nil:
		return rand.Uint64N(n)
	case n == 0:
		return rng.Uint64()
	}
	return rng.Uint64N(n)
}
