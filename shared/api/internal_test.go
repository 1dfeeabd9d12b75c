package api

import (
	"reflect"
	"testing"
)

// TestParseGroups: clerk access is granted only by the form API Gateway's
// JWT authorizer renders Cognito's cognito:groups array in ("[a b]"),
// never by a string that merely mentions the group.
func TestParseGroups(t *testing.T) {
	tests := []struct {
		in     string
		want   []string
		access bool // does the claim grant the "clerks" group?
	}{
		{"[clerks]", []string{"clerks"}, true},
		{"[clerks admins]", []string{"clerks", "admins"}, true},
		{"[admins clerks]", []string{"admins", "clerks"}, true},
		{"[admins]", []string{"admins"}, false},
		{"", nil, false},
		{"[]", nil, false},
		// Hostile or foreign forms: none of them is how the gateway renders
		// a list, so none grants anything.
		{"x,clerks", nil, false},
		{"clerks,admins", nil, false},
		{"clerks,", nil, false},
		{"clerks", nil, false},
		{"clerksx", nil, false},
		{"[clerksx]", []string{"clerksx"}, false},
		{"[x,clerks]", []string{"x,clerks"}, false},
		{"[clerks,]", []string{"clerks,"}, false},
		{`"[clerks]"`, nil, false},
		{`["clerks"]`, []string{`"clerks"`}, false},
		{`["clerks","admins"]`, []string{`"clerks","admins"`}, false},
		{"[ clerks]", nil, false},
		{"[clerks ]", nil, false},
		{"[admins  clerks]", nil, false},
		{"[admins\tclerks]", nil, false},
		{"[admins\nclerks]", nil, false},
		{" [clerks]", nil, false},
		{"[clerks] ", nil, false},
		{"[clerks", nil, false},
		{"clerks]", nil, false},
		{"[[clerks]]", []string{"[clerks]"}, false},
		{"[CLERKS]", []string{"CLERKS"}, false},
	}
	for _, tt := range tests {
		got := parseGroups(tt.in)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseGroups(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if access := contains(got, "clerks"); access != tt.access {
			t.Errorf("claim %q grants the clerks group: %v, want %v", tt.in, access, tt.access)
		}
	}
}

func TestRouterMatching(t *testing.T) {
	s := NewServer(Deps{})
	tests := []struct {
		method, path, pattern string
		params                map[string]string
	}{
		{"GET", "/v1/applications/KB1", "/v1/applications/{id}", map[string]string{"id": "KB1"}},
		{"POST", "/v1/applications/validate", "/v1/applications/validate", nil},
		{"POST", "/v1/clerk/tasks/t1/claim", "/v1/clerk/tasks/{id}/claim", map[string]string{"id": "t1"}},
		{"GET", "/static/css/site.css", "/static/{file...}", map[string]string{"file": "css/site.css"}},
		{"GET", "/", "/", nil},
	}
	for _, tt := range tests {
		rt, params, err := s.match(tt.method, tt.path)
		if err != nil || rt.pattern != tt.pattern || !reflect.DeepEqual(params, tt.params) {
			t.Errorf("%s %s: %v %v %v", tt.method, tt.path, rt, params, err)
		}
	}
	for _, path := range []string{"/v1/applications/", "/static/", "/v1/clerk/tasks//claim", "/v1"} {
		if _, _, err := s.match("GET", path); err == nil {
			t.Errorf("%s matched", path)
		}
	}
}
