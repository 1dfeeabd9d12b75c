package expr

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDecode(t *testing.T) {
	v, err := Decode([]byte(` {"n": 12345678901234567890, "f": 1.50, "s": "x", "a": [true, null]} `))
	if err != nil {
		t.Fatal(err)
	}
	m := v.(map[string]any)
	if m["n"] != json.Number("12345678901234567890") || m["f"] != json.Number("1.50") {
		t.Errorf("numbers decoded as %#v and %#v, want their exact text as json.Number", m["n"], m["f"])
	}
	for _, bad := range []string{``, `   `, `{} {}`, `{"a":1}x`, `[1,]`, `{"a"}`, `nul`} {
		if _, err := Decode([]byte(bad)); err == nil {
			t.Errorf("Decode(%q) succeeded, want an error", bad)
		}
	}
}

func TestEncode(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{map[string]any{"b": json.Number("1"), "a": "<&>", "c": []any{nil, true, json.Number("2.50")}}, `{"a":"<&>","b":1,"c":[null,true,2.50]}`},
		{"quote \" backslash \\ newline \n tab \t ctrl \x01 unicode 一 \u2028", `"quote \" backslash \\ newline \n tab \t ctrl \u0001 unicode 一 ` + "\u2028" + `"`},
		{"bad utf8 \xff", `"bad utf8 \ufffd"`},
		{map[string]any{}, `{}`},
		{[]any{}, `[]`},
		{3.5, `3.5`}, // Go values fall back to encoding/json
		{map[string]any{"k": 7}, `{"k":7}`},
	}
	for _, tt := range tests {
		got, err := Encode(tt.in)
		if err != nil {
			t.Fatalf("Encode(%#v): %v", tt.in, err)
		}
		if string(got) != tt.want {
			t.Errorf("Encode(%#v) = %s, want %s", tt.in, got, tt.want)
		}
	}
	if _, err := Encode(json.Number("1x")); err == nil {
		t.Error("Encode of an invalid json.Number succeeded, want an error")
	}
	if _, err := Encode(map[string]any{"f": func() {}}); err == nil {
		t.Error("Encode of a func succeeded, want an error")
	}
}

// TestEncodeRoundTrip checks Encode against encoding/json on a document
// with every kind of value.
func TestEncodeRoundTrip(t *testing.T) {
	doc := mustDecode(t, store)
	b, err := Encode(doc)
	if err != nil {
		t.Fatal(err)
	}
	var std any
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&std); err != nil {
		t.Fatalf("encoding/json cannot read Encode's output: %v", err)
	}
	if !equal(doc, std) {
		t.Errorf("round trip changed the document: %s", b)
	}
}

func TestEqual(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{`1`, `1.0`, true},
		{`1`, `"1"`, false},
		{`{"a":[1,{"b":null}]}`, `{"a":[1.00,{"b":null}]}`, true},
		{`{"a":1}`, `{"a":1,"b":2}`, false},
		{`[1,2]`, `[2,1]`, false},
		{`null`, `false`, false},
		{`12345678901234567890`, `12345678901234567891`, false},
	}
	for _, tt := range tests {
		if got := equal(mustDecode(t, tt.a), mustDecode(t, tt.b)); got != tt.want {
			t.Errorf("equal(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestParseTimestamp(t *testing.T) {
	for s, want := range map[string]bool{
		"2016-03-14T01:59:00Z":          true,
		"2016-03-14T01:59:00.123456Z":   true,
		"2016-03-14T01:59:00+08:00":     true,
		"2016-03-14t01:59:00Z":          false,
		"2016-03-14T01:59:00z":          false,
		"2016-03-14 01:59:00Z":          false,
		"2016-03-14T01:59:00":           false,
		"2016-02-30T01:59:00Z":          false,
		"2016-03-14":                    false,
		"":                              false,
		"2016-03-14T01:59:00.Z":         false,
		"2016-03-14T25:59:00Z":          false,
		"2016-03-14T01:59:00+08:00junk": false,
	} {
		if _, got := ParseTimestamp(s); got != want {
			t.Errorf("ParseTimestamp(%q) ok = %v, want %v", s, got, want)
		}
	}
}
