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
	// A variation keeps the other characters and replaces one, so it
	// neither is nor sounds like the conflicting trade name: the last
	// character, or, when the trade name contains a registered one, that
	// one's last character, which the last alone would leave whole.
	b := []rune(base)
	at := len(b) - 1
	if i := containedEnd(b, res.Conflicts); i >= 0 {
		at = i
	}
	for i, m := range suggestionMarks {
		switch {
		case len(b) >= 2:
			cands = append(cands, string(b[:at])+m+string(b[at+1:]))
		case len(b) == 1:
			cands = append(cands, base+m)
		default:
			cands = append(cands, m+suggestionMarks[(i+5)%len(suggestionMarks)])
		}
	}
	if len(cands) > maxSuggestionTries {
		cands = cands[:maxSuggestionTries]
	}
	// The candidates are checked in order, in rounds whose look-ups go in
	// one FindNames: the first round tries three, so a name whose first
	// three candidates are free costs one look-up more; each later round
	// tries twice as many as are still missing. A store that seeks key by
	// key (DynamoDB) seeks at most a round's surplus more than checking
	// one candidate at a time would.
	var out []string
	for first := true; len(cands) > 0 && len(out) < 3; first = false {
		size := 3
		if !first {
			size = 2 * (3 - len(out))
		}
		round := cands[:min(len(cands), size)]
		cands = cands[len(round):]
		type pending struct {
			res  Result
			keys map[string]bool
		}
		var todo []pending
		var keys []string
		seen := map[string]bool{}
		for _, cand := range round {
			p := Parts{Region: n.Region, TradeName: cand, Industry: industry, OrgForm: n.OrgForm}
			r, ks := prepare(Request{Parts: &p, Holder: holder, City: n.Registry})
			if r.Verdict == Refused {
				continue
			}
			own := make(map[string]bool, len(ks))
			for _, k := range ks {
				own[k] = true
				if !seen[k] {
					seen[k] = true
					keys = append(keys, k)
				}
			}
			todo = append(todo, pending{r, own})
		}
		if len(todo) == 0 {
			continue
		}
		found, err := c.Index.FindNames(ctx, keys)
		if err != nil {
			return nil, err
		}
		for _, t := range todo {
			if len(out) == 3 {
				break
			}
			if r := c.judge(t.res, holder, found, t.keys); r.Verdict == Available {
				out = append(out, r.Name.Canonical())
			}
		}
	}
	return out, nil
}

// containedEnd is the index in trade of the last character of the first
// conflicting trade name that trade contains and that is shorter (the
// containment rule), or -1.
func containedEnd(trade []rune, conflicts []Conflict) int {
	s := string(trade)
	for _, c := range conflicts {
		other, _ := ParseFull(c.Name)
		o := other.TradeName
		if c.Relation != Similar || o == "" || o == s {
			continue
		}
		if i := strings.Index(s, o); i >= 0 {
			return len([]rune(s[:i])) + len([]rune(o)) - 1
		}
	}
	return -1
}

func wordsOf(code string) []string {
	for _, wr := range tab.rules {
		if wr.Code == code {
			return wr.Words
		}
	}
	return nil
}
