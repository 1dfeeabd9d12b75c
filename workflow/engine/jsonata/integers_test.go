package jsonata

import "testing"

// $formatInteger and $parseInteger give the results JSONata's
// documentation gives, and read back what they write.
func TestFormatAndParseInteger(t *testing.T) {
	for _, c := range []struct {
		n       float64
		picture string
		want    string
	}{
		{2789, "w", "two thousand, seven hundred and eighty-nine"},
		{1005, "w", "one thousand and five"},
		{12476, "w", "twelve thousand, four hundred and seventy-six"},
		{42, "W", "FORTY-TWO"},
		{101, "Ww", "One Hundred and One"},
		{1, "w;o", "first"},
		{42, "w;o", "forty-second"},
		{20, "w;o", "twentieth"},
		{-3, "w", "minus three"},
		{1999, "I", "MCMXCIX"},
		{14, "i", "xiv"},
		{27, "a", "aa"},
		{3, "A", "C"},
		{5, "000", "005"},
		{12345, "#,##0", "12,345"},
		{123456789, "#,##0", "123,456,789"},
		{1234567, "#,##,##0", "12,34,567"},
		{21, "0;o", "21st"},
		{12, "0;o", "12th"},
		{-1234, "#,##0", "-1,234"},
	} {
		got, err := formatInteger(c.n, c.picture)
		if err != nil || got != c.want {
			t.Errorf("$formatInteger(%v, %q) = %q, %v; want %q", c.n, c.picture, got, err, c.want)
			continue
		}
		back, err := parseInteger(got, c.picture)
		if err != nil || back != c.n {
			t.Errorf("$parseInteger(%q, %q) = %v, %v; want %v", got, c.picture, back, err, c.n)
		}
	}
	for _, bad := range []struct{ s, picture string }{{"12a", "#,##0"}, {"MMXQ", "I"}, {"eleventy", "w"}, {"", "0"}} {
		if v, err := parseInteger(bad.s, bad.picture); err == nil {
			t.Errorf("$parseInteger(%q, %q) = %v, want an error", bad.s, bad.picture, v)
		}
	}
	for _, pic := range []string{"", "x0", ",000", "00,"} {
		if s, err := formatInteger(1, pic); err == nil {
			t.Errorf("$formatInteger(1, %q) = %q, want an error", pic, s)
		}
	}
}
