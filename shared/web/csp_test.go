package web

import (
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// The API serves the pages with Content-Security-Policy script-src 'self'
// and style-src 'self'. A page that relied on inline script, an inline
// event handler, a javascript: URL or an inline style would break under it,
// so none may appear.
func TestPagesNeedNoInlineScriptOrStyle(t *testing.T) {
	for _, p := range pagePaths {
		t.Run(p, func(t *testing.T) {
			walk(mustPage(t, p), func(el *html.Node, _ bool) {
				if el.Data == "script" {
					if src, ok := attr(el, "src"); !ok || src == "" {
						t.Errorf("inline <script>: %q", strings.TrimSpace(text(el)))
					}
					if strings.TrimSpace(text(el)) != "" {
						t.Errorf("<script src> with a body")
					}
				}
				if el.Data == "style" {
					t.Errorf("inline <style>")
				}
				for _, a := range el.Attr {
					switch {
					case strings.HasPrefix(a.Key, "on"):
						t.Errorf("<%s %s=…>: inline event handler", el.Data, a.Key)
					case a.Key == "style":
						t.Errorf("<%s style=…>: inline style", el.Data)
					case strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:"):
						t.Errorf("<%s %s=%q>: javascript: URL", el.Data, a.Key, a.Val)
					}
				}
			})
		})
	}
}

// The scripts build the page from data that comes from the API (names,
// reasons, results). They do so with textContent and createElement only,
// so nothing an applicant typed can become markup or code.
func TestScriptsNeverTurnStringsIntoMarkupOrCode(t *testing.T) {
	banned := regexp.MustCompile(`\.innerHTML\b|\.outerHTML\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(|setTimeout\(\s*['"]|setAttribute\(\s*['"](style|on\w+)['"]`)
	for name, src := range scripts(t) {
		for i, line := range strings.Split(src, "\n") {
			if m := banned.FindString(line); m != "" {
				t.Errorf("%s:%d uses %s", name, i+1, m)
			}
		}
	}
}
