package validate

import (
	"strconv"
	"strings"
)

// Lang is the language of error messages.
type Lang string

// Supported languages. Chinese is the default: the service is a Chinese
// public service and English is offered on request.
const (
	LangZH Lang = "zh"
	LangEN Lang = "en"
)

// LangFromHeader picks the message language from an Accept-Language
// header: the supported language with the highest quality wins, ties going
// to the one listed first; anything unsupported, malformed or empty gives
// Chinese. "en-US,en;q=0.9" → en; "zh-CN,en;q=0.8" → zh; "fr, en;q=0.5" → en.
func LangFromHeader(acceptLanguage string) Lang {
	best, bestQ := LangZH, -1.0
	for part := range strings.SplitSeq(acceptLanguage, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 || f > 1 {
				continue
			}
			q = f
		}
		var l Lang
		switch primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-"); primary {
		case "en":
			l = LangEN
		case "zh":
			l = LangZH
		default:
			continue
		}
		if q > bestQ && q > 0 {
			best, bestQ = l, q
		}
	}
	return best
}

// normalize maps any value to a supported language.
func (l Lang) normalize() Lang {
	if l == LangEN {
		return LangEN
	}
	return LangZH
}
