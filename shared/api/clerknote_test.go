package api_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/kaiban/kaiban/shared/api"
)

// TestClerkNoteIsMaskedBeforeAnyoneSeesIt: ID numbers and mobiles a clerk
// types or pastes into a note are masked before the note reaches the
// workflow, the task record, the audit trail or the answer; the rest of
// the note stays readable.
func TestClerkNoteIsMaskedBeforeAnyoneSeesIt(t *testing.T) {
	tests := []struct {
		name     string
		note     string
		secrets  []string
		wantNote string
	}{
		{"ID number", "核对身份证 210102198503120316 无误", []string{"210102198503120316"}, "核对身份证 210*************16 无误"},
		{"ID number with X", "法人 21010219850312031X 已到场", []string{"21010219850312031X"}, "法人 210*************1X 已到场"},
		{"mobile with spaces", "已电话联系 138 4001 2345", []string{"138 4001 2345", "4001"}, "已电话联系 138 **** 2345"},
		{"full-width mobile", "电话１３８４００１２３４５", []string{"１３８４００１２３４５"}, "电话１３８＊＊＊＊２３４５"},
		{"nothing personal", "已线下刻制", nil, "已线下刻制"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			s, _ := escalate(t, e, "task-1")
			alice := clerkClaims("alice")
			if resp := e.do(t, req{method: "POST", path: "/v1/clerk/tasks/task-1/claim", claims: alice}); resp.StatusCode != 200 {
				t.Fatalf("claim: %d %s", resp.StatusCode, resp.Body)
			}
			body, _ := json.Marshal(map[string]string{"decision": "retry", "note": tt.note})
			resp := e.do(t, req{method: "POST", path: "/v1/clerk/tasks/task-1/resolve", headers: jsonHeaders(), body: string(body), claims: alice})
			if resp.StatusCode != 200 {
				t.Fatalf("resolve: %d %s", resp.StatusCode, resp.Body)
			}
			var out api.ClerkDecision
			if err := json.Unmarshal([]byte(*e.exec.successes[0].Output), &out); err != nil {
				t.Fatal(err)
			}
			task, err := e.store.GetClerkTask(context.Background(), "task-1")
			if err != nil {
				t.Fatal(err)
			}
			trail, _ := e.store.ListAudit(context.Background(), s.ID)
			var audited string
			for _, ev := range trail {
				if ev.Action == "task.resolved" {
					var after struct{ Note string }
					_ = json.Unmarshal(ev.After, &after)
					audited = after.Note
				}
			}
			var answered struct{ Note string }
			_ = json.Unmarshal([]byte(resp.Body), &answered)
			for where, got := range map[string]string{
				"workflow": out.Note, "task record": task.Note, "audit trail": audited, "answer": answered.Note,
			} {
				if got != tt.wantNote {
					t.Errorf("%s has note %q, want %q", where, got, tt.wantNote)
				}
			}
			for _, secret := range tt.secrets {
				for where, text := range map[string]string{"workflow": *e.exec.successes[0].Output, "answer": resp.Body, "logs": e.logs.String()} {
					if strings.Contains(text, secret) {
						t.Errorf("%s contains %q", where, secret)
					}
				}
			}
		})
	}
}
