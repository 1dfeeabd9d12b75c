package onestop

import (
	"fmt"
	"strings"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/validate"
)

// DecisionView is one button of a task in the console: the decision to
// send and its label in the request's language, from kaiban.DecisionTable.
type DecisionView struct {
	Decision  kaiban.Decision `json:"decision"`
	Label     string          `json:"label"`
	TakesData bool            `json:"takesData,omitempty"`
	// Fields and Reasons are offered with a decision that sends the task
	// back for correction: the correctable form fields (JSON paths) and
	// the reasons to pick from.
	Fields  []string     `json:"fields,omitempty"`
	Reasons []ReasonView `json:"reasons,omitempty"`
}

// ReasonView is one correction reason in the request's language.
type ReasonView struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// decisionViews lists the decisions that close t, none once it is
// resolved.
func decisionViews(t kaiban.ClerkTask, lang validate.Lang) []DecisionView {
	out := []DecisionView{}
	if t.Status == kaiban.TaskResolved {
		return out
	}
	for _, r := range kaiban.DecisionsFor(t.Class()) {
		v := DecisionView{Decision: r.Decision, Label: r.Label(langCode(lang)), TakesData: r.TakesData}
		if r.TakesFields {
			v.Fields = kaiban.CorrectableFields()
			for _, c := range kaiban.CorrectionReasons {
				v.Reasons = append(v.Reasons, ReasonView{Code: c.Code, Label: c.Label(langCode(lang))})
			}
		}
		out = append(out, v)
	}
	return out
}

func langCode(lang validate.Lang) string {
	if lang == validate.LangEN {
		return "en"
	}
	return "zh"
}

// decisionNotAllowed is the field error for a decision the task's class
// does not take; the message lists the ones it does.
func decisionNotAllowed(c kaiban.TaskClass, lang validate.Lang) kaiban.FieldError {
	var names []string
	for _, r := range kaiban.DecisionsFor(c) {
		names = append(names, string(r.Decision))
	}
	list := strings.Join(names, ", ")
	msg := fmt.Sprintf("此类任务（%s）的处理决定只能是：%s", c, list)
	if lang == validate.LangEN {
		msg = fmt.Sprintf("a %s task takes only these decisions: %s", c, list)
	}
	return kaiban.FieldError{Field: "decision", Code: "oneof", Message: msg}
}
