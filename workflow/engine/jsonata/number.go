package jsonata

import (
	"reflect"
	"strconv"

	blues "github.com/blues/jsonata-go"
	"github.com/blues/jsonata-go/jlib"
	"github.com/blues/jsonata-go/jtypes"
)

// $number, replaced so that it also reads the integer literals JSONata
// 2.0.6 documents besides JSON numbers: hexadecimal "0x12", octal "0o12"
// and binary "0b101" (either case of the letter), as JavaScript's
// Number() reads them. Anything else goes to the language's own.
func init() {
	if err := blues.RegisterExts(map[string]blues.Extension{
		"number": {Func: castNumber, UndefinedHandler: jtypes.ArgUndefined(0), EvalContextHandler: jtypes.ArgCountEquals(0)},
	}); err != nil {
		panic(err)
	}
}

func castNumber(v jlib.StringNumberBool) (float64, error) {
	if s, ok := jtypes.AsString(reflect.Value(v)); ok && len(s) > 2 && s[0] == '0' {
		base := 0
		switch s[1] {
		case 'x', 'X':
			base = 16
		case 'o', 'O':
			base = 8
		case 'b', 'B':
			base = 2
		}
		if base != 0 {
			if n, err := strconv.ParseUint(s[2:], base, 64); err == nil {
				return float64(n), nil
			}
		}
	}
	return jlib.Number(v)
}
