package documents

import (
	"strings"

	"codeberg.org/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// field draws a Chinese label with its English one beneath in small grey
// type, and the value beside it wrapped to width w. It returns the y below
// the taller of the two.
func field(pdf *fpdf.Fpdf, x, y, labelW, w, size float64, zh, en, value string) float64 {
	pdf.SetTextColor(0, 0, 0)
	setFont(pdf, size)
	pdf.SetXY(x, y)
	put(pdf, labelW, size*0.45, zh, "L", 0)
	pdf.SetTextColor(110, 110, 110)
	setFont(pdf, size*0.55)
	pdf.SetXY(x, y+size*0.45)
	put(pdf, labelW, size*0.3, en, "L", 0)
	labelBottom := y + size*0.8
	pdf.SetTextColor(0, 0, 0)
	setFont(pdf, size)
	pdf.SetXY(x+labelW, y)
	multi(pdf, x+labelW, w, size*0.5, orBlank(value))
	return max(pdf.GetY(), labelBottom) + size*0.12
}

// heading draws a centred title with its English title beneath.
func heading(pdf *fpdf.Fpdf, y float64, zh, en string, size float64) float64 {
	pageW, _ := pdf.GetPageSize()
	l, _, r, _ := pdf.GetMargins()
	pdf.SetTextColor(0, 0, 0)
	setFont(pdf, size)
	pdf.SetXY(l, y)
	put(pdf, pageW-l-r, size*0.5, zh, "C", 0)
	pdf.SetTextColor(110, 110, 110)
	setFont(pdf, size*0.45)
	pdf.SetXY(l, y+size*0.5)
	put(pdf, pageW-l-r, size*0.3, en, "C", 0)
	pdf.SetTextColor(0, 0, 0)
	return y + size*0.9
}

// para writes a paragraph across the text width from the current line.
func para(pdf *fpdf.Fpdf, size float64, text string) {
	setFont(pdf, size)
	pdf.SetTextColor(0, 0, 0)
	l, _, r, _ := pdf.GetMargins()
	pageW, _ := pdf.GetPageSize()
	multi(pdf, l, pageW-l-r, size*0.55, text)
	pdf.Ln(size * 0.15)
}

// qr draws the QR code of text as vector squares, side mm wide, at x, y.
func qr(pdf *fpdf.Fpdf, text string, x, y, side float64) error {
	code, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return kaiban.Wrap(kaiban.ErrInput, err, "verification link does not fit a QR code")
	}
	code.DisableBorder = true
	bm := code.Bitmap()
	n := float64(len(bm))
	cell := side / n
	pdf.SetFillColor(0, 0, 0)
	for r, row := range bm {
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			start := c
			for c < len(row) && row[c] {
				c++
			}
			// One rectangle per run of dark modules keeps the stream short;
			// the slight overlap hides hairline gaps between rows.
			pdf.Rect(x+float64(start)*cell, y+float64(r)*cell, float64(c-start)*cell, cell*1.02, "F")
		}
	}
	return nil
}

// noLineStart are the characters a line may not begin with: closing
// punctuation stays on the line before it, even a little past the edge.
const noLineStart = "，。、；：？！）》」』】”’,.;:?!)%"

// wrap breaks text into lines at most w mm wide in the current font, at
// any character (Chinese has no spaces to break at) and at newlines.
// fpdf's own MultiCell drops the character at a break in text without
// spaces, so every paragraph goes through here.
func wrap(pdf *fpdf.Fpdf, text string, w float64) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		para = printable(para)
		var line []rune
		lw := 0.0
		for _, r := range para {
			cw := runeWidth(pdf, r)
			if lw+cw > w && len(line) > 0 && !strings.ContainsRune(noLineStart, r) {
				lines = append(lines, string(line))
				line, lw = nil, 0
			}
			line = append(line, r)
			lw += cw
		}
		lines = append(lines, string(line))
	}
	return lines
}

// multi writes text wrapped to w at x from the current y, lh mm a line,
// and leaves the position at x below it. A page break comes between lines.
func multi(pdf *fpdf.Fpdf, x, w, lh float64, text string) {
	for _, l := range wrap(pdf, text, w) {
		pdf.SetX(x)
		put(pdf, w, lh, l, "L", 2)
	}
	pdf.SetX(x)
}

// runeWidth is the printed width of r in mm at the current size.
func runeWidth(pdf *fpdf.Fpdf, r rune) float64 {
	size := sizeOf(pdf)
	if latin(r) {
		pdf.SetFont(latinFamily, "", size)
		w := pdf.GetStringWidth(string(r))
		setFont(pdf, size)
		return w
	}
	return pdf.GetStringWidth(string(r))
}
