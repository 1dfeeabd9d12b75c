package names

import "github.com/kaiban/kaiban/shared/kaiban"

// View is a result in one language, in the API's JSON shape.
type View struct {
	Verdict     Verdict        `json:"verdict"`
	Reasons     []ReasonView   `json:"reasons"`
	Conflicts   []ConflictView `json:"conflicts"`
	Suggestions []string       `json:"suggestions"`
}

// ReasonView is a reason in one language.
type ReasonView struct {
	Code    string `json:"code"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// ConflictView is a conflict in one language.
type ConflictView struct {
	Name     string `json:"name"`
	Status   string `json:"status"`
	Relation string `json:"relation"`
	Why      string `json:"why"`
}

// In returns the result in lang ("en", else Chinese); lists are never
// null.
func (r Result) In(lang string) View {
	v := View{Verdict: r.Verdict, Reasons: []ReasonView{}, Conflicts: []ConflictView{}, Suggestions: []string{}}
	for _, x := range r.Reasons {
		v.Reasons = append(v.Reasons, ReasonView{Code: x.Code, Rule: x.Rule.In(lang), Message: x.Message.In(lang)})
	}
	for _, c := range r.Conflicts {
		v.Conflicts = append(v.Conflicts, ConflictView{Name: c.Name, Status: string(c.Status), Relation: c.Relation, Why: c.Why.In(lang)})
	}
	v.Suggestions = append(v.Suggestions, r.Suggestions...)
	return v
}

// Record builds the index record of a full name (seeding, registry
// updates): its registry and keys come from the parse. ok is false for a
// name the parse cannot place (no region, trade name or industry).
func Record(full string) (rec kaiban.NameRecord, ok bool) {
	n, _ := ParseFull(full)
	if n.Registry == "" || n.TradeName == "" || n.Industry == "" {
		return kaiban.NameRecord{}, false
	}
	return kaiban.NameRecord{Name: n.Full, Registry: n.Registry, Keys: n.Keys()}, true
}
