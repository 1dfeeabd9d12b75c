package main

import (
	"strings"
	"testing"
)

// A template whose markers are missing, unknown or unterminated is
// refused with the region's name rather than half rewritten.
func TestTemplateRegions(t *testing.T) {
	all := ""
	for _, name := range []string{"step functions", "step function substitutions", "step function invocations", "step function log groups"} {
		all += "  " + beginMarker + name + "\n  stale\n  " + endMarker + name + "\n"
	}
	out, err := Template([]byte("Resources:\n" + all))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "stale") || !strings.Contains(string(out), "KAIBAN_STEP: bank") {
		t.Errorf("regions not rewritten:\n%s", out)
	}
	again, err := Template(out)
	if err != nil || string(again) != string(out) {
		t.Errorf("rewriting twice changed the template (err %v)", err)
	}
	for _, c := range []struct{ name, src, want string }{
		{"missing", strings.Replace(all, beginMarker+"step function log groups", "# log groups", 1), `no region "step function log groups"`},
		{"unknown", all + "  " + beginMarker + "lambdas\n  " + endMarker + "lambdas\n", `no generated region called "lambdas"`},
		{"unterminated", strings.Replace(all, endMarker+"step function invocations", "# end", 1), `region "step function invocations" has no`},
	} {
		if _, err := Template([]byte(c.src)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error saying %q", c.name, err, c.want)
		}
	}
}
