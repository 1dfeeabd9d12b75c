// Package web holds the two pages people use — the applicant portal and the
// clerk console — as hand-written HTML, CSS and JavaScript embedded in the
// binary, so the API function serves them with no CDN, no build step and no
// network beyond its own origin.
//
// The pages load only their own scripts (no inline script, no inline event
// handlers), so the API can send a Content-Security-Policy of
// script-src 'self'. All text shown to people lives in one table,
// static/i18n.json, in Chinese (the default) and English.
package web

import (
	"embed"
	"io/fs"
	"path"
	"slices"
	"strings"
)

//go:embed static
var static embed.FS

// pages maps the routes a person types or follows to the page served there.
var pages = map[string]string{
	"/":           "static/index.html",
	"/index.html": "static/index.html",
	"/clerk":      "static/clerk.html",
}

// contentTypes is fixed here rather than read from the host's MIME tables,
// which differ between machines and would change what a browser with
// X-Content-Type-Options: nosniff agrees to run.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".json": "application/json",
	".svg":  "image/svg+xml",
}

// Asset returns the file served at the URL path p: "/" and "/index.html"
// give the portal, "/clerk" the console, and "/static/<file>" the assets
// the pages use. ok is false for anything else, including directories,
// paths that try to leave static/, and files of a type not listed above.
func Asset(p string) (body []byte, contentType string, ok bool) {
	name, found := pages[p]
	if !found {
		rest, isStatic := strings.CutPrefix(p, "/static/")
		if !isStatic || rest == "" || path.Clean("/"+rest) != "/"+rest {
			return nil, "", false
		}
		name = "static/" + rest
	}
	if !fs.ValidPath(name) {
		return nil, "", false
	}
	ct, known := contentTypes[path.Ext(name)]
	if !known {
		return nil, "", false
	}
	if gen, isGenerated := generated[name]; isGenerated {
		return gen(), ct, true
	}
	b, err := static.ReadFile(name)
	if err != nil {
		return nil, "", false
	}
	return b, ct, true
}

// Paths lists every URL path Asset answers, sorted, for tests and for
// servers that want to register routes up front.
func Paths() []string {
	out := make([]string, 0, len(pages)+16)
	for p := range pages {
		out = append(out, p)
	}
	_ = fs.WalkDir(static, "static", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if _, known := contentTypes[path.Ext(name)]; known {
				out = append(out, "/"+name)
			}
		}
		return err
	})
	for name := range generated {
		out = append(out, "/"+name)
	}
	slices.Sort(out)
	return out
}
