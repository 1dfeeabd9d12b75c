package engine

import (
	"errors"
	"testing"
)

// FuzzParse: any definition text parses or yields a *ValidationError;
// never a panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte(allTypesDefinition))
	f.Add([]byte(crashDef))
	f.Add([]byte(`{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Not":{"Variable":"$.x","IsNull":true},"Next":"A"}],"Default":"A"}}}`))
	f.Add([]byte(`{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"M","States":{"M":{"Type":"Map","Iterator":{}}}}}}}`))
	f.Fuzz(func(t *testing.T, def []byte) {
		d, err := Parse(def)
		var ve *ValidationError
		if err != nil && !errors.As(err, &ve) {
			t.Fatalf("error %T %v, want *ValidationError", err, err)
		}
		if err == nil && d.StartAt() == "" {
			t.Fatal("valid definition without StartAt")
		}
	})
}
