package expr

import "strings"

// glob is a compiled StringMatches pattern: * matches any run of
// characters (including none); \* and \\ stand for a literal * and \.
type glob struct {
	// parts are the literal runs between stars; a pattern "a*b" has
	// parts ["a", "b"], "*a*" has ["", "a", ""].
	parts []string
}

func compileGlob(p string) glob {
	var parts []string
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '\\' && i+1 < len(p):
			i++
			b.WriteByte(p[i])
		case c == '*':
			parts = append(parts, b.String())
			b.Reset()
		default:
			b.WriteByte(c)
		}
	}
	return glob{parts: append(parts, b.String())}
}

// match reports whether s matches: the first part must be a prefix, the
// last a suffix, and the ones between must appear in order; taking the
// leftmost occurrence of each is optimal for a *-only pattern.
func (g glob) match(s string) bool {
	if len(g.parts) == 1 {
		return s == g.parts[0]
	}
	first, last := g.parts[0], g.parts[len(g.parts)-1]
	if len(s) < len(first)+len(last) || !strings.HasPrefix(s, first) || !strings.HasSuffix(s, last) {
		return false
	}
	s = s[len(first) : len(s)-len(last)]
	for _, mid := range g.parts[1 : len(g.parts)-1] {
		i := strings.Index(s, mid)
		if i < 0 {
			return false
		}
		s = s[i+len(mid):]
	}
	return true
}
