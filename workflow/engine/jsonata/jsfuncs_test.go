package jsonata

import (
	"math"
	"testing"

	"github.com/blues/jsonata-go/jtypes"
)

// The replaced functions answer as jsonata-js does.
func TestJSFunctions(t *testing.T) {
	for _, c := range []struct {
		name string
		got  func() (string, error)
		want string
	}{
		{"string of 0.1+0.2", func() (string, error) { return jsString(0.1+0.2, jtypes.OptionalValue{}) }, "0.3"},
		{"string of 1/3", func() (string, error) { return jsString(1.0/3, jtypes.OptionalValue{}) }, "0.333333333333333"},
		{"string of an integer", func() (string, error) { return jsString(float64(42), jtypes.OptionalValue{}) }, "42"},
		{"string of 1e21", func() (string, error) { return jsString(1e21, jtypes.OptionalValue{}) }, "1e+21"},
		{"string of 1e-7", func() (string, error) { return jsString(1e-7, jtypes.OptionalValue{}) }, "1e-7"},
		{"string of -2.5e-7", func() (string, error) { return jsString(-2.5e-7, jtypes.OptionalValue{}) }, "-2.5e-7"},
		{"string of 123456789012345680000", func() (string, error) { return jsString(123456789012345680000.0, jtypes.OptionalValue{}) }, "123456789012346000000"},
		{"string of a string", func() (string, error) { return jsString("x", jtypes.OptionalValue{}) }, "x"},
		{"string of a boolean", func() (string, error) { return jsString(true, jtypes.OptionalValue{}) }, "true"},
		{"component: space and &", func() (string, error) { return encodeURIComponent("a b&c") }, "a%20b%26c"},
		{"component: unreserved", func() (string, error) { return encodeURIComponent("A-z_0.!~*'()") }, "A-z_0.!~*'()"},
		{"component: UTF-8", func() (string, error) { return encodeURIComponent("企业") }, "%E4%BC%81%E4%B8%9A"},
		{"uri keeps reserved", func() (string, error) { return encodeURI("https://x.cn/a b?q=1&r=企#f") }, "https://x.cn/a%20b?q=1&r=%E4%BC%81#f"},
	} {
		got, err := c.got()
		if err != nil || got != c.want {
			t.Errorf("%s: %q, %v; want %q", c.name, got, err, c.want)
		}
	}
	for _, bad := range []float64{math.NaN(), math.Inf(1)} {
		if _, err := jsString(bad, jtypes.OptionalValue{}); err == nil {
			t.Errorf("$string(%v) answered", bad)
		}
	}
}
