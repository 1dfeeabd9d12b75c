package storetest

import (
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// testLang: the notification language set at submission reads back from
// every read, and an application without one reads back as Chinese ("").
func testLang(t *testing.T, open func(t *testing.T) kaiban.Store, _ config) {
	s := open(t)
	req := Request("app-en", T0)
	req.Application.Lang = kaiban.LangEN
	res, err := s.CreateApplication(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	MustCreate(t, s, "app-zh", T0.Add(time.Second))
	got, err := s.GetApplication(t.Context(), "app-en")
	if err != nil {
		t.Fatal(err)
	}
	zh, err := s.GetApplication(t.Context(), "app-zh")
	if err != nil {
		t.Fatal(err)
	}
	if res.Application.Lang != kaiban.LangEN || got.Lang != kaiban.LangEN || zh.Lang != "" {
		t.Fatalf("lang: created %q, read %q, other %q; want en, en, empty", res.Application.Lang, got.Lang, zh.Lang)
	}
	// A later change of the application keeps it.
	if _, err := s.UpdateApplication(t.Context(), "app-en", kaiban.ApplicationUpdate{Status: kaiban.AppInProgress, UpdatedAt: T0.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if got, err = s.GetApplication(t.Context(), "app-en"); err != nil || got.Lang != kaiban.LangEN {
		t.Fatalf("after an update: lang %q, %v", got.Lang, err)
	}
}
