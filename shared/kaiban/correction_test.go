package kaiban_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// An agency's ask survives its trip through the error message, and a
// message naming a field that cannot be corrected, or an unknown reason,
// carries no ask.
func TestCorrectionAskRoundTrip(t *testing.T) {
	tests := []struct {
		msg    string
		ok     bool
		fields int
	}{
		{kaiban.CorrectionAsk{Fields: []string{"company.address.detail"}, ReasonCode: "ADDRESS_UNUSABLE"}.Append("地址已查封"), true, 1},
		{kaiban.CorrectionAsk{Fields: []string{"company.address.detail", "bank.branchCode"}, ReasonCode: "OTHER"}.Append("x"), true, 2},
		{kaiban.CorrectionAsk{Fields: []string{"legalRepresentative.idNumber"}, ReasonCode: "OTHER"}.Append("x"), false, 0},
		{kaiban.CorrectionAsk{Fields: []string{"company.address.detail"}, ReasonCode: "NOPE"}.Append("x"), false, 0},
		{"plain refusal", false, 0},
	}
	for _, tt := range tests {
		text, ask, ok := kaiban.SplitCorrectionAsk(tt.msg)
		if ok != tt.ok || len(ask.Fields) != tt.fields {
			t.Errorf("%q: ok %v fields %v", tt.msg, ok, ask.Fields)
		}
		if ok && (text == tt.msg || text == "") {
			t.Errorf("%q: text %q keeps the ask", tt.msg, text)
		}
	}
}

// Five working days on the holiday calendar: a Friday's request is due
// the next Friday, a Saturday's too, and one made before National Day is
// due after the whole break (and the adjusted working Saturday 10-10).
func TestCorrectionDueAt(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	for _, tt := range []struct{ asked, due time.Time }{
		{time.Date(2026, 11, 27, 10, 0, 0, 0, cst), time.Date(2026, 12, 4, 10, 0, 0, 0, cst)},  // Fri → Fri
		{time.Date(2026, 11, 25, 15, 0, 0, 0, cst), time.Date(2026, 12, 2, 15, 0, 0, 0, cst)},  // Wed → Wed
		{time.Date(2026, 11, 28, 9, 0, 0, 0, cst), time.Date(2026, 12, 4, 9, 0, 0, 0, cst)},    // Sat → Fri
		{time.Date(2026, 9, 30, 10, 0, 0, 0, cst), time.Date(2026, 10, 13, 10, 0, 0, 0, cst)},  // Wed before National Day → Tue 10-13
		{time.Date(2026, 2, 13, 17, 30, 0, 0, cst), time.Date(2026, 2, 27, 17, 30, 0, 0, cst)}, // Fri before Spring Festival → Fri 02-27
	} {
		got := kaiban.CorrectionDueAt(tt.asked)
		if !got.Equal(tt.due) {
			t.Errorf("due after %v = %v, want %v", tt.asked, got.In(cst), tt.due)
		}
		if got.Location() != time.UTC {
			t.Errorf("due after %v in %v, want UTC as stored", tt.asked, got.Location())
		}
	}
}

// Every row of the field → track map is in the README, as the map has it.
func TestFieldTracksAreDocumented(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range kaiban.CorrectableFields() {
		var names []string
		for _, n := range kaiban.FieldTracks[f] {
			names = append(names, string(n))
		}
		row := "| `" + f + "` | " + strings.Join(names, ", ") + " |"
		if !strings.Contains(string(b), row) {
			t.Errorf("README does not document %s as %q", f, row)
		}
	}
}
