package jsonata

import "strings"

// evaluatorSource is an expression as the evaluator is given it: the
// same expression, with two pieces of JSONata 2.0.6's syntax the
// evaluator's parser lacks spelled in ones it has. A comment (/* … */)
// becomes a space, and a quoted string that is a step of a path
// ($."Product Name", "foo".bar), which JSONata reads as a field name,
// becomes a backquoted name (`Product Name`). Strings, backquoted names
// and regular expressions are skipped whole, so nothing inside them
// changes. A source it cannot scan (an unterminated string or comment)
// is returned as it is, for the parser to report.
func evaluatorSource(src string) string {
	if !strings.ContainsAny(src, `"'/`) {
		return src
	}
	var b strings.Builder
	b.Grow(len(src))
	var (
		prev  byte   // the last significant character written
		prev2 byte   // the one before it
		word  string // the identifier prev ends, if any
	)
	emit := func(s string, last byte) {
		b.WriteString(s)
		prev2, prev = prev, last
		word = ""
	}
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '/' && strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return src
			}
			b.WriteByte(' ')
			i += end + 4
			continue
		case c == '/' && regexMayStart(prev, word):
			end := regexEnd(src, i)
			if end < 0 {
				return src
			}
			emit(src[i:end], 'r')
			i = end
			continue
		case c == '"' || c == '\'':
			end := stringEnd(src, i)
			if end < 0 {
				return src
			}
			lit := src[i:end]
			inner := lit[1 : len(lit)-1]
			step := (prev == '.' && prev2 != '.') || followedByDot(src[end:])
			if step && !strings.ContainsAny(inner, "`\\") {
				lit = "`" + inner + "`"
			}
			emit(lit, '"')
			i = end
			continue
		case c == '`':
			end := strings.IndexByte(src[i+1:], '`')
			if end < 0 {
				return src
			}
			emit(src[i:i+end+2], '`')
			i += end + 2
			continue
		}
		b.WriteByte(c)
		i++
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			continue
		}
		if isNameByte(c) {
			if isNameByte(prev) {
				word += string(c)
			} else {
				word = string(c)
			}
			prev2, prev = prev, c
			continue
		}
		prev2, prev, word = prev, c, ""
	}
	return b.String()
}

func isNameByte(c byte) bool {
	return c == '_' || c == '$' || c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// regexMayStart reports whether a / after prev (and the identifier word
// it ends) starts a regular expression: where a value is expected, not
// after one, where it divides.
func regexMayStart(prev byte, word string) bool {
	switch {
	case prev == 0:
		return true
	case word != "":
		return word == "and" || word == "or" || word == "in"
	}
	return !strings.ContainsRune(`)]}"'`+"`r", rune(prev))
}

// regexEnd is the index after the regular expression starting at src[i]
// (its flags included), or -1.
func regexEnd(src string, i int) int {
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case '\n':
			return -1
		case '/':
			j++
			for j < len(src) && (src[j] >= 'a' && src[j] <= 'z') {
				j++
			}
			return j
		}
	}
	return -1
}

// stringEnd is the index after the string literal starting at src[i],
// or -1.
func stringEnd(src string, i int) int {
	q := src[i]
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case q:
			return j + 1
		}
	}
	return -1
}

// followedByDot reports whether rest starts, after white space, with
// the path operator (a single dot, not the range operator ..).
func followedByDot(rest string) bool {
	rest = strings.TrimLeft(rest, " \t\r\n")
	return strings.HasPrefix(rest, ".") && !strings.HasPrefix(rest, "..")
}
