package documents

import (
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

const latinFamily = "dejavu"

// latin reports whether r prints in the Latin font.
func latin(r rune) bool { return r < 0x2000 }

// missing stands for a character no PDF font can carry: 〓, the
// typesetters' mark for a character the case has no type for.
const missing = '〓'

// printable is s as the PDFs print it. fpdf maps characters to glyphs
// through a table of the Basic Multilingual Plane only, so a character
// beyond it (CJK Extension B and later, allowed in names) prints as
// missing; control characters print as spaces. A BMP character the fonts
// lack prints as the font's empty box, and the text layer (search, copy,
// pdftotext) still has the character.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r > 0xFFFF:
			return missing
		case r < 0x20 || r == 0x7F:
			return ' '
		}
		return r
	}, s)
}

// run is a stretch of text in one font.
type run struct {
	latin bool
	text  string
}

// runs cuts s where it changes between the Latin and the CJK font.
func runs(s string) []run {
	var out []run
	start, cur := 0, false
	for i, r := range s {
		l := latin(r)
		if i == 0 {
			cur = l
			continue
		}
		if l != cur {
			out = append(out, run{cur, s[start:i]})
			start, cur = i, l
		}
	}
	if start < len(s) {
		out = append(out, run{cur, s[start:]})
	}
	return out
}

// setFont sets the size of the text that follows, in points.
func setFont(pdf *fpdf.Fpdf, size float64) { pdf.SetFont(fontFamily, "", size) }

func useFont(pdf *fpdf.Fpdf, r run) {
	size, _ := pdf.GetFontSize()
	if r.latin {
		pdf.SetFont(latinFamily, "", size)
	} else {
		pdf.SetFont(fontFamily, "", size)
	}
}

// width is the printed width of s in mm at the current size.
func width(pdf *fpdf.Fpdf, s string) float64 {
	w := 0.0
	for _, r := range runs(s) {
		useFont(pdf, r)
		w += pdf.GetStringWidth(r.text)
	}
	setFont(pdf, sizeOf(pdf))
	return w
}

func sizeOf(pdf *fpdf.Fpdf) float64 {
	size, _ := pdf.GetFontSize()
	return size
}

// put writes s in a cell w mm wide and h high at the current position,
// aligned "L", "C" or "R", each run in its font; ln as in CellFormat
// (0 right, 1 next line, 2 below).
func put(pdf *fpdf.Fpdf, w, h float64, s string, align string, ln int) {
	s = printable(s)
	x, y := pdf.GetXY()
	// Break the page here, not inside CellFormat: a break there would put
	// the run on the next page and the position back on this one.
	if auto, bottom := pdf.GetAutoPageBreak(); auto {
		_, pageH := pdf.GetPageSize()
		if y+h > pageH-bottom {
			pdf.AddPage()
			_, top, _, _ := pdf.GetMargins()
			y = top
			pdf.SetXY(x, y)
		}
	}
	tw := width(pdf, s)
	if w == 0 {
		_, _, r, _ := pdf.GetMargins()
		pageW, _ := pdf.GetPageSize()
		w = pageW - r - x
	}
	cx := x
	switch align {
	case "C":
		cx = x + (w-tw)/2
	case "R":
		cx = x + w - tw
	}
	size := sizeOf(pdf)
	for _, r := range runs(s) {
		useFont(pdf, r)
		rw := pdf.GetStringWidth(r.text)
		pdf.SetXY(cx, y)
		pdf.CellFormat(rw, h, r.text, "", 0, "L", false, 0, "")
		cx += rw
	}
	setFont(pdf, size)
	switch ln {
	case 0:
		pdf.SetXY(x+w, y)
	case 1:
		l, _, _, _ := pdf.GetMargins()
		pdf.SetXY(l, y+h)
	default:
		pdf.SetXY(x, y+h)
	}
}
