package storetest_test

import (
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

func TestMemStoreContract(t *testing.T) {
	storetest.RunContract(t, func(t *testing.T) kaiban.Store {
		s := storetest.NewMemStore()
		t.Cleanup(func() { _ = s.Close() })
		return s
	}, storetest.WithTamper(storetest.MemTamper()), storetest.WithFault(storetest.MemFault()))
}

func TestMemStoreOutboxContract(t *testing.T) {
	storetest.RunOutboxContract(t, func(t *testing.T) kaiban.Outbox {
		s := storetest.NewMemStore()
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}

func TestMemStoreDraftsContract(t *testing.T) {
	storetest.RunDraftsContract(t, func(t *testing.T) kaiban.Drafts {
		s := storetest.NewMemStore()
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}

func TestMemStoreConfirmationsContract(t *testing.T) {
	storetest.RunConfirmationsContract(t, func(t *testing.T) storetest.ConfirmationStore {
		s := storetest.NewMemStore()
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}

func TestMemStoreTaskActivityContract(t *testing.T) {
	storetest.RunTaskActivityContract(t, func(t *testing.T) storetest.ActivityStore {
		s := storetest.NewMemStore()
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}

func TestMemStoreRatingsContract(t *testing.T) {
	storetest.RunRatingsContract(t, func(t *testing.T) storetest.RatingStore {
		s := storetest.NewMemStore()
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}

func TestMemStoreStatsContract(t *testing.T) {
	storetest.RunStatsContract(t, func(t *testing.T) kaiban.Stats {
		s := storetest.NewMemStore()
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}

func TestMemStoreCorrectionsContract(t *testing.T) {
	storetest.RunCorrectionsContract(t, func(t *testing.T) storetest.CorrectionStore {
		s := storetest.NewMemStore()
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}
