package kaiban

import (
	_ "embed"
	"fmt"
	"strings"
)

// RatingTag is one tag an applicant may attach to a rating.
type RatingTag struct {
	Code string
	ZH   string
	EN   string
}

// Label is the tag's label in lang ("en", anything else is Chinese).
func (t RatingTag) Label(lang string) string {
	if lang == "en" {
		return t.EN
	}
	return t.ZH
}

//go:embed ratingtags.tsv
var ratingTagsTSV string

// RatingTags are the tags of ratingtags.tsv, in file order: kept as data
// so the list can change without touching code.
var RatingTags = mustParseRatingTags(ratingTagsTSV)

func mustParseRatingTags(src string) []RatingTag {
	var out []RatingTag
	for n, line := range strings.Split(src, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 3 || cols[0] == "" || cols[1] == "" || cols[2] == "" {
			panic(fmt.Sprintf("kaiban: ratingtags.tsv line %d: want code, zh, en", n+1))
		}
		out = append(out, RatingTag{Code: cols[0], ZH: cols[1], EN: cols[2]})
	}
	return out
}
