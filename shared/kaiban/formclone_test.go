package kaiban

import (
	"reflect"
	"testing"
)

// fill gives every slice one element and every pointer a value, all the
// way down, so that every reference in a form is exercised.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0))
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem())
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
	case reflect.String:
		v.SetString("x")
	}
}

// shared reports the path of the first reference a and b have in common.
func shared(a, b reflect.Value, path string) string {
	switch a.Kind() {
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if p := shared(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); p != "" {
				return p
			}
		}
	case reflect.Slice, reflect.Map:
		if a.Pointer() == b.Pointer() {
			return path
		}
		if a.Kind() == reflect.Slice {
			for i := 0; i < a.Len(); i++ {
				if p := shared(a.Index(i), b.Index(i), path+"[]"); p != "" {
					return p
				}
			}
		}
	case reflect.Pointer:
		if a.Pointer() == b.Pointer() {
			return path
		}
		return shared(a.Elem(), b.Elem(), path)
	}
	return ""
}

func TestFormCloneSharesNothing(t *testing.T) {
	var f Form
	fill(reflect.ValueOf(&f).Elem())
	c := f.Clone()
	if !reflect.DeepEqual(f, c) {
		t.Fatal("the clone differs from the form")
	}
	if p := shared(reflect.ValueOf(f), reflect.ValueOf(c), "Form"); p != "" {
		t.Errorf("Clone shares %s with the original: copy it in Form.Clone", p)
	}
	var empty Form
	if c := empty.Clone(); !reflect.DeepEqual(empty, c) {
		t.Errorf("the clone of an empty form is %+v", c)
	}
}
