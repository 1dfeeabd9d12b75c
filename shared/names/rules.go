package names

import (
	"slices"
	"strings"
	"unicode"
)

// Reason is one rule a name breaks, in both languages until localised.
type Reason struct {
	Code    string
	Rule    text
	Message text
}

func reason(code string, args []string) Reason {
	r := structureRules[code]
	return Reason{Code: code, Rule: r[0], Message: r[1].fill(args)}
}

// ruleReasons applies the structure, character and word rules, which need
// no index. All of them refuse.
func ruleReasons(n Name) []Reason {
	var out []Reason
	if bad := badChars(n.Full); bad != "" {
		out = append(out, reason("NAME_CHARSET", []string{bad}))
	}
	trade := []rune(n.TradeName)
	switch {
	case len(trade) == 0:
		out = append(out, reason("NAME_TRADE_MISSING", nil))
	case isRegionName(n.TradeName):
		out = append(out, reason("NAME_TRADE_IS_REGION", []string{n.TradeName}))
	case tab.industry[n.TradeName] != "":
		out = append(out, reason("NAME_TRADE_IS_INDUSTRY", []string{n.TradeName}))
	case slices.Contains(orgForms, n.TradeName) || slices.Contains(orgWords, n.TradeName):
		out = append(out, reason("NAME_TRADE_IS_ORG_FORM", []string{n.TradeName}))
	case len(trade) < 2:
		out = append(out, reason("NAME_TRADE_TOO_SHORT", []string{n.TradeName}))
	}
	return append(out, wordReasons(n.TradeName+n.Industry)...)
}

// badChars lists the characters a name may not use: traditional forms,
// Latin letters, digits and anything else that is neither a Chinese
// character nor the full-width brackets of 有限合伙 forms.
func badChars(s string) string {
	var bad []rune
	for _, r := range s {
		_, trad := tab.traditional[r]
		if trad || !(unicode.Is(unicode.Han, r) || r == '（' || r == '）') {
			if !slices.Contains(bad, r) {
				bad = append(bad, r)
			}
		}
	}
	return string(bad)
}

// wordReasons finds prohibited and restricted words, one reason per rule.
func wordReasons(s string) []Reason {
	var out []Reason
	for _, wr := range tab.rules {
		rest := s
		for _, a := range wr.Allowed {
			rest = strings.ReplaceAll(rest, a, "・")
		}
		var hits []string
		for _, w := range wr.Words {
			if strings.Contains(rest, w) {
				hits = append(hits, w)
			}
		}
		if len(hits) > 0 {
			out = append(out, Reason{Code: wr.Code, Rule: wr.Rule, Message: wordMessage.fill([]string{strings.Join(hits, "、")})})
		}
	}
	return out
}

// simplify replaces traditional characters by their simplified forms and
// drops characters no name may carry (for suggestions).
func simplify(s string) string {
	var b strings.Builder
	for _, r := range s {
		if si, ok := tab.traditional[r]; ok {
			r = si
		}
		if unicode.Is(unicode.Han, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
