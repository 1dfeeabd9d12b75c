package validate

import (
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// fieldCache memoises the JSON field names of struct types, as
// encoding/json does; it only ever grows by the fixed set of types the
// program decodes.
var fieldCache sync.Map // reflect.Type → map[string]reflect.Type

// structFields returns the JSON names of t's fields with their types,
// following encoding/json's rules: the json tag's name or the Go name,
// "-" skipped, unexported fields skipped, untagged embedded structs
// flattened (outer fields win).
func structFields(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := map[string]reflect.Type{}
	collectFields(t, m, 0)
	actual, _ := fieldCache.LoadOrStore(t, m)
	return actual.(map[string]reflect.Type)
}

func collectFields(t reflect.Type, m map[string]reflect.Type, depth int) {
	var embedded []reflect.Type
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			if et := deref(f.Type); et.Kind() == reflect.Struct {
				embedded = append(embedded, et)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, taken := m[name]; !taken {
			m[name] = f.Type
		}
	}
	if depth < 8 {
		for _, et := range embedded {
			collectFields(et, m, depth+1)
		}
	}
}

// join appends an object key to a path. An empty key is written as ""
// so that every path names something.
func join(path, key string) string {
	if key == "" {
		key = `""`
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}
