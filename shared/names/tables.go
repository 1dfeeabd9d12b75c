package names

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
)

//go:embed words.tsv
var wordsTSV string

//go:embed industries.tsv
var industriesTSV string

//go:embed places.txt
var placesTXT string

//go:embed traditional.tsv
var traditionalTSV string

//go:embed pinyin.tsv
var pinyinTSV string

// wordRule is one line of words.tsv: a prohibited or restricted class of
// words and the rule it falls under.
type wordRule struct {
	Code    string
	Rule    text
	Words   []string
	Allowed []string
}

// division is a GB/T 4754 division and the industry words meaning it.
type division struct {
	Code string
	Name text
}

// tables holds every embedded table, parsed once at start-up and never
// changed, so the check needs no locking.
type tables struct {
	rules       []wordRule
	industry    map[string]string // industry word → division code
	divisions   map[string]division
	maxIndustry int             // longest industry word, in runes
	places      map[string]bool // region names outside Liaoning
	traditional map[rune]rune   // traditional → simplified
	pinyin      map[rune]string // character → toneless pinyin
}

var tab = mustParseTables()

// mustParseTables parses the embedded files; a malformed file is a build
// defect every test of the package catches, not client input.
func mustParseTables() *tables {
	t, err := parseTables()
	if err != nil {
		panic(err)
	}
	return t
}

func dataLines(src string) [][]string {
	var out [][]string
	for line := range strings.SplitSeq(src, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, strings.Split(line, "\t"))
	}
	return out
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func parseTables() (*tables, error) {
	t := &tables{industry: map[string]string{}, divisions: map[string]division{}, places: map[string]bool{},
		traditional: map[rune]rune{}, pinyin: map[rune]string{}}
	for _, c := range dataLines(wordsTSV) {
		if len(c) != 5 {
			return nil, fmt.Errorf("names: words.tsv: %q: want 5 columns", c[0])
		}
		t.rules = append(t.rules, wordRule{Code: c[0], Rule: text{c[1], c[2]}, Words: splitList(c[3]), Allowed: splitList(c[4])})
	}
	for _, c := range dataLines(industriesTSV) {
		if len(c) != 4 {
			return nil, fmt.Errorf("names: industries.tsv: %q: want 4 columns", c[0])
		}
		t.divisions[c[0]] = division{Code: c[0], Name: text{c[1], c[2]}}
		for _, w := range splitList(c[3]) {
			if prev, dup := t.industry[w]; dup {
				return nil, fmt.Errorf("names: industries.tsv: %s in divisions %s and %s", w, prev, c[0])
			}
			t.industry[w] = c[0]
			t.maxIndustry = max(t.maxIndustry, len([]rune(w)))
		}
	}
	for _, c := range dataLines(placesTXT) {
		t.places[c[0]] = true
	}
	for _, c := range dataLines(traditionalTSV) {
		tr, si := []rune(c[0]), []rune(c[1])
		if len(c) != 2 || len(tr) != 1 || len(si) != 1 {
			return nil, fmt.Errorf("names: traditional.tsv: bad line %q", c)
		}
		t.traditional[tr[0]] = si[0]
	}
	for _, c := range dataLines(pinyinTSV) {
		if len(c) != 2 {
			return nil, fmt.Errorf("names: pinyin.tsv: bad line %q", c)
		}
		for _, r := range c[1] {
			t.pinyin[r] = c[0]
		}
	}
	return t, nil
}

// orgForms are the organisational forms a name may end with, longest
// first so that 股份有限公司 is not read as 股份 + 有限公司.
var orgForms = sortedLongestFirst([]string{
	"股份有限公司", "有限责任公司", "有限公司", "股份公司",
	"中心（普通合伙）", "中心（有限合伙）", "（普通合伙）", "（有限合伙）", "合伙企业",
	"厂", "店", "馆", "部", "中心", "工作室", "商行", "经营部",
})

// orgWords may not be a trade name either: they read as a form.
var orgWords = []string{"公司", "有限", "股份", "集团", "企业", "合伙"}

func sortedLongestFirst(s []string) []string {
	sort.SliceStable(s, func(i, j int) bool { return len([]rune(s[i])) > len([]rune(s[j])) })
	return s
}
