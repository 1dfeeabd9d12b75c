package documents

import (
	"bytes"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/kaiban/kaiban/shared/kaiban"
)

const fontFamily = "droid"

// page sizes in millimetres.
const (
	a4Long  = 297.0
	a4Short = 210.0
)

// newPDF starts an A4 document whose bytes depend on nothing but what is
// drawn and in.IssuedAt: the creation and modification dates are the issue
// time and the catalogue is written in sorted order.
func newPDF(in Input, landscape bool, title string) *fpdf.Fpdf {
	orient := "P"
	if landscape {
		orient = "L"
	}
	pdf := fpdf.New(orient, "mm", "A4", "")
	at := in.IssuedAt.UTC().Truncate(time.Second)
	pdf.SetCreationDate(at)
	pdf.SetModificationDate(at)
	pdf.SetCatalogSort(true)
	pdf.SetCompression(true)
	pdf.SetProducer("Kaiban", true)
	pdf.SetCreator("Kaiban", true)
	pdf.SetTitle(printable(title), true)
	pdf.SetSubject(printable(in.App.Form.Company.Name), true)
	// Each document gets its own copy of the fonts: fpdf's subsetter
	// appends into the slice it reads a glyph's metrics from
	// (utf8FontFile.getMetrics), which writes into the font it was given
	// whenever the font's horizontal metrics table is shorter than its
	// glyph count, as Droid's is. Shared, that corrupts the font for the
	// next document and races between concurrent renders.
	pdf.AddUTF8FontFromBytes(fontFamily, "", bytes.Clone(fonts().cjk))
	pdf.AddUTF8FontFromBytes(latinFamily, "", bytes.Clone(fonts().latin))
	setFont(pdf, 11)
	pdf.SetAutoPageBreak(true, 18)
	return pdf
}

// output finishes pdf into bytes.
func output(pdf *fpdf.Fpdf) ([]byte, error) {
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, kaiban.Wrap(kaiban.ErrInternal, err, "render pdf")
	}
	return buf.Bytes(), nil
}
