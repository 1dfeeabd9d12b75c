package expr

import (
	"strings"
	"testing"
)

// store is the document of Jayway JsonPath's README, which AWS's JSONPath
// implementation follows.
const store = `{
  "store": {
    "book": [
      {"category": "reference", "author": "Nigel Rees", "title": "Sayings of the Century", "price": 8.95},
      {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword of Honour", "price": 12.99},
      {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553-21311-3", "price": 8.99},
      {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings", "isbn": "0-395-19395-8", "price": 22.99}
    ],
    "bicycle": {"color": "red", "price": 19.95}
  },
  "expensive": 10,
  "a b": {"c.d": 1, "it's": 2}
}`

func TestPathGet(t *testing.T) {
	// The developer guide's example input for paths.
	const guide = `{"foo": 123, "bar": ["a", "b", "c"], "car": {"cdr": true}}`
	tests := []struct {
		name, doc, path, want string
	}{
		{"root", guide, "$", guide},
		{"member", guide, "$.foo", `123`},
		{"array member", guide, "$.bar", `["a","b","c"]`},
		{"nested member", guide, "$.car.cdr", `true`},
		{"index", guide, "$.bar[1]", `"b"`},
		{"negative index", guide, "$.bar[-1]", `"c"`},
		{"bracket name", guide, "$['car']['cdr']", `true`},
		{"double-quoted bracket name", guide, `$["foo"]`, `123`},
		{"bracket name with dot and space", store, "$['a b']['c.d']", `1`},
		{"bracket name with escaped quote", store, `$['a b']['it\'s']`, `2`},
		{"double-quoted bracket name with escaped quote", `{"say \"hi\"":1}`, `$["say \"hi\""]`, `1`},
		{"bracket name with escaped backslash", `{"a\\b":2}`, `$['a\\b']`, `2`},
		{"wildcard on array", store, "$.store.book[*].author", `["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"]`},
		{"deep scan", store, "$..author", `["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"]`},
		{"wildcard on object, keys sorted", store, "$.store.bicycle.*", `["red",19.95]`},
		{"deep scan of price", store, "$.store..price", `[8.95,12.99,8.99,22.99,19.95]`}, // document order, as Jayway
		{"deep index", store, "$..book[2].title", `["Moby Dick"]`},
		{"deep negative index", store, "$..book[-1].title", `["The Lord of the Rings"]`},
		{"index union", store, "$.store.book[0,1].title", `["Sayings of the Century","Sword of Honour"]`},
		{"slice head", store, "$.store.book[:2].price", `[8.95,12.99]`},
		{"slice range", store, "$.store.book[1:3].price", `[12.99,8.99]`},
		{"slice tail", store, "$.store.book[-2:].price", `[8.99,22.99]`},
		{"slice past the end", store, "$.store.book[3:10].price", `[22.99]`},
		{"empty slice", store, "$.store.book[3:1]", `[]`},
		{"filter existence", store, "$.store.book[?(@.isbn)].title", `["Moby Dick","The Lord of the Rings"]`},
		{"filter less than", store, "$.store.book[?(@.price < 10)].title", `["Sayings of the Century","Moby Dick"]`},
		{"filter string equality", store, "$..book[?(@.author == 'Nigel Rees')].price", `[8.95]`},
		{"filter against root", store, "$.store.book[?(@.price <= $.expensive)].price", `[8.95,8.99]`},
		{"filter and", store, "$.store.book[?(@.category == 'fiction' && @.price < 20)].price", `[12.99,8.99]`},
		{"filter or", store, "$.store.book[?(@.price < 9 || @.price > 20)].price", `[8.95,8.99,22.99]`},
		{"filter not equal", store, `$.store.book[?(@.category != "fiction")].price`, `[8.95]`},
		{"filter negation", store, "$.store.book[?(!(@.price > 10))].price", `[8.95,8.99]`},
		{"filter selecting nothing", store, "$.store.book[?(@.price > 100)]", `[]`},
		{"filter numeric equality ignores form", `{"a":[{"n":1.0},{"n":2}]}`, "$.a[?(@.n == 1)].n", `[1.0]`},
		{"filter on object", `{"a":{"n":1}}`, "$.a[?(@.n == 1)]", `[{"n":1}]`},
		{"filter type mismatch is false", `{"a":[{"n":"1"}]}`, "$.a[?(@.n < 2)]", `[]`},
		{"multi-name leaf merges", store, "$.store.bicycle['color','price']", `{"color":"red","price":19.95}`},
		{"multi-name leaf skips missing", store, "$.store.bicycle['color','gears']", `{"color":"red"}`},
		{"wildcard skips missing members", store, "$.store.book[*].isbn", `["0-553-21311-3","0-395-19395-8"]`},
		{"null value is found", `{"a":null}`, "$.a", `null`},
		{"hyphen in name", `{"my-key":1}`, "$.my-key", `1`},
		{"unicode name", `{"名称":"甲"}`, "$.名称", `"甲"`},
		{"wildcard on scalar selects nothing", `{"a":1}`, "$.a[*]", `[]`},
		// An indefinite path never fails: what is missing selects nothing.
		{"wildcard on missing array", `{"a":1}`, "$.missing[*]", `[]`},
		{"wildcard on empty array", `{"a":[]}`, "$.a[*]", `[]`},
		{"slice on missing array", `{"a":1}`, "$.missing[0:2]", `[]`},
		{"slice on empty array", `{"a":[]}`, "$.a[1:]", `[]`},
		{"wildcard below missing member", `{"a":{}}`, "$.a.b[*].c", `[]`},
		{"deep scan below missing member", `{"a":{}}`, "$.a.c..x", `[]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := CompilePath(tt.path)
			if err != nil {
				t.Fatalf("CompilePath(%q): %v", tt.path, err)
			}
			got, err := p.Get(mustDecode(t, tt.doc), "InputPath")
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			wantJSON(t, got, tt.want)
		})
	}
}

func TestPathGetNotFound(t *testing.T) {
	doc := `{"a":{"b":[1,2]},"s":"x"}`
	for _, path := range []string{"$.missing", "$.a.c", "$.a.b[2]", "$.a.b[-3]", "$.s.t", "$.a[0]"} {
		t.Run(path, func(t *testing.T) {
			p, err := CompilePath(path)
			if err != nil {
				t.Fatalf("CompilePath: %v", err)
			}
			_, err = p.Get(mustDecode(t, doc), "InputPath")
			if errName(err) != ErrRuntime {
				t.Fatalf("Get error = %v, want %s", err, ErrRuntime)
			}
			want := "The JSONPath '" + path + "' specified for the field 'InputPath' could not be found in the input '" + `{"a":{"b":[1,2]},"s":"x"}` + "'"
			if got := err.(*Error).Cause; got != want {
				t.Errorf("cause = %q\nwant    %q", got, want)
			}
		})
	}
}

func TestCompilePathErrors(t *testing.T) {
	for _, path := range []string{
		"", "foo", "$.", "$..", "$[", "$[1", "$['a'", "$['a]", "$.a[?(@.b ==)]", "$.a[?@.b]", "$.a[?(@.b == 1]",
		"$[1:2:3]", "$a b", "$1a", "$a.", "$.a b", "$[-]", "$[x]", "$[99999999999999]", "$.a[?(1)]", "$[,]", "$.a[?(@.b = 1)]",
		strings.Repeat("$", 1) + strings.Repeat(".a", 3000),
	} {
		if _, err := CompilePath(path); err == nil {
			t.Errorf("CompilePath(%q) succeeded, want an error", path)
		}
	}
}

func TestCompileReferencePath(t *testing.T) {
	for _, ok := range []string{"$", "$.a", "$.a.b[0]['c']", "$$.Execution.Input", "$['a b'][3]"} {
		if _, err := CompileReferencePath(ok); err != nil {
			t.Errorf("CompileReferencePath(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"$.a[*]", "$..a", "$.a[0:1]", "$.a[0,1]", "$.a[?(@.b)]", "$['a','b']", "$.*", "a"} {
		if _, err := CompileReferencePath(bad); err == nil {
			t.Errorf("CompileReferencePath(%q) succeeded, want an error", bad)
		}
	}
}

func TestPathAccessors(t *testing.T) {
	tests := []struct {
		path                    string
		root, context, definite bool
	}{
		{"$", true, false, true},
		{"$.a", false, false, true},
		{"$$", false, true, true},
		{"$$.Map.Item.Value", false, true, true},
		{"$.a[*]", false, false, false},
		{"$['a','b']", false, false, true},
		{"$['a','b'].c", false, false, false},
	}
	for _, tt := range tests {
		p, err := CompilePath(tt.path)
		if err != nil {
			t.Fatalf("CompilePath(%q): %v", tt.path, err)
		}
		if p.String() != tt.path || p.IsRoot() != tt.root || p.IsContext() != tt.context || p.IsDefinite() != tt.definite {
			t.Errorf("%q: String=%q IsRoot=%v IsContext=%v IsDefinite=%v", tt.path, p.String(), p.IsRoot(), p.IsContext(), p.IsDefinite())
		}
	}
}
