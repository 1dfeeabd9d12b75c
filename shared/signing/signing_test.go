package signing_test

import (
	"bytes"
	"testing"

	"github.com/kaiban/kaiban/shared/signing"
)

func TestLocalSignatureVerifiesAndBindsTheStatement(t *testing.T) {
	seed := bytes.Repeat([]byte{7}, 32)
	s, err := signing.NewLocal(seed)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := signing.Sign(t.Context(), s, []byte(`{"applicationId":"KB1","documents":[{"sha256":"ab"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := signing.Verify(s.Public(), rec); err != nil {
		t.Fatalf("own signature: %v", err)
	}
	again, _ := signing.NewLocal(seed)
	if again.KeyID() != s.KeyID() || len(s.KeyID()) != len("local:")+16 {
		t.Errorf("key IDs %q, %q: want the same, derived from the public key", s.KeyID(), again.KeyID())
	}
	edited := rec
	edited.Statement = bytes.Replace(rec.Statement, []byte("KB1"), []byte("KB2"), 1)
	if signing.Verify(s.Public(), edited) == nil {
		t.Error("a signature verifies over an edited statement")
	}
	other, _ := signing.NewLocal(bytes.Repeat([]byte{9}, 32))
	if signing.Verify(other.Public(), rec) == nil {
		t.Error("a signature verifies under another key")
	}
}
