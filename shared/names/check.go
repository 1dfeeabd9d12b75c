package names

import (
	"context"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Verdict is the outcome of a check.
type Verdict string

// The three verdicts: available goes ahead, review goes to a clerk (the
// NAME_REVIEW task), refused cannot be registered.
const (
	Available Verdict = "available"
	Review    Verdict = "review"
	Refused   Verdict = "refused"
)

// Relation of a conflicting name to the checked one.
const (
	Identical = "identical"
	Similar   = "similar"
)

// Conflict is a registered name that stands in the way, and why.
type Conflict struct {
	Name     string
	Status   kaiban.NameStatus
	Relation string
	Why      text
}

// Result is a check's verdict with everything that explains it.
type Result struct {
	Verdict     Verdict
	Name        Name
	Reasons     []Reason
	Conflicts   []Conflict
	Suggestions []string
}

// Request is what to check: a full name, or the form's parts. Holder (an
// application ID) is set when checking a name that holder may already have
// reserved: its own reservation is no conflict.
type Request struct {
	Name   string
	Parts  *Parts
	Holder string
	// City, when known (the form's registered address: 2101 …), settles a
	// region short form shared by two cities (铁西).
	City string
}

// Checker checks names against the rules and the index.
type Checker struct {
	Index kaiban.NameIndex
	Now   func() time.Time
}

// maxSuggestionTries bounds the candidate names a check tries (each is a
// full check) when looking for three that pass.
const maxSuggestionTries = 12

// Check returns the verdict on req. Only a failing index is an error.
func (c *Checker) Check(ctx context.Context, req Request) (Result, error) {
	res, err := c.check(ctx, req)
	if err != nil || res.Verdict == Available {
		return res, err
	}
	res.Suggestions, err = c.suggest(ctx, res, req.Holder)
	return res, err
}

func (c *Checker) check(ctx context.Context, req Request) (Result, error) {
	res, keys := prepare(req)
	if res.Verdict == Refused {
		return res, nil
	}
	found, err := c.Index.FindNames(ctx, keys)
	if err != nil {
		return Result{}, err
	}
	return c.judge(res, req.Holder, found, nil), nil
}

// prepare parses req and applies the rules that need no index: a result
// already Refused, or one to judge against the records the keys find.
func prepare(req Request) (Result, []string) {
	var n Name
	var reasons []Reason
	if req.Parts != nil {
		n, reasons = FromParts(*req.Parts)
	} else {
		n, reasons = ParseFull(req.Name)
	}
	if n.Registry == "" && req.City != "" && slices.Contains(regions.registries[n.Region], req.City) {
		n.Registry = req.City
		reasons = slices.DeleteFunc(reasons, func(r Reason) bool { return r.Code == "NAME_REGION_AMBIGUOUS" })
	}
	res := Result{Name: n, Reasons: append(reasons, ruleReasons(n)...)}
	if len(res.Reasons) > 0 {
		res.Verdict = Refused
		return res, nil
	}
	return res, n.lookupKeys()
}

// judge gives res its verdict against the records found by its look-up
// keys. With keys set, records carrying none of them are skipped: found
// may hold the records of several names' keys, looked up at once.
func (c *Checker) judge(res Result, holder string, found []kaiban.NameRecord, keys map[string]bool) Result {
	n := res.Name
	now := c.Now()
	sort.Slice(found, func(i, j int) bool { return found[i].Name < found[j].Name })
	var identical, similar []string
	for _, rec := range found {
		if !rec.BlocksAt(now) || (holder != "" && rec.Holder == holder) || rec.Registry != n.Registry {
			continue
		}
		if keys != nil && !slices.ContainsFunc(rec.Keys, func(k string) bool { return keys[k] }) {
			continue
		}
		other, _ := ParseFull(rec.Name)
		rel, why := relate(n, other)
		if rel == "" {
			continue
		}
		res.Conflicts = append(res.Conflicts, Conflict{Name: rec.Name, Status: rec.Status, Relation: rel, Why: why})
		if rel == Identical {
			identical = append(identical, rec.Name)
		} else {
			similar = append(similar, rec.Name)
		}
	}
	reg := text{RegistryName(n.Registry), RegistryName(n.Registry)}
	if len(identical) > 0 {
		r := reason("NAME_IDENTICAL", nil)
		r.Message = r.Message.fill([]string{reg.ZH, strings.Join(identical, "、")})
		res.Reasons = append(res.Reasons, r)
	}
	if len(similar) > 0 {
		r := reason("NAME_SIMILAR", nil)
		r.Message = r.Message.fill([]string{reg.ZH, strings.Join(similar, "、")})
		res.Reasons = append(res.Reasons, r)
	}
	res.Verdict = verdictOf(res.Reasons)
	return res
}

// relate says how a registered name other (same registry) stands to n.
func relate(n, other Name) (string, text) {
	if other.Registry != n.Registry {
		return "", text{}
	}
	sameDiv := n.division() == other.division()
	switch {
	case other.TradeName == n.TradeName && other.Industry == n.Industry:
		switch {
		case other.Canonical() == n.Canonical() && other.Reordered == n.Reordered:
			return Identical, whyTexts["same"]
		case other.Canonical() == n.Canonical():
			return Identical, whyTexts["reordered"]
		}
		return Identical, whyTexts["formRegion"]
	case !sameDiv:
		return "", text{}
	case other.TradeName == n.TradeName:
		d := tab.divisions[n.Division].Name
		return Similar, text{strings.ReplaceAll(whyTexts["synonym"].ZH, "{0}", d.ZH), strings.ReplaceAll(whyTexts["synonym"].EN, "{0}", d.EN)}
	case toneless(other.TradeName) == toneless(n.TradeName):
		return Similar, whyTexts["homophone"].fill([]string{toneless(n.TradeName)})
	case strings.Contains(n.TradeName, other.TradeName):
		return Similar, whyTexts["contains"].fill([]string{other.TradeName})
	}
	return "", text{}
}

// verdictOf: any reason but similarity refuses; similarity alone is
// reviewed.
func verdictOf(reasons []Reason) Verdict {
	v := Available
	for _, r := range reasons {
		if r.Code != "NAME_SIMILAR" {
			return Refused
		}
		v = Review
	}
	return v
}

// PassesRules says whether a full name passes the rules that need no
// index (structure, characters, words): what a generated registry keeps.
func PassesRules(full string) bool {
	n, reasons := ParseFull(full)
	return len(reasons) == 0 && len(ruleReasons(n)) == 0
}
