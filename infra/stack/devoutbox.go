package stack

import (
	"encoding/json"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// DevOutboxPath is where the local stack shows the messages it would have
// sent by SMS and e-mail: JSON for `Accept: application/json` (and for
// tests and scripts), an HTML page for a browser. The path belongs to the
// local stack alone: the deployed api has no such route, so the outbox
// (with its status links and their access tokens) is never served on AWS.
const DevOutboxPath = "/dev/outbox"

// outboxView is one message as GET /dev/outbox shows it.
type outboxView struct {
	To      string         `json:"to"`
	Channel kaiban.Channel `json:"channel"`
	Text    string         `json:"text"`
	Link    string         `json:"link"`
	SentAt  time.Time      `json:"sentAt"`
}

// withDevOutbox serves DevOutboxPath from outbox and everything else from
// next.
func withDevOutbox(next http.Handler, outbox kaiban.Outbox) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != DevOutboxPath {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Cache-Control", "no-store")
		en := strings.HasPrefix(strings.ToLower(r.Header.Get("Accept-Language")), "en")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			msg := "仅支持 GET"
			if en {
				msg = "only GET is allowed"
			}
			writeDevError(w, http.StatusMethodNotAllowed, "method_not_allowed", msg)
			return
		}
		msgs, err := outbox.Messages(r.Context(), kaiban.MaxOutboxList)
		if err != nil {
			msg := "发件箱暂不可用"
			if en {
				msg = "the outbox cannot be read now"
			}
			writeDevError(w, http.StatusServiceUnavailable, "unavailable", msg)
			return
		}
		views := make([]outboxView, 0, len(msgs))
		for _, m := range msgs {
			views = append(views, outboxView{To: m.To, Channel: m.Channel, Text: m.Text, Link: m.Link, SentAt: m.SentAt})
		}
		if strings.Contains(r.Header.Get("Accept"), "text/html") {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_ = outboxPage.Execute(w, views)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"messages": views})
	})
}

func writeDevError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []kaiban.FieldError{{Field: "", Code: code, Message: msg}}})
}

// outboxPage lists the messages newest first; html/template escapes the
// texts and keeps only safe link URLs.
var outboxPage = template.Must(template.New("outbox").Parse(`<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>发件箱 Outbox (local)</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4em;text-align:left;vertical-align:top}
.ch{font-weight:600;text-transform:uppercase}</style></head>
<body><h1>发件箱 Outbox <small>(local stack: what would have been sent by SMS and e-mail)</small></h1>
{{if .}}<table><thead><tr><th>sent</th><th>channel</th><th>to</th><th>text</th><th>link</th></tr></thead><tbody>
{{range .}}<tr class="msg"><td>{{.SentAt.Format "2006-01-02 15:04:05"}}</td><td class="ch">{{.Channel}}</td><td>{{.To}}</td><td>{{.Text}}</td><td>{{if .Link}}<a class="link" href="{{.Link}}">{{.Link}}</a>{{end}}</td></tr>
{{end}}</tbody></table>{{else}}<p>没有消息 · No messages yet.</p>{{end}}
</body></html>
`))
