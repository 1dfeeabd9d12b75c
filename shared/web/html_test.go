package web

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// The pages and the scripts they load, as the browser gets them.
var pagePaths = []string{"/", "/clerk", "/confirm"}

func mustPage(t *testing.T, path string) *html.Node {
	t.Helper()
	body, _, ok := Asset(path)
	if !ok {
		t.Fatalf("%s is not served", path)
	}
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return doc
}

// walk calls fn for every element under n, with whether it sits inside a
// <template> (whose content the scripts clone and number).
func walk(n *html.Node, fn func(el *html.Node, inTemplate bool)) {
	var rec func(*html.Node, bool)
	rec = func(n *html.Node, inTpl bool) {
		if n.Type == html.ElementNode {
			fn(n, inTpl)
			if n.Data == "template" {
				inTpl = true
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c, inTpl)
		}
	}
	rec(n, false)
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func text(n *html.Node) string {
	var b strings.Builder
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
	}
	rec(n)
	return b.String()
}

// scripts returns every JavaScript file the pages can load, by name.
func scripts(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, p := range Paths() {
		if strings.HasSuffix(p, ".js") {
			b, _, _ := Asset(p)
			out[strings.TrimPrefix(p, "/static/")] = string(b)
		}
	}
	if len(out) == 0 {
		t.Fatal("no scripts found")
	}
	return out
}
