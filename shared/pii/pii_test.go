package pii_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/pii"
	"github.com/kaiban/kaiban/shared/storetest"
)

var key = bytes.Repeat([]byte{0x42}, pii.KeySize)

func mustSealer(t *testing.T, k []byte) *pii.Sealer {
	t.Helper()
	s, err := pii.New(k)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestKeyConfiguration(t *testing.T) {
	good := base64.StdEncoding.EncodeToString(key)
	tests := []struct {
		name, b64 string
		wantErr   bool
	}{
		{"standard base64", good, false},
		{"unpadded base64", strings.TrimRight(base64.RawStdEncoding.EncodeToString(key), "="), false},
		{"surrounding whitespace", "  " + good + "\n", false},
		{"missing", "", true},
		{"blank", "   ", true},
		{"not base64", "not*base64!", true},
		{"16 bytes", base64.StdEncoding.EncodeToString(key[:16]), true},
		{"33 bytes", base64.StdEncoding.EncodeToString(append(key, 1)), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := pii.FromBase64(tt.b64)
			if !tt.wantErr {
				if err != nil || s == nil {
					t.Fatalf("got %v", err)
				}
				return
			}
			storetest.WantName(t, err, kaiban.ErrConfig)
			if k := strings.TrimSpace(tt.b64); k != "" && strings.Contains(err.Error(), k) {
				t.Error("the error repeats the configured key")
			}
		})
	}
	for _, k := range [][]byte{nil, key[:31]} {
		_, err := pii.New(k)
		storetest.WantName(t, err, kaiban.ErrConfig)
	}
}

func TestSealOpen(t *testing.T) {
	s := mustSealer(t, key)
	other := mustSealer(t, bytes.Repeat([]byte{7}, pii.KeySize))
	sealed, err := s.Seal("11010519491231002X", "app-1\x00legalRepresentative.idNumber")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := s.Seal("11010519491231002X", "app-1\x00legalRepresentative.idNumber")
	if sealed == again {
		t.Error("sealing twice gives the same text: the nonce is not random")
	}
	if strings.Contains(sealed, "11010519491231002X") || !pii.IsSealed(sealed) {
		t.Fatalf("sealed = %q", sealed)
	}
	flipped := []byte(sealed)
	flipped[len(flipped)-3] ^= 1
	tests := []struct {
		name, value, context string
		opener               *pii.Sealer
		want                 string // expected plaintext, or an error name
	}{
		{"round trip", sealed, "app-1\x00legalRepresentative.idNumber", s, "11010519491231002X"},
		{"empty stays empty", "", "x", s, ""},
		{"wrong key", sealed, "app-1\x00legalRepresentative.idNumber", other, kaiban.ErrConfig},
		{"other application", sealed, "app-2\x00legalRepresentative.idNumber", s, kaiban.ErrStoreCorrupt},
		{"other field", sealed, "app-1\x00liaison.idNumber", s, kaiban.ErrStoreCorrupt},
		{"flipped bit", string(flipped), "app-1\x00legalRepresentative.idNumber", s, kaiban.ErrStoreCorrupt},
		{"not sealed", "11010519491231002X", "x", s, kaiban.ErrStoreCorrupt},
		{"truncated", sealed[:12], "x", s, kaiban.ErrStoreCorrupt},
		{"bad base64", "pii1:***", "x", s, kaiban.ErrStoreCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.opener.Open(tt.value, tt.context)
			if strings.Contains(tt.want, ".") {
				storetest.WantName(t, err, tt.want)
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("Open = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestSealFormSealsEveryIDAndMobile(t *testing.T) {
	s := mustSealer(t, key)
	form := storetest.Form()
	orig := storetest.Form()
	sealed, err := s.SealForm("app-1", form)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(form, orig) {
		t.Error("SealForm changed its argument")
	}
	raw, _ := json.Marshal(sealed)
	for _, p := range storetest.PII {
		if bytes.Contains(raw, []byte(p)) {
			t.Errorf("%s is still in the clear", p)
		}
	}
	// Everything that is not an ID number or mobile is untouched.
	if !reflect.DeepEqual(sealed.Company, form.Company) || sealed.Shareholders[1].CreditCode != form.Shareholders[1].CreditCode ||
		sealed.LegalRepresentative.Email != form.LegalRepresentative.Email || sealed.Liaison.Name != form.Liaison.Name {
		t.Error("SealForm changed fields that are not personal numbers")
	}
	if sealed.Shareholders[1].IDNumber != "" {
		t.Error("an absent ID number was given a value")
	}
	opened, err := s.OpenForm("app-1", sealed)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(opened, orig) {
		t.Errorf("OpenForm(SealForm(f)) != f:\n%+v\n%+v", opened, orig)
	}
	_, err = s.OpenForm("app-2", sealed)
	storetest.WantName(t, err, kaiban.ErrStoreCorrupt)
}

func BenchmarkSealForm(b *testing.B) {
	s, _ := pii.New(key)
	f := storetest.Form()
	for b.Loop() {
		if _, err := s.SealForm("app-1", f); err != nil {
			b.Fatal(err)
		}
	}
}
