package engine

import (
	"reflect"
	"testing"

	"github.com/kaiban/kaiban/workflow/engine/expr"
)

var decodeSeeds = []string{
	`{"a":1,"b":[true,false,null],"c":{"d":"e\"f\\g\n"},"n":-1.5e+10}`,
	`[]`, `{}`, `"x"`, `0`, `-0.0`, `1E5`, `"\u00e9\ud83d\ude00"`, `"caf\u00e9"`, `"中文"`,
	`{"a":1,}`, `[1,]`, `01`, `1.`, `-`, `"\x"`, "\"\xff\"", `{"a" 1}`, `[1 2]`, `nul`, `{"a":1} x`, ` [ 1 , { "k" : [ ] } ] `,
	"\"tab\there\"", `{"dup":1,"dup":2}`,
}

// TestDecodeJSONMatchesExpr: the fast decoder agrees with expr.Decode on
// values and on what it rejects.
func TestDecodeJSONMatchesExpr(t *testing.T) {
	for _, s := range decodeSeeds {
		checkDecodeAgrees(t, []byte(s))
	}
}

// FuzzDecodeJSON is a differential fuzz test against expr.Decode.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkDecodeAgrees(t, data) })
}

func checkDecodeAgrees(t *testing.T, data []byte) {
	t.Helper()
	got, gerr := decodeJSON(data)
	want, werr := expr.Decode(data)
	if (gerr == nil) != (werr == nil) {
		t.Fatalf("%q: error %v, expr.Decode error %v", data, gerr, werr)
	}
	if gerr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: got %#v, want %#v", data, got, want)
	}
}
