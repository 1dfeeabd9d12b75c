package validate

import (
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The generated table is NFKC for the characters it holds, sorted (fold
// searches it), and nfkc agrees with NFKC on names made of them.
func TestFoldTableIsNFKC(t *testing.T) {
	if len(foldTable)%foldRecord != 0 || len(foldTable) < 1000*foldRecord {
		t.Fatalf("foldTable holds %d bytes", len(foldTable))
	}
	for i := 0; i < len(foldTable); i += foldRecord {
		from, to := foldRune(i), foldRune(i+3)
		if i > 0 && foldRune(i-foldRecord) >= from {
			t.Fatalf("foldTable not sorted at %U", from)
		}
		if got := norm.NFKC.String(string(from)); got != string(to) {
			t.Errorf("%U folds to %U, NFKC gives %q", from, to, got)
		}
		if f, ok := fold(from); !ok || f != to {
			t.Errorf("fold(%U) = %U %v", from, f, ok)
		}
	}
	for _, s := range []string{"云启", "\u2f47启", "\uf9d0磊", "ｙｕｎ", "Ｊｏｈｎ\u3000Ｓｍｉｔｈ", "沈阳(普通合伙)", "张\u2f08", "\U0002F800"} {
		if got, want := nfkc(s), norm.NFKC.String(s); got != want {
			t.Errorf("nfkc(%+q) = %+q, NFKC %+q", s, got, want)
		}
	}
	// Characters outside the table are left for the character-set check.
	if got := nfkc("ﬁ①"); got != "ﬁ①" || !utf8.ValidString(got) {
		t.Errorf("nfkc folded a character it has no table entry for: %q", got)
	}
}

func TestNFKCDoesNotAllocateForPlainNames(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { _ = nfkc("张伟") }); n != 0 {
		t.Errorf("%v allocations for a plain name", n)
	}
}
