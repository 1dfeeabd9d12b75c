package documents

import (
	"fmt"
	"strings"
	"sync"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// The seals draw their letters as outlines taken from the embedded fonts,
// not as SVG text: a seal then looks the same in every browser and viewer
// whatever fonts it has, as a carved seal does. Outlines are in a
// 1000-unit em with y down and the baseline at 0.

// outlineFonts are the parsed fonts, CJK first; parsed once, read-only.
var outlineFonts = sync.OnceValue(func() []*sfnt.Font {
	var out []*sfnt.Font
	for _, b := range [][]byte{fonts().cjk, fonts().latin} {
		f, err := sfnt.Parse(b)
		if err != nil {
			panic(fmt.Sprintf("documents: embedded font: %v", err)) // a build defect every test reports
		}
		out = append(out, f)
	}
	return out
})

// outline is one letter's path and advance in the 1000-unit em.
type outline struct {
	d   string
	adv float64
	ok  bool
}

var outlines sync.Map // rune → outline

// glyph returns the outline of r: DejaVu for Latin letters and digits,
// Droid for the rest; ok is false when neither font has the letter.
func glyph(r rune) outline {
	if o, ok := outlines.Load(r); ok {
		return o.(outline)
	}
	o := loadGlyph(r)
	outlines.Store(r, o)
	return o
}

func loadGlyph(r rune) outline {
	fonts := outlineFonts()
	f := fonts[0]
	if latin(r) {
		f = fonts[1]
	}
	var buf sfnt.Buffer
	idx, err := f.GlyphIndex(&buf, r)
	if err != nil || idx == 0 {
		return outline{}
	}
	upm := fixed.Int26_6(f.UnitsPerEm()) << 6
	segs, err := f.LoadGlyph(&buf, idx, upm, nil)
	if err != nil {
		return outline{}
	}
	adv, err := f.GlyphAdvance(&buf, idx, upm, 0)
	if err != nil {
		return outline{}
	}
	k := 1000 / float64(f.UnitsPerEm())
	pt := func(p fixed.Point26_6) string {
		return trimNum(float64(p.X)/64*k) + " " + trimNum(float64(p.Y)/64*k)
	}
	var d strings.Builder
	for i, s := range segs {
		switch s.Op {
		case sfnt.SegmentOpMoveTo:
			if i > 0 {
				d.WriteString("Z")
			}
			d.WriteString("M" + pt(s.Args[0]))
		case sfnt.SegmentOpLineTo:
			d.WriteString("L" + pt(s.Args[0]))
		case sfnt.SegmentOpQuadTo:
			d.WriteString("Q" + pt(s.Args[0]) + " " + pt(s.Args[1]))
		case sfnt.SegmentOpCubeTo:
			d.WriteString("C" + pt(s.Args[0]) + " " + pt(s.Args[1]) + " " + pt(s.Args[2]))
		}
	}
	if len(segs) > 0 {
		d.WriteString("Z")
	}
	return outline{d: d.String(), adv: float64(adv) / 64 * k, ok: true}
}

// trimNum prints v with at most one decimal.
func trimNum(v float64) string {
	s := fmt.Sprintf("%.1f", v)
	s = strings.TrimSuffix(s, ".0")
	if s == "-0" {
		return "0"
	}
	return s
}

// letter draws r centred on x, its baseline at y, size high, turned by
// rot degrees (clockwise) about that point and stretched by sx across. A
// letter the fonts lack falls back to SVG text in the viewer's fonts.
func letter(b *strings.Builder, r rune, x, y, size, rot, sx float64) {
	o := glyph(r)
	k := size / 1000
	if !o.ok {
		fmt.Fprintf(b, `<text transform="translate(%.2f %.2f) rotate(%.2f)" font-size="%.2f" font-family="%s" text-anchor="middle">%s</text>`,
			x, y, rot, size, esc(sealFont), esc(string(r)))
		return
	}
	if o.d == "" {
		return // a space
	}
	fmt.Fprintf(b, `<path transform="translate(%.2f %.2f) rotate(%.2f) scale(%.4f %.4f) translate(%s 0)" d="%s"/>`,
		x, y, rot, k*sx, k, trimNum(-o.adv/2), o.d)
}

// advance is the width of s at size, in the letters' own widths; a letter
// the fonts lack counts as one em.
func advance(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		o := glyph(r)
		if !o.ok {
			w += 1000
			continue
		}
		w += o.adv
	}
	return w * size / 1000
}

// line draws s centred on cx with its baseline at y, squeezed across to at
// most maxW wide, in a group labelled with the text.
func line(b *strings.Builder, s string, cx, y, size, maxW float64) {
	w := advance(s, size)
	sx := 1.0
	if maxW > 0 && w > maxW {
		sx = maxW / w
	}
	fmt.Fprintf(b, `<g aria-label="%s">`, esc(s))
	x := cx - w*sx/2
	for _, r := range s {
		o := glyph(r)
		adv := 1000.0
		if o.ok {
			adv = o.adv
		}
		half := adv * size / 1000 * sx / 2
		letter(b, r, x+half, y, size, 0, sx)
		x += 2 * half
	}
	b.WriteString("</g>\n")
}
