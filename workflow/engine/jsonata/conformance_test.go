package jsonata

import (
	"strings"
	"testing"
	"time"
)

// evalJSONata evaluates one expression as a state does and returns the
// result as JSON; it fails the test, rather than hanging, if the
// evaluation does not end.
func evalJSONata(t *testing.T, src, input string) (string, error) {
	t.Helper()
	tmpl, err := Compile(`{% `+src+` %}`, "Output")
	if err != nil {
		return "", err
	}
	type res struct {
		v   any
		err error
	}
	ch := make(chan res, 1)
	go func() {
		v, err := tmpl.Eval(bindings(t, input, nil))
		ch <- res{v, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			return "", r.err
		}
		return encode(t, r.v), nil
	case <-time.After(5 * time.Second):
		t.Fatalf("%s did not end", src)
		return "", nil
	}
}

type exprCase struct{ name, src, want string }

func checkExprs(t *testing.T, cases []exprCase) {
	t.Helper()
	for _, c := range cases {
		got, err := evalJSONata(t, c.src, `{"amount": "15"}`)
		if err != nil || got != c.want {
			t.Errorf("%s: %s = %s, %v; want %s", c.name, c.src, got, err, c.want)
		}
	}
}

// $formatNumber with an exponent picture formats zero and negative
// numbers (XPath's format-number: zero has mantissa 0 and exponent 0; a
// negative number takes the negative subpicture or a minus sign).
func TestFormatNumberExponentZeroAndNegative(t *testing.T) {
	checkExprs(t, []exprCase{
		{"docs example", `$formatNumber(1234.5678, "00.000e0")`, `"12.346e2"`},
		{"negative", `$formatNumber(-1234.5678, "00.000e0")`, `"-12.346e2"`},
		{"negative subpicture", `$formatNumber(-1234.5678, "00.000e0;(00.000e0)")`, `"(12.346e2)"`},
		{"negative small", `$formatNumber(-0.00025, "0.0e0")`, `"-2.5e-4"`},
		{"zero", `$formatNumber(0, "0.0e0")`, `"0.0e0"`},
		{"zero, two integer digits", `$formatNumber(0, "00.000e0")`, `"00.000e0"`},
		{"zero without exponent", `$formatNumber(0, "#,##0.00")`, `"0.00"`},
		{"negative without exponent", `$formatNumber(-1234.5, "#,##0.00")`, `"-1,234.50"`},
	})
}

// $string(arg, prettify): with prettify true an object or array is
// JSON.stringify's layout with two spaces of indentation, one line per
// member and element; without it, compact.
func TestStringPrettify(t *testing.T) {
	checkExprs(t, []exprCase{
		{"compact", `$string({"a": 1, "b": [1, 2]}, false)`, `"{\"a\":1,\"b\":[1,2]}"`},
		{"object", `$string({"a": 1, "b": "x"}, true)`, `"{\n  \"a\": 1,\n  \"b\": \"x\"\n}"`},
		{"nested", `$string({"a": {"b": [1, {}], "c": []}}, true)`, `"{\n  \"a\": {\n    \"b\": [\n      1,\n      {}\n    ],\n    \"c\": []\n  }\n}"`},
		{"array", `$string([1, "two"], true)`, `"[\n  1,\n  \"two\"\n]"`},
		{"a string is unchanged", `$string("x", true)`, `"x"`},
		{"a number", `$string(5, true)`, `"5"`},
		{"context", `[1..2].$string()`, `["1","2"]`},
	})
}

// $number reads hexadecimal, octal and binary integer strings, as the
// documentation's casting rules give, besides JSON numbers.
func TestNumberPrefixedIntegers(t *testing.T) {
	checkExprs(t, []exprCase{
		{"docs example", `$number("0x12")`, `18`},
		{"upper-case hex", `$number("0XfF")`, `255`},
		{"octal", `$number("0o17")`, `15`},
		{"binary", `$number("0B101")`, `5`},
		{"JSON number", `$number("-1.5e2")`, `-150`},
		{"boolean", `$number(true)`, `1`},
		{"context", `["1", "0x10"].$number()`, `[1,16]`},
	})
	for _, bad := range []string{`$number("0x")`, `$number("0xg1")`, `$number("12abc")`, `$number("0b102")`} {
		if got, err := evalJSONata(t, bad, `{}`); err == nil {
			t.Errorf("%s = %s, want an error", bad, got)
		}
	}
}

// $fromMillis reads its picture as XPath's format-dateTime does, as the
// documentation of JSONata's date/time functions describes: ISO day of
// the week (1 is Monday), twelve-hour clock from 12, width modifiers,
// names, words, ordinals and Roman numerals, ISO weeks, literal text.
func TestFromMillisPicture(t *testing.T) {
	const fri = `1521801216617` // 2018-03-23T10:33:36.617Z, a Friday
	checkExprs(t, []exprCase{
		{"docs: ISO 8601", `$fromMillis(1510067557121)`, `"2017-11-07T15:12:37.121Z"`},
		{"docs: twelve-hour clock", `$fromMillis(1510067557121, '[M01]/[D01]/[Y0001] [h#1]:[m01][P]')`, `"11/07/2017 3:12pm"`},
		{"docs: timezone", `$fromMillis(1510067557121, '[H01]:[m01]:[s01] [z]', '-0500')`, `"10:12:37 GMT-05:00"`},
		{"ISO 8601 in a timezone", `$fromMillis(` + fri + `, (), '+0530')`, `"2018-03-23T16:03:36.617+05:30"`},
		{"names and ordinal", `$fromMillis(` + fri + `, '[FNn], [D1o] [MNn] [Y]')`, `"Friday, 23rd March 2018"`},
		{"widths", `$fromMillis(` + fri + `, '[F1] [FNn,3-3] [D] [MNn,3-3] [M,2] [Y,2]')`, `"5 Fri 23 Mar 03 18"`},
		{"upper-case names", `$fromMillis(` + fri + `, '[FN] [MN]')`, `"FRIDAY MARCH"`},
		{"words", `$fromMillis(` + fri + `, '[Dwo] [MNn] [Yw]')`, `"twenty-third March two thousand and eighteen"`},
		{"Roman and letters", `$fromMillis(` + fri + `, '[D1] [M01] [YI] [Da]')`, `"23 03 MMXVIII w"`},
		{"day of year", `$fromMillis(` + fri + `, '[d]')`, `"82"`},
		{"week of month", `$fromMillis(` + fri + `, '[w] of [xNn]')`, `"4 of March"`},
		{"Sunday is 7, midnight is 12 am", `$fromMillis(1522540800000, '[F1] [h]:[m01] [P] [PN]')`, `"7 12:00 am AM"`},
		{"ISO week date", `$fromMillis(1104537600000, '[X0001]-W[W01]-[F1]')`, `"2004-W53-6"`},
		{"no markers", `$fromMillis(` + fri + `, 'Hello')`, `"Hello"`},
		{"escaped brackets", `$fromMillis(` + fri + `, '[[[Y]]]')`, `"[2018]"`},
		{"calendar and era", `$fromMillis(` + fri + `, '[C] [E]')`, `"ISO ISO"`},
		{"timezone hours and minutes", `$fromMillis(` + fri + `, '[H01]:[m01] [Z0101]', '-0330')`, `"07:03 -0330"`},
		{"context", `[` + fri + `].$fromMillis()`, `"2018-03-23T10:33:36.617Z"`},
	})
	for _, bad := range []string{`$fromMillis(0, '[YN]')`, `$fromMillis(0, '[Q]')`, `$fromMillis(0, '[Y')`, `$fromMillis(0, '[Z010101]')`} {
		if got, err := evalJSONata(t, bad, `{}`); err == nil {
			t.Errorf("%s = %s, want an error", bad, got)
		}
	}
}

// $toMillis with a picture reads what $fromMillis writes with it, as the
// documentation of JSONata's date/time functions describes: names,
// ordinals, words and Roman numerals, a twelve-hour clock, timezones,
// fractional seconds, the day of the year; a string that does not match
// gives nothing; a picture with a gap between the parts it gives is an
// error.
func TestToMillisPicture(t *testing.T) {
	const day = `1521763200000` // 2018-03-23T00:00:00Z
	checkExprs(t, []exprCase{
		{"docs: ISO 8601", `$toMillis("2017-11-07T15:07:54.972Z")`, `1510067274972`},
		{"digits", `$toMillis('2018-03-23', '[Y0001]-[M01]-[D01]')`, day},
		{"digits without separators", `$toMillis('20180323', '[Y0001][M01][D01]')`, day},
		{"ordinal and name", `$toMillis('23rd March 2018', '[D1o] [MNn] [Y]')`, day},
		{"short names, any case", `$toMillis('FRI, 23 MAR 2018', '[FNn,3-3], [D] [MNn,3-3] [Y]')`, day},
		{"words", `$toMillis('twenty-third of March, two thousand and eighteen', '[Dw] of [MNn], [Yw]')`, day},
		{"Roman", `$toMillis('MMXVIII-3-23', '[YI]-[M]-[D]')`, day},
		{"day of the year", `$toMillis('2018--082', '[Y]--[d]')`, day},
		{"twelve-hour clock", `$toMillis('2018-03-23 3:05 pm', '[Y]-[M]-[D] [h]:[m] [P]')`, `1521817500000`},
		{"timezone", `$toMillis('2018-03-23 10:00 +05:30', '[Y]-[M]-[D] [H]:[m] [Z01:01]')`, `1521779400000`},
		{"fractional seconds", `$toMillis('2018-03-23T10:33:36.5', '[Y]-[M]-[D]T[H]:[m]:[s].[f]')`, `1521801216500`},
		{"round trip", `$toMillis($fromMillis(1521801216617, '[D1o] [MNn] [Y] [H01]:[m01]:[s01].[f001]'), '[D1o] [MNn] [Y] [H01]:[m01]:[s01].[f001]')`, `1521801216617`},
		{"a time is today's", `$toMillis('13:45', '[H]:[m]') = $toMillis($substringBefore($now(), 'T') & 'T13:45:00.000Z')`, `true`},
		{"no match gives nothing", `$exists($toMillis('soon', '[Y]-[M]-[D]'))`, `false`},
		{"no markers give nothing", `$exists($toMillis('Hello', 'Hello'))`, `false`},
	})
	for _, bad := range []string{`$toMillis('2018-23', '[Y]-[D]')`, `$toMillis('3-23 10:05', '[M]-[D] [m]:[s]')`, `$toMillis('2018', '[YN]')`} {
		if got, err := evalJSONata(t, bad, `{}`); err == nil {
			t.Errorf("%s = %s, want an error", bad, got)
		}
	}
}

// $string passed to a higher-order function gets the value only, as in
// jsonata-js, where it declares one required parameter.
func TestStringAsFunctionArgument(t *testing.T) {
	checkExprs(t, []exprCase{
		{"$map", `$map([1, 2, {"a": 3}], $string)`, `["1","2","{\"a\":3}"]`},
		{"$filter", `$filter(["a", "b"], function($v) { $string($v) = "b" })`, `["b"]`},
	})
	if got, err := evalJSONata(t, `$string({"a": 1}, 1)`, `{}`); err == nil {
		t.Errorf(`$string({"a": 1}, 1) = %s, want an error`, got)
	}
}

// $formatInteger and $parseInteger as XPath's format-integer defines
// them: words of any magnitude, title case of every word but "and",
// digits of any Unicode decimal family, and a decimal picture needs one
// mandatory digit.
func TestIntegerPicturesBeyondTheBasics(t *testing.T) {
	checkExprs(t, []exprCase{
		{"title case after a hyphen", `$formatInteger(555, 'Ww')`, `"Five Hundred and Fifty-Five"`},
		{"a thousand trillion", `$formatInteger(1000000000000000, 'w')`, `"one thousand trillion"`},
		{"two million trillion", `$formatInteger(2e18, 'w')`, `"two million trillion"`},
		{"read back", `$parseInteger('one thousand trillion', 'w')`, `1000000000000000`},
		{"hundreds of a year", `$parseInteger('nineteen hundred and eighty-four', 'w')`, `1984`},
		{"groups", `$parseInteger('one million, two hundred thousand and one', 'w')`, `1200001`},
		{"Arabic-Indic digits", `$formatInteger(1234, '#,##٠')`, `"١,٢٣٤"`},
		{"full-width digits", `$formatInteger(42, '０００')`, `"０４２"`},
		{"read Arabic-Indic digits", `$parseInteger('١,٢٣٤', '#,##٠')`, `1234`},
		{"empty Roman numeral", `$parseInteger('', 'I')`, `0`},
	})
	for _, bad := range []string{`$formatInteger(5, '#')`, `$formatInteger(123456789, '#,###')`, `$parseInteger('50', '#')`, `$formatInteger(5, '0٠')`} {
		if got, err := evalJSONata(t, bad, `{}`); err == nil {
			t.Errorf("%s = %s, want an error", bad, got)
		}
	}
}

// $assert, $single without a function, $not of nothing and $each over
// the context, as JSONata's function library documents them.
func TestBuiltinsTheEvaluatorLacks(t *testing.T) {
	checkExprs(t, []exprCase{
		{"assert true gives nothing", `$exists($assert(1 < 2, "fine"))`, `false`},
		{"assert then a value", `($assert(true); "after")`, `"after"`},
		{"single of one", `$single([7])`, `7`},
		{"single with a function", `$single([1, 2, 3], function($v) { $v > 2 })`, `3`},
		{"not of nothing is nothing", `$exists($not(nothing))`, `false`},
		{"not", `$not(false)`, `true`},
		{"each over the context", `{"a": 1, "b": 2}.$each(function($v, $k) { $k & $v })`, `["a1","b2"]`},
	})
	for _, c := range []struct{ src, msg string }{
		{`$assert(1 > 2, "too small")`, "too small"},
		{`$assert(false)`, "$assert() statement failed"},
		{`$single([1, 2])`, "must be 1"},
		{`$single([])`, "must be 1"},
	} {
		_, err := evalJSONata(t, c.src, `{}`)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: error %v, want one saying %q", c.src, err, c.msg)
		}
	}
}

// The & operator casts its operands with $string's rules, as JSONata's
// documentation of the operator says: numbers to 15 significant digits,
// objects as JSON in their key order, nothing as the empty string.
func TestConcatenationCastsAsString(t *testing.T) {
	checkExprs(t, []exprCase{
		{"a sum of decimals", `"Total: " & (0.1 + 0.2)`, `"Total: 0.3"`},
		{"a third", `1 / 3 & ""`, `"0.333333333333333"`},
		{"money", `"€" & $sum([68.9, 21.67])`, `"€90.57"`},
		{"an integer", `"n" & 42`, `"n42"`},
		{"an object keeps its key order", `"o" & {"b": 1, "a": [1, 2]}`, `"o{\"b\":1,\"a\":[1,2]}"`},
		{"nothing", `"x" & nothing & "y"`, `"xy"`},
		{"a boolean and null", `true & null`, `"truenull"`},
		{"$string shadowed by a variable", `($string := function($v) { "shadow" }; "a" & 1.5)`, `"a1.5"`},
		{"inside a function", `$map([0.1, 0.7], function($v) { $v * 3 & "" })`, `["0.3","2.1"]`},
	})
}

// and / or give booleans of their operands' truthiness, as JSONata's
// boolean operators are documented, and do not evaluate a right side
// the left side already decides, so it may guard a comparison that
// would fail.
func TestBooleanOperatorsStopAtTheLeftSide(t *testing.T) {
	checkExprs(t, []exprCase{
		{"guarded comparison", `$type($states.input.amount) = 'number' and $states.input.amount > 10`, `false`},
		{"and stops at false", `false and $error("never")`, `false`},
		{"or stops at true", `true or $error("never")`, `true`},
		{"truthy operands", `1 and "a"`, `true`},
		{"falsy operands", `0 or ""`, `false`},
		{"nothing is false", `true and nothing`, `false`},
		{"nothing or true", `nothing or true`, `true`},
		{"nested", `(false or true) and (true and [1])`, `true`},
		{"inside a predicate", `[1, 5, 12][$ > 2 and $ < 10]`, `5`},
	})
	if _, err := evalJSONata(t, `true and $error("boom")`, `{}`); err == nil {
		t.Error(`true and $error("boom") did not fail`)
	}
}

// A function that calls itself without end fails with an error (as
// jsonata-js's stack overflow error), rather than growing the stack
// until the process dies; recursion that ends, and functions'
// scopes and results, are as JSONata's documentation of functions
// describes.
func TestRunawayRecursionFails(t *testing.T) {
	for _, src := range []string{
		`($inf := function() { $inf() }; $inf())`,
		`($inf := function($n) { $n + $inf($n - 1) }; $inf(5))`,
		`($f := function($a) { $map($a, function($v) { $f($a) }) }; $f([1]))`,
	} {
		_, err := evalJSONata(t, src, `{}`)
		if err == nil || !strings.Contains(err.Error(), "stack overflow") {
			t.Errorf("%s: error %v, want a stack overflow", src, err)
		}
	}
	checkExprs(t, []exprCase{
		{"docs: factorial", `($factorial := function($x) { $x <= 1 ? 1 : $x * $factorial($x - 1) }; $factorial(4))`, `24`},
		{"deep recursion that ends", `($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(5000))`, `5000`},
		{"a function's variables stay in it", `($x := 1; $g := function() { ($x := 2; $x) }; [$g(), $x])`, `[2,1]`},
		{"a function may give nothing", `($u := function() { nothing }; $exists($u()))`, `false`},
		{"higher-order functions", `$map([1, 2], function($v, $i) { $v * 10 + $i })`, `[10,21]`},
	})
}
