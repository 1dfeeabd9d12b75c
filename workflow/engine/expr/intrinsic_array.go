package expr

import (
	"errors"
	"strconv"
)

// maxArrayRange is AWS's limit on the length of States.ArrayRange's result.
const maxArrayRange = 1000

func fnArray(_ *call, args []any) (any, error) {
	out := make([]any, len(args))
	copy(out, args)
	return out, nil
}

func checkPositive(i int) func(c *call) error {
	return func(c *call) error {
		if a := c.args[i]; a.kind == argLiteral {
			if n, _ := toInt64(a.lit); n <= 0 {
				return errors.New(c.spec.name + " argument " + strconv.Itoa(i+1) + " must be a positive integer")
			}
		}
		return nil
	}
}

func fnArrayPartition(c *call, args []any) (any, error) {
	a := args[0].([]any)
	size, _ := toInt64(args[1])
	if size <= 0 {
		return nil, c.fail("the chunk size must be a positive integer, got %d", size)
	}
	chunks := int64(len(a)) / size
	if int64(len(a))%size != 0 {
		chunks++
	}
	out := make([]any, 0, chunks)
	for i := 0; i < len(a); {
		end := i + int(min(size, int64(len(a)-i)))
		chunk := make([]any, end-i)
		copy(chunk, a[i:end])
		out = append(out, chunk)
		i = end
	}
	return out, nil
}

func fnArrayContains(_ *call, args []any) (any, error) {
	for _, e := range args[0].([]any) {
		if equal(e, args[1]) {
			return true, nil
		}
	}
	return false, nil
}

// fnArrayRange returns start, start+step, ... up to and including end.
// A step that moves away from end gives an empty array.
func fnArrayRange(c *call, args []any) (any, error) {
	start, _ := toInt64(args[0])
	end, _ := toInt64(args[1])
	step, _ := toInt64(args[2])
	if step == 0 {
		return nil, c.fail("the step must not be 0")
	}
	if (step > 0 && end < start) || (step < 0 && end > start) {
		return []any{}, nil
	}
	// Unsigned arithmetic: end-start cannot overflow here.
	var steps uint64
	if step > 0 {
		steps = uint64(end-start) / uint64(step)
	} else {
		steps = uint64(start-end) / uint64(-step)
	}
	n := steps + 1
	if steps >= maxArrayRange {
		return nil, c.fail("the result cannot contain more than %d items", maxArrayRange)
	}
	out := make([]any, n)
	for i := range out {
		out[i] = intNumber(start + int64(i)*step)
	}
	return out, nil
}

func fnArrayGetItem(c *call, args []any) (any, error) {
	a := args[0].([]any)
	i, _ := toInt64(args[1])
	if i < 0 || i >= int64(len(a)) {
		return nil, c.fail("index %d is out of bounds for an array of %d item(s)", i, len(a))
	}
	return a[i], nil
}

func fnArrayLength(_ *call, args []any) (any, error) {
	return intNumber(int64(len(args[0].([]any)))), nil
}

// fnArrayUnique keeps the first of each group of deeply equal items. It
// buckets items by a canonical key so large arrays stay linear.
func fnArrayUnique(_ *call, args []any) (any, error) {
	a := args[0].([]any)
	seen := make(map[string]struct{}, len(a))
	out := make([]any, 0, len(a))
	var buf []byte
	for _, e := range a {
		buf = appendCanonical(buf[:0], e)
		if _, dup := seen[string(buf)]; dup {
			continue
		}
		seen[string(buf)] = struct{}{}
		out = append(out, e)
	}
	return out, nil
}

// appendCanonical renders v so that deeply equal values (1 and 1.0, objects
// in any member order) render identically.
func appendCanonical(buf []byte, v any) []byte {
	switch x := v.(type) {
	case *Object:
		buf = append(buf, '{')
		for i, k := range sortedKeys(x) {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = AppendString(buf, k)
			buf = append(buf, ':')
			v, _ := x.Get(k)
			buf = appendCanonical(buf, v)
		}
		return append(buf, '}')
	case []any:
		buf = append(buf, '[')
		for i, e := range x {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendCanonical(buf, e)
		}
		return append(buf, ']')
	}
	if i, ok := toInt64(v); ok {
		return strconv.AppendInt(buf, i, 10)
	}
	if f, ok := toFloat(v); ok {
		return strconv.AppendFloat(buf, f, 'g', -1, 64)
	}
	b, _ := appendJSON(buf, v)
	return b
}

func checkJSONMerge(c *call) error {
	if a := c.args[2]; a.kind == argLiteral && a.lit == true {
		return errors.New("States.JsonMerge supports only shallow merging: the third argument must be false")
	}
	return nil
}

// fnJSONMerge merges two objects shallowly: members of the second replace
// those of the first in place, its other members follow; nested objects
// are not merged.
func fnJSONMerge(c *call, args []any) (any, error) {
	if args[2] == true {
		return nil, c.fail("only shallow merging is supported; the third argument must be false")
	}
	a, b := args[0].(*Object), args[1].(*Object)
	out := make([]Member, 0, a.Len()+b.Len())
	out = append(out, a.Members()...)
	out = append(out, b.Members()...)
	return NewObject(out), nil
}
