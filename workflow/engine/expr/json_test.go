package expr

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

func TestDecode(t *testing.T) {
	v, err := Decode([]byte(` {"n": 12345678901234567890, "f": 1.50, "s": "x", "a": [true, null]} `))
	if err != nil {
		t.Fatal(err)
	}
	m := v.(*Object)
	n, _ := m.Get("n")
	f, _ := m.Get("f")
	if n != json.Number("12345678901234567890") || f != json.Number("1.50") {
		t.Errorf("numbers decoded as %#v and %#v, want their exact text as json.Number", n, f)
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

// TestEncodeRoundTrip checks that a decoded document encodes to its own
// text, compacted: every kind of value, and object members in the order
// they were written (not sorted), as Step Functions returns them.
func TestEncodeRoundTrip(t *testing.T) {
	for _, doc := range []string{store, `{"z":1,"a":{"y":[{"b":1,"a":2}],"x":null},"m":"\u00e9\"q"}`,
		`{"k9":9,"k8":8,"k7":7,"k6":6,"k5":5,"k4":4,"k3":3,"k2":2,"k1":1,"k0":0}`} {
		b, err := Encode(mustDecode(t, doc))
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := json.Compact(&want, []byte(doc)); err != nil {
			t.Fatal(err)
		}
		if got := strings.ReplaceAll(string(b), "é", `\u00e9`); got != want.String() {
			t.Errorf("round trip changed the document:\n got %s\nwant %s", got, want.String())
		}
	}
}

// TestObjectOrder checks the order rules of Object: a duplicate key keeps
// its first place and its last value; With replaces in place or appends.
func TestObjectOrder(t *testing.T) {
	for _, n := range []int{3, smallObject + 2} {
		ms := []Member{}
		for i := n; i > 0; i-- {
			ms = append(ms, Member{Key: strconv.Itoa(i), Value: json.Number(strconv.Itoa(i))})
		}
		ms = append(ms, Member{Key: "2", Value: "last"})
		o := NewObject(ms)
		if got, _ := o.Get("2"); got != "last" || o.Len() != n {
			t.Errorf("n=%d: duplicate key: Get = %v, Len = %d", n, got, o.Len())
		}
		o2 := o.With("1", true).With("new", false)
		keys := o2.Keys()
		if keys[n-1] != "1" || keys[n] != "new" || keys[n-2] != "2" {
			t.Errorf("n=%d: keys after With = %v", n, keys)
		}
		if v, _ := o.Get("1"); v == true {
			t.Errorf("n=%d: With modified the original", n)
		}
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
