package expr

import (
	"strconv"
	"testing"
)

// TestDecodeSharedStrings decodes more distinct short strings than the
// intern table has slots, twice over, so slots are shared and replaced:
// every string must still decode to exactly its own text, and a repeated
// one to the same text.
func TestDecodeSharedStrings(t *testing.T) {
	for round := range 2 {
		for i := range 3 * internSlots {
			k := "k" + strconv.Itoa(i)
			v := "v" + strconv.Itoa(i*7)
			doc := `{"` + k + `":"` + v + `","long":"` + k + `-a-string-longer-than-the-interned-ones"}`
			got, err := Decode([]byte(doc))
			if err != nil {
				t.Fatal(err)
			}
			o := got.(*Object)
			if gv, ok := o.Get(k); !ok || gv != v {
				t.Fatalf("round %d: %s decoded to %v (key found: %v), want %s", round, doc, gv, ok, v)
			}
			if gl, _ := o.Get("long"); gl != k+"-a-string-longer-than-the-interned-ones" {
				t.Fatalf("round %d: long value %v", round, gl)
			}
		}
	}
}

// TestDecodeAllocations: a repeated small document allocates only its
// objects, not its (short, repeated) keys and string values.
func TestDecodeAllocations(t *testing.T) {
	doc := []byte(`{"company":{"name":"Acme","country":"GB","type":"LTD"}}`)
	if _, err := Decode(doc); err != nil {
		t.Fatal(err)
	}
	if got := testing.AllocsPerRun(100, func() { _, _ = Decode(doc) }); got > 2 {
		t.Errorf("decoding a repeated document allocates %.0f times, want at most 2 (its two objects)", got)
	}
}
