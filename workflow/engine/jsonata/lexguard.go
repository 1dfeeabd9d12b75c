package jsonata

import (
	"errors"
	"strings"
)

// errLoneBang is the parser's own answer to a ! that is not part of !=.
var errLoneBang = errors.New("syntax error: '!'")

// loneBang reports whether src has a ! outside strings, backquoted names,
// comments and regular expressions that does not start !=. JSONata has
// no other use for it, and the evaluator's lexer mis-steps on a ! before
// a character outside ASCII: the parser then panics or recurses until
// the Go runtime stops the process, which no recover can catch. Such a
// source is refused before it reaches the parser.
func loneBang(src string) bool {
	if !strings.Contains(src, "!") {
		return false
	}
	var prev byte
	word := ""
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '/' && strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return false // unterminated: the parser reports it
			}
			i += end + 4
			continue
		case c == '/' && regexMayStart(prev, word):
			end := regexEnd(src, i)
			if end < 0 {
				return false
			}
			prev, word, i = 'r', "", end
			continue
		case c == '"' || c == '\'':
			end := stringEnd(src, i)
			if end < 0 {
				return false
			}
			prev, word, i = '"', "", end
			continue
		case c == '`':
			end := strings.IndexByte(src[i+1:], '`')
			if end < 0 {
				return false
			}
			prev, word, i = '`', "", i+end+2
			continue
		case c == '!':
			if i+1 >= len(src) || src[i+1] != '=' {
				return true
			}
		}
		i++
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		case isNameByte(c):
			if isNameByte(prev) {
				word += string(c)
			} else {
				word = string(c)
			}
			prev = c
		default:
			prev, word = c, ""
		}
	}
	return false
}
