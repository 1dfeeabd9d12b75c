package web

import (
	"path"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// Every URL a page loads is one that Asset serves: nothing comes from a
// CDN or another origin, and no reference is broken.
func TestPagesReferenceOnlyServedAssets(t *testing.T) {
	for _, p := range pagePaths {
		t.Run(p, func(t *testing.T) {
			walk(mustPage(t, p), func(el *html.Node, _ bool) {
				for _, key := range []string{"src", "href"} {
					v, ok := attr(el, key)
					if !ok || strings.HasPrefix(v, "#") {
						continue
					}
					if !strings.HasPrefix(v, "/") || strings.HasPrefix(v, "//") {
						t.Errorf("<%s %s=%q> is not on this origin", el.Data, key, v)
						continue
					}
					if _, _, ok := Asset(v); !ok {
						t.Errorf("<%s %s=%q> is not served", el.Data, key, v)
					}
				}
			})
		})
	}
}

// Every module a script imports, and every asset it fetches by a literal
// /static/ path, exists.
func TestScriptsReferenceOnlyServedFiles(t *testing.T) {
	imports := regexp.MustCompile(`(?m)^\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]`)
	statics := regexp.MustCompile(`['"](/static/[^'"]+)['"]`)
	for name, src := range scripts(t) {
		for _, m := range imports.FindAllStringSubmatch(src, -1) {
			if !strings.HasPrefix(m[1], "./") {
				t.Errorf("%s imports %q: only same-folder modules are served", name, m[1])
				continue
			}
			target := "/static/" + path.Clean(strings.TrimPrefix(m[1], "./"))
			if _, _, ok := Asset(target); !ok {
				t.Errorf("%s imports %s, which is not served", name, target)
			}
		}
		for _, m := range statics.FindAllStringSubmatch(src, -1) {
			if _, _, ok := Asset(m[1]); !ok {
				t.Errorf("%s fetches %s, which is not served", name, m[1])
			}
		}
	}
}

// Accessibility the markup can promise: every control has a <label>, ids
// are unique, and every for/aria-labelledby/aria-describedby names an
// element that exists. Template rows are checked with their placeholders,
// which the script replaces consistently.
func TestPagesAreLabelledAndWellLinked(t *testing.T) {
	for _, p := range pagePaths {
		t.Run(p, func(t *testing.T) {
			doc := mustPage(t, p)
			ids := map[string]int{}
			labelFor := map[string]bool{}
			walk(doc, func(el *html.Node, _ bool) {
				if id, ok := attr(el, "id"); ok {
					ids[id]++
				}
				if el.Data == "label" {
					if f, ok := attr(el, "for"); ok {
						labelFor[f] = true
					}
				}
			})
			for id, n := range ids {
				if n > 1 {
					t.Errorf("id %q used %d times", id, n)
				}
			}
			walk(doc, func(el *html.Node, _ bool) {
				switch el.Data {
				case "input", "select", "textarea":
					typ, _ := attr(el, "type")
					if typ == "hidden" || typ == "submit" || typ == "button" {
						return
					}
					id, _ := attr(el, "id")
					if id == "" || !labelFor[id] {
						t.Errorf("<%s id=%q> has no <label for>", el.Data, id)
					}
				case "img":
					if _, ok := attr(el, "alt"); !ok {
						t.Errorf("<img> without alt")
					}
				}
				for _, key := range []string{"for", "aria-labelledby", "aria-describedby", "aria-controls"} {
					v, ok := attr(el, key)
					if !ok {
						continue
					}
					for _, ref := range strings.Fields(v) {
						if ids[ref] == 0 {
							t.Errorf("<%s %s=%q>: no element has id %q", el.Data, key, v, ref)
						}
					}
				}
			})
			var lang string
			walk(doc, func(el *html.Node, _ bool) {
				if el.Data == "html" {
					lang, _ = attr(el, "lang")
				}
			})
			if lang != "zh-CN" {
				t.Errorf(`<html lang=%q>, want "zh-CN" (the default language)`, lang)
			}
		})
	}
}
