package oidcp

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"
)

// login is the login page: username and password, in Chinese or English.
type login struct {
	store    *storage
	callback func(ctx context.Context, id string) string
	prefix   string
}

// loginText is the page's wording per language.
type loginText struct {
	Lang, Title, Heading, Username, Password, Submit, Other, OtherLang, Error, SignedOut, Console string
}

var texts = map[string]loginText{
	"zh": {Lang: "zh-CN", Title: "企业开办 · 窗口工作台", Heading: "窗口人员登录", Username: "用户名", Password: "密码", Submit: "登录", Other: "English", OtherLang: "en",
		SignedOut: "您已退出登录。", Console: "返回窗口控制台"},
	"en": {Lang: "en", Title: "Company start-up · Clerk console", Heading: "Clerk sign-in", Username: "Username", Password: "Password", Submit: "Sign in", Other: "中文", OtherLang: "zh",
		SignedOut: "You have signed out.", Console: "Back to the clerk console"},
}

var errorTexts = map[string]map[string]string{
	"zh": {"credentials": "用户名或密码不正确。", "expired": "登录请求已失效，请从窗口控制台重新登录。", "locked": "登录失败次数过多，请 5 分钟后再试。"},
	"en": {"credentials": "Wrong username or password.", "expired": "This sign-in has expired; start again from the clerk console.", "locked": "Too many failed sign-ins. Try again in 5 minutes."},
}

var loginPage = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="{{.T.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.T.Title}}</title><link rel="icon" href="/static/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="/static/style.css"></head>
<body class="clerk">
<header class="site-header"><div class="wrap header-row"><p class="brand"><span class="brand-mark" aria-hidden="true">开</span> {{.T.Title}}</p>
<div class="header-tools"><a class="lang-switch" href="{{.OtherURL}}" lang="{{.T.OtherLang}}">{{.T.Other}}</a></div></div></header>
<main id="main" class="wrap"><h1>{{.T.Heading}}</h1><div class="card narrow">
{{if .Error}}<p class="alert" role="alert" id="login-error">{{.Error}}</p>{{end}}
{{if .ID}}<form method="post" action="{{.Action}}">
<input type="hidden" name="authRequestID" value="{{.ID}}"><input type="hidden" name="lang" value="{{.LangKey}}">
<div class="field"><label for="username">{{.T.Username}}</label><input name="username" id="username" autocomplete="username" required autofocus value="{{.Username}}"></div>
<div class="field"><label for="password">{{.T.Password}}</label><input name="password" id="password" type="password" autocomplete="current-password" required></div>
<button type="submit" class="button primary" id="login-submit">{{.T.Submit}}</button>
</form>{{end}}
</div></main></body></html>
`))

var loggedOutPage = template.Must(template.New("out").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Title}}</title><link rel="stylesheet" href="/static/style.css"></head>
<body class="clerk"><main class="wrap"><h1>{{.Heading}}</h1><div class="card narrow"><p id="signed-out">{{.SignedOut}}</p><p><a href="/clerk">{{.Console}}</a></p></div></main></body></html>
`))

// pageHeaders keep the page to itself: no scripts at all, styles and the
// form's target from this origin only, never framed (no clickjacking of
// the password field), never cached.
func pageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Type", "text/html; charset=utf-8")
}

func (l *login) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		id := r.URL.Query().Get("authRequestID")
		lang := l.lang(r, id)
		if _, err := l.store.AuthRequestByID(r.Context(), id); err != nil {
			l.render(w, http.StatusBadRequest, lang, "", "", errorTexts[lang]["expired"])
			return
		}
		l.render(w, http.StatusOK, lang, id, "", "")
	case http.MethodPost:
		r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
		if err := r.ParseForm(); err != nil {
			l.render(w, http.StatusBadRequest, "zh", "", "", errorTexts["zh"]["expired"])
			return
		}
		id := r.PostForm.Get("authRequestID")
		lang := l.lang(r, id)
		user := r.PostForm.Get("username")
		switch err := l.store.login(id, user, r.PostForm.Get("password")); {
		case errors.Is(err, errBadCredentials):
			l.render(w, http.StatusUnauthorized, lang, id, user, errorTexts[lang]["credentials"])
		case errors.Is(err, errLocked):
			l.render(w, http.StatusTooManyRequests, lang, id, user, errorTexts[lang]["locked"])
		case err != nil:
			l.render(w, http.StatusBadRequest, lang, "", "", errorTexts[lang]["expired"])
		default:
			http.Redirect(w, r, l.callback(r.Context(), id), http.StatusFound)
		}
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// lang picks the page's language: the page's own switch, then the
// sign-in's ui_locales, then Accept-Language; Chinese by default.
func (l *login) lang(r *http.Request, id string) string {
	if v := r.FormValue("lang"); v == "en" || v == "zh" {
		return v
	}
	if req, err := l.store.AuthRequestByID(r.Context(), id); err == nil {
		for _, loc := range req.(*authRequest).uiLocales {
			if strings.HasPrefix(loc, "en") {
				return "en"
			}
			if strings.HasPrefix(loc, "zh") {
				return "zh"
			}
		}
	}
	return langOf(r)
}

func langOf(r *http.Request) string {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(r.Header.Get("Accept-Language"))), "en") {
		return "en"
	}
	return "zh"
}

func (l *login) render(w http.ResponseWriter, status int, lang, id, user, msg string) {
	other := texts[lang].OtherLang
	pageHeaders(w)
	w.WriteHeader(status)
	_ = loginPage.Execute(w, map[string]any{
		"T": texts[lang], "LangKey": lang, "ID": id, "Username": user, "Error": msg,
		"Action":   l.prefix + loginPath,
		"OtherURL": l.prefix + loginPath + "?" + url.Values{"authRequestID": {id}, "lang": {other}}.Encode(),
	})
}

// loggedOut is where a sign-out without a return address ends.
func (l *login) loggedOut(w http.ResponseWriter, r *http.Request) {
	pageHeaders(w)
	_ = loggedOutPage.Execute(w, texts[langOf(r)])
}
