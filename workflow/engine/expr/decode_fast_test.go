package expr

import (
	"reflect"
	"testing"
)

var decodeSeeds = []string{
	`{"a":1,"b":[true,false,null],"c":{"d":"e\"f\\g\n"},"n":-1.5e+10}`,
	`[]`, `{}`, `"x"`, `0`, `-0.0`, `1E5`, `"\u00e9\ud83d\ude00"`, `"caf\u00e9"`, `"中文"`,
	`{"a":1,}`, `[1,]`, `01`, `1.`, `-`, `"\x"`, "\"\xff\"", `{"a" 1}`, `[1 2]`, `nul`, `{"a":1} x`, ` [ 1 , { "k" : [ ] } ] `,
	"\"tab\there\"", `{"dup":1,"dup":2}`,
}

// TestFastDecodeMatchesSlow: the fast path agrees with the slow path on
// values, and rejects nothing the slow path accepts differently.
func TestFastDecodeMatchesSlow(t *testing.T) {
	for _, s := range decodeSeeds {
		checkDecodeAgrees(t, []byte(s))
	}
}

// FuzzFastDecode is a differential fuzz test of the two paths.
func FuzzFastDecode(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkDecodeAgrees(t, data) })
}

func checkDecodeAgrees(t *testing.T, data []byte) {
	t.Helper()
	got, fast := fastDecode(data)
	want, werr := slowDecode(data)
	if fast && werr != nil {
		t.Fatalf("%q: the fast path accepts what the slow path rejects: %v", data, werr)
	}
	if fast && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: got %#v, want %#v", data, got, want)
	}
}
