package pii

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// sensitive lists the JSON field names whose string values are sealed,
// wherever they occur in the form.
var sensitive = map[string]bool{"idNumber": true, "mobile": true}

// SealForm returns a copy of f with every ID number and mobile number
// sealed, each bound to applicationID and its JSON path. f is not changed.
func (s *Sealer) SealForm(applicationID string, f kaiban.Form) (kaiban.Form, error) {
	return s.mapForm(f, func(path, v string) (string, error) {
		return s.Seal(v, applicationID+"\x00"+path)
	})
}

// OpenForm reverses SealForm.
func (s *Sealer) OpenForm(applicationID string, f kaiban.Form) (kaiban.Form, error) {
	return s.mapForm(f, func(path, v string) (string, error) {
		return s.Open(v, applicationID+"\x00"+path)
	})
}

func (s *Sealer) mapForm(f kaiban.Form, fn func(path, v string) (string, error)) (kaiban.Form, error) {
	out, err := mapValue(reflect.ValueOf(f), "", fn)
	if err != nil {
		return kaiban.Form{}, err
	}
	return out.Interface().(kaiban.Form), nil
}

// mapValue returns a copy of v in which fn has replaced every sensitive
// string field. Slices and pointers that may hold such fields are copied so
// the caller's value is never modified; everything else is shared.
func mapValue(v reflect.Value, path string, fn func(path, v string) (string, error)) (reflect.Value, error) {
	switch v.Kind() {
	case reflect.Struct:
		out := reflect.New(v.Type()).Elem()
		out.Set(v)
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			name := jsonName(sf)
			fv := v.Field(i)
			p := join(path, name)
			if fv.Kind() == reflect.String {
				if sensitive[name] {
					s, err := fn(p, fv.String())
					if err != nil {
						return reflect.Value{}, err
					}
					out.Field(i).SetString(s)
				}
				continue
			}
			if !mayHold(fv.Type()) {
				continue
			}
			nv, err := mapValue(fv, p, fn)
			if err != nil {
				return reflect.Value{}, err
			}
			out.Field(i).Set(nv)
		}
		return out, nil
	case reflect.Pointer:
		if v.IsNil() {
			return v, nil
		}
		nv, err := mapValue(v.Elem(), path, fn)
		if err != nil {
			return reflect.Value{}, err
		}
		p := reflect.New(v.Type().Elem())
		p.Elem().Set(nv)
		return p, nil
	case reflect.Slice, reflect.Array:
		var out reflect.Value
		if v.Kind() == reflect.Array {
			out = reflect.New(v.Type()).Elem()
		} else if v.IsNil() {
			return v, nil
		} else {
			out = reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		}
		for i := 0; i < v.Len(); i++ {
			nv, err := mapValue(v.Index(i), path+"["+strconv.Itoa(i)+"]", fn)
			if err != nil {
				return reflect.Value{}, err
			}
			out.Index(i).Set(nv)
		}
		return out, nil
	}
	return v, nil
}

// mayHold reports whether values of t can contain a struct field, and so a
// sensitive one.
func mayHold(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Struct:
		return true
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return mayHold(t.Elem())
	}
	return false
}

func jsonName(sf reflect.StructField) string {
	tag := sf.Tag.Get("json")
	if name, _, _ := strings.Cut(tag, ","); name != "" && name != "-" {
		return name
	}
	return sf.Name
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
