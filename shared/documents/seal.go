package documents

import (
	"encoding/xml"
	"fmt"
	"math"
	"strings"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// sealRed is the colour of every e-seal.
const sealRed = "#d00"

// sealFont lists fonts for a letter the embedded fonts lack, drawn as
// SVG text in whatever the viewer has.
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
// the seal and the filing code as text for readers and checks, and each
// line of letters is a group labelled with its text.
func (s seal) svg(t kaiban.SealType) []byte {
	var b strings.Builder
	w, h := 200.0, 200.0
	if t == kaiban.SealInvoice {
		w, h = 240, 170
	}
	if t == kaiban.SealLegalRep {
		w, h = 120, 120
	}
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
		`<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" role="img">`+"\n", w, h, w, h)
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
	return []byte(b.String())
}

// round is the 42 mm round seal: ring, star, name along the top, filing
// code along the bottom; the contract seal says 合同专用章 under the star.
func (s seal) round(b *strings.Builder, label bool) {
	const cx, cy, ring = 100.0, 100.0, 94.0
	fmt.Fprintf(b, `<circle cx="%g" cy="%g" r="%g" fill="none" stroke="%s" stroke-width="5"/>`+"\n", cx, cy, ring, sealRed)
	b.WriteString(star(cx, cy, 26))
	arcText(b, true, cx, cy, 68, 68, 215, -35, s.company, 24, 6)
	if s.code != "" {
		arcText(b, false, cx, cy, 82, 82, 228, 312, s.code, 11, 2)
	}
	if label {
		line(b, s.title, cx, cy+52, 16, 120)
	}
}

// oval is the 40 × 30 mm invoice seal: name along the top, taxpayer ID
// across the middle, 发票专用章 below it, filing code at the foot.
func (s seal) oval(b *strings.Builder, w, h float64) {
	cx, cy := w/2, h/2
	rx, ry := w/2-5, h/2-5
	fmt.Fprintf(b, `<ellipse cx="%g" cy="%g" rx="%g" ry="%g" fill="none" stroke="%s" stroke-width="4"/>`+"\n", cx, cy, rx, ry, sealRed)
	arcText(b, true, cx, cy, rx-22, ry-22, 198, -18, s.company, 19, 4)
	line(b, s.taxID, cx, cy+14, 16, rx*1.2)
	line(b, s.title, cx, cy+38, 16, rx)
	if s.code != "" {
		line(b, s.code, cx, cy+56, 8, rx)
	}
}

// square is the finance seal: the company name in rows, 财务专用章 under it
// and the filing code at the foot, inside a square frame.
func (s seal) square(b *strings.Builder) {
	fmt.Fprintf(b, `<rect x="6" y="6" width="188" height="188" fill="none" stroke="%s" stroke-width="5"/>`+"\n", sealRed)
	lines := append(splitRunes(s.company, 7), s.title)
	size := 22.0
	top := 100 - float64(len(lines))*size*1.2/2 + size*0.9
	for i, l := range lines {
		line(b, l, 100, top+float64(i)*size*1.2, size, 170)
	}
	if s.code != "" {
		line(b, s.code, 100, 184, 8, 170)
	}
}

// nameSeal is the legal representative's square name seal: four
// characters in two columns read right to left (a two-character name adds
// 之印, a three-character one 印); a longer name runs across in one line.
func (s seal) nameSeal(b *strings.Builder) {
	fmt.Fprintf(b, `<rect x="4" y="4" width="112" height="112" fill="none" stroke="%s" stroke-width="5"/>`+"\n", sealRed)
	name := []rune(s.person)
	switch len(name) {
	case 2:
		name = append(name, '之', '印')
	case 3:
		name = append(name, '印')
	}
	if len(name) != 4 {
		line(b, string(name), 60, 70, 24, 100)
		return
	}
	fmt.Fprintf(b, `<g aria-label="%s">`, esc(string(name)))
	pos := [4][2]float64{{84, 52}, {84, 102}, {36, 52}, {36, 102}}
	for i, r := range name {
		letter(b, r, pos[i][0], pos[i][1], 46, 0, 1)
	}
	b.WriteString("</g>\n")
}

// arcText sets text along an elliptical arc from angle a0 to a1 (degrees,
// counter-clockwise from east, y up), the letters spread evenly and shrunk
// to fit (at most size, at least minSize). On the top (top true) they run
// clockwise with their feet towards the centre; on the bottom they run
// anticlockwise, upright, their heads towards the centre.
func arcText(b *strings.Builder, top bool, cx, cy, rx, ry, a0, a1 float64, text string, size, minSize float64) {
	rs := []rune(text)
	n := float64(len(rs))
	if n == 0 {
		return
	}
	span := a1 - a0
	// Arc length by the mean radius: exact enough for spacing letters.
	length := math.Abs(span) * math.Pi / 180 * (rx + ry) / 2
	fs := math.Max(minSize, math.Min(size, length/n*0.9))
	fmt.Fprintf(b, `<g aria-label="%s">`, esc(text))
	for i, r := range rs {
		a := (a0 + span*(float64(i)+0.5)/n) * math.Pi / 180
		x, y := cx+rx*math.Cos(a), cy-ry*math.Sin(a)
		// The letter's up points along the ellipse's outward normal
		// (inward for the bottom line).
		nx, ny := math.Cos(a)/rx, math.Sin(a)/ry
		rot := math.Atan2(nx, ny) * 180 / math.Pi
		if !top {
			rot += 180
		}
		letter(b, r, x, y, fs, rot, 1)
	}
	b.WriteString("</g>\n")
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
