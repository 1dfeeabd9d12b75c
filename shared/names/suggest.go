package names

import (
	"context"
	"strings"
)

// suggestionMarks are characters added to a trade name to make candidate
// names; common in trade names and free of any rule.
var suggestionMarks = []string{"创", "达", "恒", "智", "诚", "远", "瑞", "合", "通", "晟", "泽", "卓"}

// suggest offers up to three names that pass, each checked: the trade name
// cleaned of what the rules refuse (traditional forms, letters, digits,
// prohibited words) and then varied by one character.
func (c *Checker) suggest(ctx context.Context, res Result, holder string) ([]string, error) {
	n := res.Name
	if n.Registry == "" || n.Industry == "" || n.OrgForm == "" {
		return nil, nil // nothing to build on: the region, industry or form is missing
	}
	base := simplify(n.TradeName)
	for _, r := range wordReasons(base) {
		for _, w := range wordsOf(r.Code) {
			base = strings.ReplaceAll(base, w, "")
		}
	}
	if isRegionName(base) || tab.industry[base] != "" {
		base = ""
	}
	industry := simplify(n.Industry)
	var cands []string
	if base != n.TradeName && len([]rune(base)) >= 2 {
		cands = append(cands, base)
	}
	// A variation keeps the first characters and replaces the last, so it
	// neither contains the conflicting trade name nor sounds like it.
	b := []rune(base)
	for i, m := range suggestionMarks {
		switch {
		case len(b) >= 2:
			cands = append(cands, string(b[:len(b)-1])+m)
		case len(b) == 1:
			cands = append(cands, base+m)
		default:
			cands = append(cands, m+suggestionMarks[(i+5)%len(suggestionMarks)])
		}
	}
	var out []string
	for i, cand := range cands {
		if len(out) == 3 || i == maxSuggestionTries {
			break
		}
		p := Parts{Region: n.Region, TradeName: cand, Industry: industry, OrgForm: n.OrgForm}
		r, err := c.check(ctx, Request{Parts: &p, Holder: holder, City: n.Registry})
		if err != nil {
			return nil, err
		}
		if r.Verdict == Available {
			out = append(out, r.Name.Canonical())
		}
	}
	return out, nil
}

func wordsOf(code string) []string {
	for _, wr := range tab.rules {
		if wr.Code == code {
			return wr.Words
		}
	}
	return nil
}
