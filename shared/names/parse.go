package names

import (
	"strings"
)

// Parts are the four parts of a name, as the form's nameParts carry them.
type Parts struct {
	Region    string `json:"region"`
	TradeName string `json:"tradeName"`
	Industry  string `json:"industry"`
	OrgForm   string `json:"orgForm"`
}

// Name is a parsed name: its parts, its registry and the GB/T 4754
// division of its industry words ("" when the words are not in the table).
type Name struct {
	Full string
	Parts
	Registry  string
	Division  string
	Reordered bool // the region stands in brackets after the trade name: X（沈阳）酒业有限公司
}

// Canonical is the name in the usual order: region, trade name, industry,
// form.
func (n Name) Canonical() string {
	return n.Region + n.TradeName + n.Industry + n.OrgForm
}

// ParseFull splits a full name into its parts. What cannot be found is
// reported as a structure reason and left empty.
func ParseFull(full string) (Name, []Reason) {
	s := normaliseBrackets(strings.TrimSpace(full))
	n := Name{Full: s}
	var reasons []Reason
	for _, f := range orgForms {
		if strings.HasSuffix(s, f) && len(s) > len(f) {
			n.OrgForm, s = f, strings.TrimSuffix(s, f)
			break
		}
	}
	if n.OrgForm == "" {
		reasons = append(reasons, reason("NAME_ORG_FORM_MISSING", nil))
	}
	s = n.takeRegion(s)
	n.TradeName, n.Industry, n.Division = splitIndustry(s)
	if n.Industry == "" {
		reasons = append(reasons, reason("NAME_INDUSTRY_UNKNOWN", nil))
	}
	return n, append(reasons, n.registryReasons()...)
}

// FromParts builds the name from the form's parts.
func FromParts(p Parts) (Name, []Reason) {
	p = Parts{Region: strings.TrimSpace(p.Region), TradeName: strings.TrimSpace(p.TradeName),
		Industry: strings.TrimSpace(p.Industry), OrgForm: normaliseBrackets(strings.TrimSpace(p.OrgForm))}
	n := Name{Parts: p, Division: divisionOf(p.Industry)}
	n.Full = n.Canonical()
	var reasons []Reason
	if n.OrgForm == "" {
		reasons = append(reasons, reason("NAME_ORG_FORM_MISSING", nil))
	}
	if n.Industry == "" {
		reasons = append(reasons, reason("NAME_INDUSTRY_UNKNOWN", nil))
	}
	return n, append(reasons, n.registryReasons()...)
}

// takeRegion finds the region, in front or in brackets after the trade
// name, and returns the rest.
func (n *Name) takeRegion(s string) string {
	for open := strings.Index(s, "（"); open > 0; {
		end := strings.Index(s[open:], "）")
		if end < 0 {
			break
		}
		inner := s[open+len("（") : open+end]
		if len(regions.registries[inner]) > 0 {
			n.Region, n.Reordered = inner, true
			return s[:open] + s[open+end+len("）"):]
		}
		break
	}
	r := []rune(s)
	for l := min(regions.longest, len(r)); l >= 2; l-- {
		if p := string(r[:l]); len(regions.registries[p]) > 0 {
			n.Region = p
			return string(r[l:])
		}
	}
	return s
}

func (n *Name) registryReasons() []Reason {
	switch regs := regions.registries[n.Region]; {
	case n.Region == "":
		return []Reason{reason("NAME_REGION_MISSING", nil)}
	case len(regs) == 0:
		return []Reason{reason("NAME_REGION_UNKNOWN", []string{n.Region})}
	case len(regs) > 1:
		return []Reason{reason("NAME_REGION_AMBIGUOUS", []string{n.Region})}
	default:
		n.Registry = regs[0]
	}
	return nil
}

// splitIndustry strips industry words from the end of region-less body
// while at least two characters of trade name remain (one if that finds
// none), and returns the
// trade name, the industry words and the division of the first (main)
// industry word.
func splitIndustry(body string) (trade, industry, div string) {
	trade, industry, div = splitIndustryLeaving(body, 2)
	if industry == "" {
		// 云软件: better a one-character trade name (refused as such) than
		// no industry at all.
		trade, industry, div = splitIndustryLeaving(body, 1)
	}
	return trade, industry, div
}

func splitIndustryLeaving(body string, keep int) (trade, industry, div string) {
	r := []rune(body)
	cut := len(r)
	for {
		found := false
		for l := min(tab.maxIndustry, cut-keep); l >= 2; l-- {
			if d, ok := tab.industry[string(r[cut-l:cut])]; ok {
				cut, div, found = cut-l, d, true
				break
			}
		}
		if !found {
			break
		}
	}
	return string(r[:cut]), string(r[cut:]), div
}

// divisionOf is the division of an industry wording: of its first table
// word, reading the words off its end as splitIndustry does.
func divisionOf(industry string) string {
	if d, ok := tab.industry[industry]; ok {
		return d
	}
	_, _, d := splitIndustry("字号" + industry)
	return d
}

// bracketReplacer is built once: building a Replacer costs more than a
// check's other parsing.
var bracketReplacer = strings.NewReplacer("(", "（", ")", "）")

func normaliseBrackets(s string) string {
	return bracketReplacer.Replace(s)
}
