package expr

import (
	"strings"
	"testing"
)

// TestJSONSizeIsTheEncodedLength: the size the payload limits check is
// the length of the JSON the engine writes, for fresh objects and for
// objects whose size is already remembered.
func TestJSONSizeIsTheEncodedLength(t *testing.T) {
	inner, err := Decode([]byte(`{"name":"Acme \"Ltd\"\n","country":"GB","tags":["a",1,true,null],"nested":{"x":{}}}`))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]any{
		"scalar":          "héllo\t",
		"object":          inner,
		"object again":    inner,
		"shared in two":   NewObject([]Member{{Key: "a", Value: inner}, {Key: "b", Value: inner}}),
		"array of shared": []any{inner, inner, "x"},
		"empty":           EmptyObject(),
		"nil object":      (*Object)(nil),
	}
	for name, v := range cases {
		b, err := Encode(v)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := JSONSize(v, 1<<20); got != len(b) {
			t.Errorf("%s: JSONSize %d, encoded %d bytes: %s", name, got, len(b), b)
		}
	}
}

// TestJSONSizeStopsAtTheLimitWithoutRememberingAPartialCount: a count
// cut short by the limit is not kept as the object's size.
func TestJSONSizeStopsAtTheLimitWithoutRememberingAPartialCount(t *testing.T) {
	big := NewObject([]Member{{Key: "a", Value: strings.Repeat("x", 100)}, {Key: "b", Value: strings.Repeat("y", 100)}})
	if got := JSONSize(big, 50); got <= 50 {
		t.Fatalf("JSONSize with limit 50 = %d, want > 50", got)
	}
	b, _ := Encode(big)
	if got := JSONSize(big, 1<<20); got != len(b) {
		t.Fatalf("after a cut-short count, JSONSize = %d, want %d", got, len(b))
	}
}
