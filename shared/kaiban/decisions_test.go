package kaiban_test

import (
	"os"
	"strings"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// TestDecisionTableIsDocumented: the README's API section lists every
// decision of every class with both labels, so the documentation cannot
// drift from the table the API enforces.
func TestDecisionTableIsDocumented(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for class, rules := range kaiban.DecisionTable {
		for _, r := range rules {
			row := "`" + string(r.Decision) + "` | " + r.LabelZH + " / " + r.LabelEN + " |"
			if !strings.Contains(readme, row) {
				t.Errorf("README does not document %s %s as %q", class, r.Decision, row)
			}
		}
	}
}

// TestEveryKindHasADecision: every task kind has a class with at least one
// decision, and a class whose decisions are all delivered needs a token.
func TestEveryKindHasADecision(t *testing.T) {
	for _, k := range []kaiban.TaskKind{kaiban.TaskNameReview, kaiban.TaskTrackException, kaiban.TaskDeadlineRisk, kaiban.TaskRatingFollowUp} {
		if c := kaiban.ClassOf(k, "seal"); len(kaiban.DecisionsFor(c)) == 0 {
			t.Errorf("kind %s (class %q) has no decisions", k, c)
		}
	}
	if kaiban.NeedsToken(kaiban.ClassDeadlineRisk) {
		t.Error("the watchdog's tasks have no token, yet their decisions need one")
	}
}
