// Package web holds the two pages people use — the applicant portal and the
// clerk console — as hand-written HTML, CSS and JavaScript embedded in the
// binary, so the API function serves them with no CDN, no build step and no
// network beyond its own origin.
//
// The pages load only their own scripts (no inline script, no inline event
// handlers, no inline styles), so the API can send a Content-Security-Policy
// of script-src 'self'; style-src 'self'. All text shown to people lives in
// one table, static/i18n.json, in Chinese (the default) and English.
package web

import (
	"embed"
	"io/fs"
	"maps"
	"path"
	"slices"
	"sync"
)

//go:embed static
var static embed.FS

// pages maps the routes a person types or follows to the file served there.
var pages = map[string]string{
	"/":           "/static/index.html",
	"/index.html": "/static/index.html",
	"/clerk":      "/static/clerk.html",
	"/confirm":    "/static/confirm.html",
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

type asset struct {
	body        []byte
	contentType string
}

// assets is every answer Asset can give, built once. Asset is then a map
// lookup: no path parsing (so no path tricks) and no copy per request.
var assets = sync.OnceValue(func() map[string]asset {
	m := map[string]asset{}
	_ = fs.WalkDir(static, "static", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ct, known := contentTypes[path.Ext(name)]
		if !known {
			return nil
		}
		b, err := static.ReadFile(name)
		if err != nil {
			return err
		}
		m["/"+name] = asset{body: b, contentType: ct}
		return nil
	})
	for name, gen := range generated {
		m[name] = asset{body: gen(), contentType: contentTypes[path.Ext(name)]}
	}
	for route, file := range pages {
		m[route] = m[file]
	}
	return m
})

// Asset returns the file served at the URL path p: "/" and "/index.html"
// give the portal, "/clerk" the console, and "/static/<file>" the assets
// the pages use. ok is false for anything else. The body is shared by all
// callers and must not be modified.
func Asset(p string) (body []byte, contentType string, ok bool) {
	a, ok := assets()[p]
	return a.body, a.contentType, ok
}

// Paths lists every URL path Asset answers, sorted, for tests and for
// servers that want to register routes up front.
func Paths() []string {
	return slices.Sorted(maps.Keys(assets()))
}
