package documents

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"sync"
)

// The fonts are embedded gzipped and opened once: they are most of the
// rendering function's bootstrap, and compressed they leave it 700 KB
// under its size budget.
var (
	//go:embed fonts/DroidSansFallbackSubset.ttf.gz
	fontGz []byte
	//go:embed fonts/DejaVuSansSubset.ttf.gz
	latinGz []byte
)

// fonts is the CJK font every PDF embeds (as a subset of the glyphs it
// uses), so a document prints the same on a machine without Chinese fonts
// and in the rendering function, which has no system fonts at all: Droid
// Sans Fallback cut down by fonts/subset.py; a character it lacks prints
// as an empty glyph while the text layer keeps the character. latin
// prints what the CJK font has no glyphs for: Latin letters, digits and
// punctuation below U+2000 (DejaVu Sans, cut by fonts/subset.py). Both are
// read-only once opened.
var fonts = sync.OnceValue(func() (f struct{ cjk, latin []byte }) {
	f.cjk, f.latin = gunzip(fontGz), gunzip(latinGz)
	return f
})

func gunzip(b []byte) []byte {
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		panic(fmt.Sprintf("documents: embedded font: %v", err)) // a build defect every test reports
	}
	out, err := io.ReadAll(r)
	if err != nil {
		panic(fmt.Sprintf("documents: embedded font: %v", err))
	}
	return out
}
