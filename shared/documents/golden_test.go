package documents_test

import (
	"bytes"
	"flag"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
)

var update = flag.Bool("update", false, "rewrite the golden renders in testdata")

// TestLicenceLooksAsBefore rasterises the licence with poppler's pdftoppm
// and compares it with testdata/license.png pixel by pixel, tolerantly.
// An image and not the text: the text layer keeps characters the fonts
// cannot draw (a missing font shows as boxes on paper, yet extracts
// fine), and only the picture shows fields running into each other.
// Tolerant: anti-aliasing differs between poppler versions, so a pixel
// counts as changed only when its grey level moves by more than 64 of
// 255, and the page may have up to 0.5% of them.
func TestLicenceLooksAsBefore(t *testing.T) {
	bin, err := exec.LookPath("pdftoppm")
	if err != nil {
		skipOrFail(t, "pdftoppm (poppler-utils) is not installed: apt-get install poppler-utils")
	}
	lic := byKind(exampleBundle(t), kaiban.DocLicense)[0]
	dir := t.TempDir()
	pdf := filepath.Join(dir, "license.pdf")
	if err := os.WriteFile(pdf, lic.Body, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "-r", "50", "-gray", "-png", "-singlefile", pdf, filepath.Join(dir, "license")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	got, err := os.ReadFile(filepath.Join(dir, "license.png"))
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "license.png")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", golden)
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test ./shared/documents -run TestLicenceLooksAsBefore -args -update writes it)", err)
	}
	a, b := decodePNG(t, want), decodePNG(t, got)
	if a.Bounds() != b.Bounds() {
		t.Fatalf("page is %v, golden %v", b.Bounds(), a.Bounds())
	}
	changed, total := 0, a.Bounds().Dx()*a.Bounds().Dy()
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			ga, _, _, _ := a.At(x, y).RGBA()
			gb, _, _, _ := b.At(x, y).RGBA()
			d := int(ga>>8) - int(gb>>8)
			if d > 64 || d < -64 {
				changed++
			}
		}
	}
	if frac := float64(changed) / float64(total); frac > 0.005 {
		kept := filepath.Join(os.TempDir(), "kaiban-license-render.png")
		_ = os.WriteFile(kept, got, 0o644)
		t.Errorf("%d of %d pixels (%.2f%%) differ from %s; this render: %s", changed, total, frac*100, golden, kept)
	}
}

func decodePNG(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// skipOrFail skips a test whose tool is missing, except on CI, which
// installs it (.ci/run), so that a missing install fails instead of
// passing silently.
func skipOrFail(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(why)
	}
	t.Skip(why)
}
