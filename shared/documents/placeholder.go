package documents

import (
	"fmt"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// placeholder renders a plain-text stand-in until the real layouts exist.
func placeholder(in Input, kinds ...kaiban.DocumentKind) ([]Rendered, error) {
	out := make([]Rendered, 0, len(kinds))
	for _, k := range kinds {
		body := fmt.Sprintf("%s\n%s\n%s\n%s\n", k, in.App.Form.Company.Name, in.App.CreditCode, in.IssuedAt.UTC().Format("2006-01-02T15:04:05Z"))
		out = append(out, Rendered{Kind: k, Title: string(k), TitleEN: string(k), MediaType: "text/plain; charset=utf-8", Body: []byte(body)})
	}
	return out, nil
}
