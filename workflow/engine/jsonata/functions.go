package jsonata

import (
	"bytes"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"math"
	mrand "math/rand/v2"
	"reflect"

	blues "github.com/blues/jsonata-go"
	"github.com/blues/jsonata-go/jtypes"
)

// The functions Step Functions adds to JSONata, registered for every
// expression (a registered $random replaces the language's own, as AWS's
// accepts a seed). $eval is not available on AWS; $parse replaces it.
func init() {
	err := blues.RegisterExts(map[string]blues.Extension{
		"partition": {Func: partition},
		"range":     {Func: rangeFn},
		"hash":      {Func: hashFn},
		"random":    {Func: random},
		"uuid":      {Func: uuid},
		"parse":     {Func: parse},
		"eval":      {Func: noEval},
	})
	if err != nil {
		panic(err)
	}
}

// items returns the elements of a JSONata array argument.
func items(v any) ([]any, bool) {
	if a, ok := v.([]any); ok {
		return a, true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, false
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, true
}

func integer(f float64) (int, bool) {
	return int(f), f == math.Trunc(f) && math.Abs(f) < 1<<31
}

// partition splits an array into chunks of size (the last may be shorter).
func partition(arr any, size float64) ([]any, error) {
	a, ok := items(arr)
	if !ok {
		return nil, errors.New("$partition: the first argument must be an array")
	}
	n, ok := integer(size)
	if !ok || n < 1 {
		return nil, errors.New("$partition: the chunk size must be a positive integer")
	}
	out := make([]any, 0, (len(a)+n-1)/n)
	for i := 0; i < len(a); i += n {
		out = append(out, a[i:min(i+n, len(a))])
	}
	return out, nil
}

// maxRangeItems bounds $range as States.ArrayRange is bounded.
const maxRangeItems = 1000

// rangeFn is $range(start, end, step): start to end inclusive.
func rangeFn(start, end, step float64) ([]any, error) {
	s, ok1 := integer(start)
	e, ok2 := integer(end)
	st, ok3 := integer(step)
	if !ok1 || !ok2 || !ok3 || st == 0 {
		return nil, errors.New("$range: start, end and step must be integers and step must not be 0")
	}
	out := []any{}
	for i := s; (st > 0 && i <= e) || (st < 0 && i >= e); i += st {
		if len(out) == maxRangeItems {
			return nil, fmt.Errorf("$range: the result would have more than %d items", maxRangeItems)
		}
		out = append(out, float64(i))
	}
	return out, nil
}

// hashFn is $hash(data, algorithm): the hex digest of a string.
func hashFn(data, algorithm string) (string, error) {
	var h hash.Hash
	switch algorithm {
	case "MD5":
		h = md5.New()
	case "SHA-1":
		h = sha1.New()
	case "SHA-256":
		h = sha256.New()
	case "SHA-384":
		h = sha512.New384()
	case "SHA-512":
		h = sha512.New()
	default:
		return "", fmt.Errorf("$hash: unsupported algorithm %q (MD5, SHA-1, SHA-256, SHA-384, SHA-512)", algorithm)
	}
	h.Write([]byte(data))
	return hex.EncodeToString(h.Sum(nil)), nil
}

// random is $random() or $random(seed): a number in [0, 1), the same for
// the same seed.
func random(seed jtypes.OptionalFloat64) (float64, error) {
	if !seed.IsSet() {
		return mrand.Float64(), nil
	}
	s, ok := integer(seed.Float64)
	if !ok {
		return 0, errors.New("$random: the seed must be an integer")
	}
	return mrand.New(mrand.NewPCG(uint64(s), 0)).Float64(), nil
}

// uuid is $uuid(): a random (version 4) UUID.
func uuid() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// parse is $parse(text): the JSON value a string holds.
func parse(text string) (any, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("$parse: the argument is not valid JSON: %v", err)
	}
	if dec.More() {
		return nil, errors.New("$parse: the argument is not valid JSON: trailing data")
	}
	return toJSONata(v), nil
}

func noEval(any) (any, error) {
	return nil, errors.New("$eval is not supported in Step Functions; use $parse")
}
