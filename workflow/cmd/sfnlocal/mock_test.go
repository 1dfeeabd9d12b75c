package main

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/kaiban/kaiban/workflow/engine"
)

// TestLoadMockCaseErrors: every mistake in a mock configuration is named
// precisely enough to fix it.
func TestLoadMockCaseErrors(t *testing.T) {
	const responses = `"MockedResponses": {"OK": {"0": {"Return": 1}}}`
	tests := []struct {
		name, config, machine, testCase, want string
	}{
		{"not JSON", `{`, "", "T", "mock config"},
		{"unknown field", `{"StateMachines": {}, "MockResponses": {}}`, "", "T", `"MockResponses"`},
		{"two machines, none chosen", `{"StateMachines": {"a": {"TestCases": {}}, "b": {"TestCases": {}}}}`, "", "T", "--state-machine"},
		{"no such machine", `{"StateMachines": {"a": {"TestCases": {}}}}`, "zzz", "T", `no state machine "zzz" (it has: a)`},
		{"no such test case", `{"StateMachines": {"a": {"TestCases": {"Happy": {}}}}}`, "", "Sad", `no test case "Sad" (it has: Happy)`},
		{"response not defined", `{"StateMachines": {"a": {"TestCases": {"T": {"S": "Nope"}}}}, ` + responses + `}`, "", "T", `maps state "S" to "Nope"`},
		{"bad invocation key", `{"StateMachines": {"a": {"TestCases": {"T": {"S": "R"}}}}, "MockedResponses": {"R": {"first": {"Return": 1}}}}`, "", "T", `invocation key "first"`},
		{"reversed range", `{"StateMachines": {"a": {"TestCases": {"T": {"S": "R"}}}}, "MockedResponses": {"R": {"3-1": {"Return": 1}}}}`, "", "T", `"3-1"`},
		{"negative", `{"StateMachines": {"a": {"TestCases": {"T": {"S": "R"}}}}, "MockedResponses": {"R": {"-1": {"Return": 1}}}}`, "", "T", `"-1"`},
		{"overlap", `{"StateMachines": {"a": {"TestCases": {"T": {"S": "R"}}}}, "MockedResponses": {"R": {"0-2": {"Return": 1}, "2": {"Return": 2}}}}`, "", "T", "overlap"},
		{"both", `{"StateMachines": {"a": {"TestCases": {"T": {"S": "R"}}}}, "MockedResponses": {"R": {"0": {"Return": 1, "Throw": {"Error": "E"}}}}}`, "", "T", "both Return and Throw"},
		{"neither", `{"StateMachines": {"a": {"TestCases": {"T": {"S": "R"}}}}, "MockedResponses": {"R": {"0": {}}}}`, "", "T", "needs Return or Throw"},
		{"throw without error", `{"StateMachines": {"a": {"TestCases": {"T": {"S": "R"}}}}, "MockedResponses": {"R": {"0": {"Throw": {"Cause": "c"}}}}}`, "", "T", "needs an Error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadMockCase([]byte(tt.config), tt.machine, tt.testCase)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want it to mention %s", err, tt.want)
			}
		})
	}
}

// TestMockInvoke: each invocation index gets its answer, ranges included;
// running out of answers or of mocks is States.Runtime naming the state.
func TestMockInvoke(t *testing.T) {
	data, err := os.ReadFile("testdata/cases.mock.json")
	if err != nil {
		t.Fatal(err)
	}
	mc, err := loadMockCase(data, "bench", "KycRecovers")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		state      string
		invocation int
		result     string
		errName    string
		errCause   string
	}{
		{"KycCheck", 0, "", "Agency.Unavailable", "first try"},
		{"KycCheck", 1, "", "Agency.Unavailable", "retrying"},
		{"KycCheck", 2, "", "Agency.Unavailable", "retrying"},
		{"KycCheck", 3, `{ "kyc": "passed late" }`, "", ""},
		{"KycCheck", 4, "", engine.ErrRuntime, `mocked response "KycFailsThreeTimes" for state "KycCheck" has no answer for invocation 4`},
		{"Validate", 0, `{ "valid": true }`, "", ""},
		{"Audit", 0, "", engine.ErrRuntime, `state "Audit" has no mock in test case "KycRecovers"`},
	}
	for _, tt := range tests {
		got, err := mc.invoke(context.Background(), engine.TaskCall{StateName: tt.state, Invocation: tt.invocation})
		var te *engine.TaskError
		switch {
		case tt.errName == "":
			if err != nil || string(got) != tt.result {
				t.Errorf("%s #%d = %s, %v; want %s", tt.state, tt.invocation, got, err, tt.result)
			}
		case !errors.As(err, &te) || te.Name != tt.errName || !strings.Contains(te.Cause, tt.errCause):
			t.Errorf("%s #%d error = %v, want %s: %s", tt.state, tt.invocation, err, tt.errName, tt.errCause)
		}
	}
}

// TestTaskStates finds Task states at every depth.
func TestTaskStates(t *testing.T) {
	def, err := os.ReadFile("testdata/bench.asl.json")
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(taskStates(def), ",")
	if want := "KycCheck,NameCheck,Notify,Persist,Validate"; !sortedEqual(got, want) {
		t.Errorf("taskStates = %s, want %s", got, want)
	}
	nested := `{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"In","States":{"In":{"Type":"Task","Resource":"r","End":true}}},"End":true}}}`
	if got := taskStates([]byte(nested)); len(got) != 1 || got[0] != "In" {
		t.Errorf("Map item processor: %v", got)
	}
}

func sortedEqual(a, b string) bool {
	as, bs := strings.Split(a, ","), strings.Split(b, ",")
	if len(as) != len(bs) {
		return false
	}
	seen := map[string]int{}
	for _, s := range as {
		seen[s]++
	}
	for _, s := range bs {
		seen[s]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}
