package documents_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"strings"
	"testing"

	"github.com/kaiban/kaiban/shared/documents"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// FuzzRender feeds what the form and the agencies put on the documents —
// names with rare characters, long scopes and addresses, odd filing codes
// and track results — and insists on no panic, a PDF for every printed
// document and well-formed XML for every seal.
func FuzzRender(f *testing.F) {
	f.Add("沈阳云启软件科技有限公司", "张伟", "沈阳市浑南区创新路196号2门1203室", "I001", "210112088776655", `{"taxpayerId":"91210112MA0Y4K8L2X"}`)
	f.Add("沈阳䶮𠀀软件科技有限公司", "阿卜杜·热合曼", strings.Repeat("长地址", 80), "X999", "--><!-- ]]>", `{"completedByClerk":true,"data":{"taxOffice":"x"}}`)
	f.Add("A&B<C>\"'\x00\x1f\xff", "", "", "", "", `[]`)
	f.Add(strings.Repeat("龘", 300), "张", "\n\n", strings.Repeat("I002", 3), strings.Repeat("9", 200), `null`)
	f.Fuzz(func(t *testing.T, company, person, addr, scopeItem, code, taxResult string) {
		form := exampleForm(t)
		form.Company.Name = company
		form.LegalRepresentative.Name = person
		form.Company.Address.Detail = addr
		form.Company.BusinessScope = append(form.Company.BusinessScope, scopeItem, strings.Repeat(scopeItem, 20))
		form.Shareholders[0].Name = person
		form.Directors[0].Role = person
		app := completedApp(t, form)
		seal := app.Track(kaiban.TrackSeal)
		seal.Result = mustJSON(t, kaiban.SealFiling{Seals: []kaiban.SealRecord{{Type: kaiban.SealOfficial, FilingCode: code}, {Type: kaiban.SealInvoice, FilingCode: code}}})
		if json.Valid([]byte(taxResult)) {
			app.Track(kaiban.TrackTax).Result = json.RawMessage(taxResult)
		}
		in := documents.Input{App: app, VerifyURL: testVerifyURL, IssuedAt: issued}
		docs, err := documents.ForSubmission(in)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range []kaiban.TrackName{kaiban.TrackLicense, kaiban.TrackSeal, kaiban.TrackTax} {
			d, err := documents.ForTrack(in, tr)
			if err != nil {
				t.Fatalf("%s: %v", tr, err)
			}
			docs = append(docs, d...)
		}
		for _, d := range docs {
			switch d.MediaType {
			case "application/pdf":
				if !bytes.HasPrefix(d.Body, []byte("%PDF-")) {
					t.Fatalf("%s: not a PDF", d.Kind)
				}
			case "image/svg+xml":
				dec := xml.NewDecoder(bytes.NewReader(d.Body))
				for {
					_, err := dec.Token()
					if errors.Is(err, errEOF) {
						break
					}
					if err != nil {
						t.Fatalf("seal %s is not well-formed: %v\n%s", d.Key, err, d.Body)
					}
				}
			default:
				t.Fatalf("%s: media type %s", d.Kind, d.MediaType)
			}
		}
	})
}

// BenchmarkBundle renders every document of the example application (two
// holders, four seals), reporting the bytes of each kind.
func BenchmarkBundle(b *testing.B) {
	app := completedApp(b, exampleForm(b))
	sizes := map[string]int{}
	for b.Loop() {
		for _, d := range bundle(b, app) {
			sizes[string(d.Kind)+d.Key] = len(d.Body)
		}
	}
	total := 0
	for k, n := range sizes {
		b.ReportMetric(float64(n), k+"-bytes")
		total += n
	}
	b.ReportMetric(float64(total), "bundle-bytes")
}
