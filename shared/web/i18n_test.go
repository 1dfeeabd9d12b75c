package web

import (
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// table is static/i18n.json: language → key → text.
func table(t *testing.T) map[string]map[string]string {
	t.Helper()
	b, _, ok := Asset("/static/i18n.json")
	if !ok {
		t.Fatal("i18n.json not served")
	}
	var tab map[string]map[string]string
	if err := json.Unmarshal(b, &tab); err != nil {
		t.Fatalf("i18n.json: %v", err)
	}
	return tab
}

var placeholder = regexp.MustCompile(`\{(\w+)\}`)

// Both languages say everything: the same keys, no empty text, and the
// same {placeholders} (a missing one would show a raw brace to someone).
func TestI18nLanguagesMatch(t *testing.T) {
	tab := table(t)
	zh, en := tab["zh-CN"], tab["en"]
	if len(zh) == 0 || len(en) == 0 || len(tab) != 2 {
		t.Fatalf("want exactly zh-CN and en, got %d languages (%d, %d keys)", len(tab), len(zh), len(en))
	}
	for k, v := range zh {
		e, ok := en[k]
		switch {
		case !ok:
			t.Errorf("%s: no English", k)
		case strings.TrimSpace(v) == "" || strings.TrimSpace(e) == "":
			t.Errorf("%s: empty text", k)
		case !slices.Equal(names(v), names(e)):
			t.Errorf("%s: placeholders differ: %q vs %q", k, v, e)
		}
	}
	for k := range en {
		if _, ok := zh[k]; !ok {
			t.Errorf("%s: no Chinese", k)
		}
	}
}

func names(s string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	slices.Sort(out)
	return out
}

// Every key the pages and scripts ask for exists, so no one ever sees a
// raw key instead of text.
func TestI18nCoversEveryStringUsed(t *testing.T) {
	zh := table(t)["zh-CN"]
	need := map[string]string{} // key → where
	for _, p := range pagePaths {
		walk(mustPage(t, p), func(el *html.Node, _ bool) {
			for _, a := range el.Attr {
				if a.Key == "data-i18n" || strings.HasPrefix(a.Key, "data-i18n-") {
					need[a.Val] = p
				}
			}
		})
	}
	literal := regexp.MustCompile(`\b(?:t|label|has)\(\s*'([\w.]+)'`)
	for name, src := range scripts(t) {
		for _, m := range literal.FindAllStringSubmatch(src, -1) {
			need[m[1]] = name
		}
	}
	// Keys built from API values: every value the domain defines.
	for _, n := range kaiban.Tracks {
		need["track."+string(n)] = "track names"
	}
	for _, s := range []kaiban.AppStatus{kaiban.AppSubmitted, kaiban.AppInProgress, kaiban.AppActionRequired, kaiban.AppCompleted, kaiban.AppRejected} {
		need["appStatus."+string(s)] = "application statuses"
	}
	for _, s := range []kaiban.TrackStatus{kaiban.TrackPending, kaiban.TrackRunning, kaiban.TrackRetrying, kaiban.TrackWaitingClerk, kaiban.TrackSucceeded, kaiban.TrackFailed, kaiban.TrackCompensated} {
		need["trackStatus."+string(s)] = "track statuses"
	}
	for _, s := range []kaiban.TaskStatus{kaiban.TaskOpen, kaiban.TaskClaimed, kaiban.TaskResolved} {
		need["taskStatus."+string(s)] = "task statuses"
	}
	for _, k := range []kaiban.TaskKind{kaiban.TaskNameReview, kaiban.TaskTrackException, kaiban.TaskDeadlineRisk, kaiban.TaskRatingFollowUp} {
		need["taskKind."+string(k)] = "task kinds"
	}
	for _, d := range []kaiban.Decision{kaiban.DecisionRetry, kaiban.DecisionComplete, kaiban.DecisionReject} {
		need["decision."+string(d)] = "decisions"
	}
	for _, r := range []string{kaiban.AuditEdited, kaiban.AuditInserted, kaiban.AuditDeleted, kaiban.AuditReordered, kaiban.AuditTruncated, kaiban.AuditStateDiffers, kaiban.AuditNotCovered} {
		need["auditBreak."+r] = "audit breaks (kaiban.AuditBreak.Reason)"
	}
	// Every field of every agency result the status page shows gets a label.
	for _, v := range []any{kaiban.License{}, kaiban.SealFiling{}, kaiban.SealRecord{}, kaiban.TaxRegistration{}, kaiban.InvoiceGrant{}, kaiban.EmployerAccount{}, kaiban.BankAppointment{}} {
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			if name := jsonName(rt.Field(i)); name != "" {
				need["result."+name] = rt.Name()
			}
		}
	}
	for k, where := range need {
		if _, ok := zh[k]; !ok {
			t.Errorf("%s (used by %s) is not in i18n.json", k, where)
		}
	}
}

// jsonName is the JSON name of a struct field, or "" if it is not encoded.
func jsonName(f reflect.StructField) string {
	tag := f.Tag.Get("json")
	name, _, _ := strings.Cut(tag, ",")
	if name == "-" || !f.IsExported() {
		return ""
	}
	if name == "" {
		return f.Name
	}
	return name
}
