package sqlite

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kaiban/kaiban/infra/namegen"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

func TestNameIndexContract(t *testing.T) {
	storetest.RunNameIndexContract(t, func(t *testing.T) kaiban.NameIndex { return MustOpen(t) })
}

// A seed written in back-to-back batches keeps the WAL small: PutNames
// checkpoints between batches, where the background PASSIVE checkpoint
// never finds the pause it needs to start the WAL over.
func TestBulkNamesKeepTheWALSmall(t *testing.T) {
	defer func(n int64) { bulkCheckpointEvery = n }(bulkCheckpointEvery)
	bulkCheckpointEvery = 400
	path := filepath.Join(t.TempDir(), "kaiban.db")
	s, err := Open(t.Context(), path, testKey)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	recs := namegen.Generate(4000, 1, storetest.T0)
	for i := 0; i < len(recs); i += 400 {
		if err := s.PutNames(t.Context(), recs[i:i+400]); err != nil {
			t.Fatal(err)
		}
	}
	fi, err := os.Stat(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() > 64<<10 {
		t.Errorf("WAL after 4,000 names in batches of 400: %d bytes, want it folded back (≤ 64 KiB)", fi.Size())
	}
}
