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
	f.Add([]byte(`{"QueryLanguage":"JSONata","StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Condition":"{% $x > 1 %}","Assign":{"a":"{% $states.input %}"},"Next":"M"}],"Default":"M"},
		"M":{"Type":"Map","Items":"{% [1,2] %}","ItemSelector":{"v":"{% $states.context.Map.Item.Value %}"},"ItemProcessor":{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"{% 'E' %}"}}},"End":true}}}`))
	f.Add([]byte(`{"StartAt":"P","States":{"P":{"Type":"Pass","Assign":{"x.$":"$.a","y.$":"States.Format('{}', $x)"},"Parameters":{"v.$":"$x.b[0]"},"End":true}}}`))
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
