package sam

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// TestSubmissionsThrottledHarder: the HTTP API throttles every route at
// the stage's default and POST /v1/applications, which has a route of its
// own for it, at lower limits of its own (each submission starts a
// workflow and sends messages).
func TestSubmissionsThrottledHarder(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(repoRoot, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := ParseTemplate(src)
	if err != nil {
		t.Fatal(err)
	}
	params := asMap(tpl.Root["Parameters"])
	def := func(name string) float64 {
		t.Helper()
		v, err := strconv.ParseFloat(fmt.Sprint(asMap(params[name])["Default"]), 64)
		if err != nil {
			t.Fatalf("parameter %s has no numeric default: %v", name, err)
		}
		return v
	}
	ref := func(v any) string { s, _ := asMap(v)["Ref"].(string); return s }

	stage := asMap(tpl.Resources["HttpApi"].Properties["DefaultRouteSettings"])
	if ref(stage["ThrottlingRateLimit"]) != "ApiThrottlingRateLimit" || ref(stage["ThrottlingBurstLimit"]) != "ApiThrottlingBurstLimit" {
		t.Errorf("HttpApi.DefaultRouteSettings = %v, want the ApiThrottling* parameters", stage)
	}
	var submit map[string]any
	for _, ev := range asMap(tpl.Resources["ApiFunction"].Properties["Events"]) {
		p := asMap(asMap(ev)["Properties"])
		if asMap(ev)["Type"] == "HttpApi" && p["Path"] == "/v1/applications" && p["Method"] == "POST" {
			submit = asMap(p["RouteSettings"])
		}
	}
	if submit == nil {
		t.Fatal("ApiFunction has no HttpApi event for POST /v1/applications with RouteSettings")
	}
	for _, c := range []struct{ setting, own, stage string }{
		{"ThrottlingRateLimit", "ApiSubmitThrottlingRateLimit", "ApiThrottlingRateLimit"},
		{"ThrottlingBurstLimit", "ApiSubmitThrottlingBurstLimit", "ApiThrottlingBurstLimit"},
	} {
		if got := ref(submit[c.setting]); got != c.own {
			t.Errorf("POST /v1/applications %s = %v, want !Ref %s", c.setting, submit[c.setting], c.own)
			continue
		}
		if def(c.own) >= def(c.stage) {
			t.Errorf("%s defaults to %v, not below the stage's %s (%v)", c.own, def(c.own), c.stage, def(c.stage))
		}
	}
}
