package documents

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// sealRed is the colour of every e-seal.
const sealRed = "#d00"

// sealFont lists CJK fonts a viewer may have; seals are images for the
// screen (the printed documents embed their font), and Chromium falls back
// to any CJK font it has.
const sealFont = `'SimSun','Songti SC','Noto Serif CJK SC','Droid Sans Fallback','WenQuanYi Zen Hei',serif`

// sealTitles are the Chinese and English names of the seal types.
var sealTitles = map[kaiban.SealType][2]string{
	kaiban.SealOfficial: {"公章", "Company seal"},
	kaiban.SealFinance:  {"财务专用章", "Finance seal"},
	kaiban.SealInvoice:  {"发票专用章", "Invoice seal"},
	kaiban.SealContract: {"合同专用章", "Contract seal"},
	kaiban.SealLegalRep: {"法定代表人名章", "Legal representative's seal"},
}

// renderSeals draws one e-seal per seal type the form ordered, with the
// filing code the seal system gave it.
func renderSeals(in Input) ([]Rendered, error) {
	var filing kaiban.SealFiling
	trackResult(in.App, kaiban.TrackSeal, &filing)
	codes := map[kaiban.SealType]string{}
	for _, s := range filing.Seals {
		codes[s.Type] = s.FilingCode
	}
	var tax kaiban.TaxRegistration
	trackResult(in.App, kaiban.TrackTax, &tax)
	taxID := tax.TaxpayerID
	if taxID == "" {
		taxID = creditCode(in)
	}
	out := make([]Rendered, 0, len(in.App.Form.Seals.Types))
	for _, t := range in.App.Form.Seals.Types {
		titles, ok := sealTitles[t]
		if !ok {
			return nil, kaiban.Errorf(kaiban.ErrInput, "unknown seal type %q", t)
		}
		s := seal{company: in.App.Form.Company.Name, code: codes[t], title: titles[0],
			person: in.App.Form.LegalRepresentative.Name, taxID: taxID}
		out = append(out, Rendered{Kind: kaiban.DocSeal, Key: string(t), Title: titles[0], TitleEN: titles[1],
			MediaType: mediaSVG, Body: s.svg(t)})
	}
	return out, nil
}

// seal is what one e-seal shows.
type seal struct {
	company, code, title, person, taxID string
}

// svg draws the seal of type t: 公章 and 合同专用章 round with a star, the
// company name along the upper arc and the filing code along the lower;
// 发票专用章 an oval with the taxpayer ID across; 财务专用章 and
// 法定代表人名章 square. The title and description repeat the company,
// the seal and the filing code as text for readers and checks.
func (s seal) svg(t kaiban.SealType) []byte {
	var b bytes.Buffer
	w, h := 200.0, 200.0
	if t == kaiban.SealInvoice {
		w, h = 240, 170
	}
	if t == kaiban.SealLegalRep {
		w, h = 120, 120
	}
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
		`<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" font-family="%s">`+"\n",
		w, h, w, h, esc(sealFont))
	fmt.Fprintf(&b, "<title>%s %s</title>\n<desc>%s；%s；备案码 %s</desc>\n",
		esc(s.company), esc(s.title), esc(s.company), esc(s.title), esc(orBlank(s.code)))
	fmt.Fprintf(&b, `<g fill="%s" stroke="none">`+"\n", sealRed)
	switch t {
	case kaiban.SealOfficial, kaiban.SealContract:
		s.round(&b, t == kaiban.SealContract)
	case kaiban.SealInvoice:
		s.oval(&b, w, h)
	case kaiban.SealFinance:
		s.square(&b)
	case kaiban.SealLegalRep:
		s.nameSeal(&b)
	}
	b.WriteString("</g>\n</svg>\n")
	return b.Bytes()
}

// round is the 42 mm round seal: ring, star, name along the top, filing
// code along the bottom; the contract seal says 合同专用章 under the star.
func (s seal) round(b *bytes.Buffer, label bool) {
	const cx, cy, ring = 100.0, 100.0, 94.0
	fmt.Fprintf(b, `<circle cx="%g" cy="%g" r="%g" fill="none" stroke="%s" stroke-width="5"/>`+"\n", cx, cy, ring, sealRed)
	b.WriteString(star(cx, cy, 26))
	arcText(b, "top", cx, cy, 66, 66, 210, -30, s.company, 22, 6)
	if s.code != "" {
		arcText(b, "bottom", cx, cy, 84, 84, 235, 305, s.code, 8.5, 1)
	}
	if label {
		fmt.Fprintf(b, `<text x="%g" y="%g" font-size="16" text-anchor="middle">%s</text>`+"\n", cx, cy+52, esc(s.title))
	}
}

// oval is the 40 × 30 mm invoice seal: name along the top, taxpayer ID
// across the middle, 发票专用章 below it, filing code at the foot.
func (s seal) oval(b *bytes.Buffer, w, h float64) {
	cx, cy := w/2, h/2
	rx, ry := w/2-5, h/2-5
	fmt.Fprintf(b, `<ellipse cx="%g" cy="%g" rx="%g" ry="%g" fill="none" stroke="%s" stroke-width="4"/>`+"\n", cx, cy, rx, ry, sealRed)
	arcText(b, "top", cx, cy, rx-22, ry-22, 200, -20, s.company, 18, 4)
	fmt.Fprintf(b, `<text x="%g" y="%g" font-size="15" font-family="'Courier New',monospace" text-anchor="middle" textLength="%g" lengthAdjust="spacingAndGlyphs">%s</text>`+"\n",
		cx, cy+8, rx*1.45, esc(s.taxID))
	fmt.Fprintf(b, `<text x="%g" y="%g" font-size="16" text-anchor="middle">%s</text>`+"\n", cx, cy+34, esc(s.title))
	if s.code != "" {
		fmt.Fprintf(b, `<text x="%g" y="%g" font-size="8" text-anchor="middle">%s</text>`+"\n", cx, cy+52, esc(s.code))
	}
}

// square is the finance seal: the company name in rows, 财务专用章 under it
// and the filing code at the foot, inside a square frame.
func (s seal) square(b *bytes.Buffer) {
	fmt.Fprintf(b, `<rect x="6" y="6" width="188" height="188" fill="none" stroke="%s" stroke-width="5"/>`+"\n", sealRed)
	rows := splitRunes(s.company, 7)
	lines := append(rows, s.title)
	size := 22.0
	top := 100 - float64(len(lines))*size*1.15/2 + size*0.85
	for i, l := range lines {
		n := utf8.RuneCountInString(l)
		fmt.Fprintf(b, `<text x="100" y="%.2f" font-size="%g" text-anchor="middle" textLength="%g" lengthAdjust="spacingAndGlyphs">%s</text>`+"\n",
			top+float64(i)*size*1.15, size, min(170, float64(n)*size*1.05), esc(l))
	}
	if s.code != "" {
		fmt.Fprintf(b, `<text x="100" y="184" font-size="8" text-anchor="middle">%s</text>`+"\n", esc(s.code))
	}
}

// nameSeal is the legal representative's square name seal: four
// characters in two columns read right to left (a two-character name adds
// 之印, a three-character one 印); a longer name runs across in one line.
func (s seal) nameSeal(b *bytes.Buffer) {
	fmt.Fprintf(b, `<rect x="4" y="4" width="112" height="112" fill="none" stroke="%s" stroke-width="5"/>`+"\n", sealRed)
	name := []rune(s.person)
	switch len(name) {
	case 2:
		name = append(name, '之', '印')
	case 3:
		name = append(name, '印')
	}
	if len(name) == 4 {
		pos := [4][2]float64{{84, 54}, {84, 104}, {36, 54}, {36, 104}}
		for i, r := range name {
			fmt.Fprintf(b, `<text x="%g" y="%g" font-size="44" text-anchor="middle">%s</text>`+"\n", pos[i][0], pos[i][1], esc(string(r)))
		}
	} else {
		fmt.Fprintf(b, `<text x="60" y="70" font-size="24" text-anchor="middle" textLength="100" lengthAdjust="spacingAndGlyphs">%s</text>`+"\n", esc(string(name)))
	}
}

// arcText sets text along an elliptical arc from angle a0 to a1 (degrees,
// counter-clockwise from east, y up). "top" runs clockwise over the top
// with the letters' feet towards the centre; "bottom" runs anticlockwise
// under the bottom, letters upright. Letters are spread evenly over the
// arc and shrunk to fit, at most size, at least minSize.
func arcText(b *bytes.Buffer, id string, cx, cy, rx, ry, a0, a1 float64, text string, size, minSize float64) {
	pt := func(a float64) (float64, float64) {
		r := a * math.Pi / 180
		return cx + rx*math.Cos(r), cy - ry*math.Sin(r)
	}
	x0, y0 := pt(a0)
	x1, y1 := pt(a1)
	span := math.Abs(a1 - a0)
	large, sweep := 0, 1
	if span > 180 {
		large = 1
	}
	if id == "bottom" {
		sweep = 0
	}
	// Arc length of the ellipse by Ramanujan's mean radius: exact enough
	// for spacing letters.
	length := span * math.Pi / 180 * (rx + ry) / 2
	n := float64(utf8.RuneCountInString(text))
	if n == 0 {
		return
	}
	fs := math.Max(minSize, math.Min(size, length/n*0.92))
	fmt.Fprintf(b, `<path id="seal-%s" d="M%.2f %.2f A%.2f %.2f 0 %d %d %.2f %.2f" fill="none"/>`+"\n",
		id, x0, y0, rx, ry, large, sweep, x1, y1)
	fmt.Fprintf(b, `<text font-size="%.2f"><textPath href="#seal-%s" startOffset="50%%" text-anchor="middle" textLength="%.2f" lengthAdjust="spacing">%s</textPath></text>`+"\n",
		fs, id, math.Min(length*0.98, fs*n*1.6), esc(text))
}

// star is a filled five-pointed star of outer radius r centred at cx, cy.
func star(cx, cy, r float64) string {
	var p strings.Builder
	for i := 0; i < 10; i++ {
		rr := r
		if i%2 == 1 {
			rr = r * 0.382
		}
		a := math.Pi/2 + float64(i)*math.Pi/5
		x, y := cx+rr*math.Cos(a), cy-rr*math.Sin(a)
		if i == 0 {
			fmt.Fprintf(&p, "M%.2f %.2f", x, y)
		} else {
			fmt.Fprintf(&p, " L%.2f %.2f", x, y)
		}
	}
	return fmt.Sprintf(`<path d="%s Z"/>`+"\n", p.String())
}

// splitRunes cuts s into rows of at most n characters of even length.
func splitRunes(s string, n int) []string {
	r := []rune(s)
	if len(r) == 0 {
		return nil
	}
	rows := (len(r) + n - 1) / n
	per := (len(r) + rows - 1) / rows
	var out []string
	for i := 0; i < len(r); i += per {
		out = append(out, string(r[i:min(len(r), i+per)]))
	}
	return out
}

// esc escapes text for XML character data and attributes.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return strings.ReplaceAll(b.String(), "'", "&#39;")
}
