package stack

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/kaiban/kaiban/infra/namegen"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/names"
)

// NamesConfig turns on the name check over the store's registered-names
// index and says what the simulated registry holds: the names of File
// (JSON Lines, namegen.Read) and none generated, or else Generate names
// made from Seed.
type NamesConfig struct {
	File     string
	Generate int
	Seed     uint64
}

// startNames seeds the store's index as cfg says and returns the checker
// the API and the handlers share. The records are put again on every
// start (a put replaces by name), so a restart with another seed or file
// adds to what the data directory's index holds: a fresh --data holds
// exactly the file's names.
func startNames(ctx context.Context, cfg *NamesConfig, store kaiban.Store, now func() time.Time) (*names.Checker, string, error) {
	idx, ok := store.(kaiban.NameIndex)
	if !ok {
		return nil, "", kaiban.Errorf(kaiban.ErrConfig, "the store %T has no registered-names index", store)
	}
	var recs []kaiban.NameRecord
	what := ""
	if cfg.File != "" {
		f, err := os.Open(cfg.File)
		if err != nil {
			return nil, "", err
		}
		defer f.Close()
		if recs, err = namegen.Read(f); err != nil {
			return nil, "", fmt.Errorf("%s: %w", cfg.File, err)
		}
		what = fmt.Sprintf("%d names from %s", len(recs), cfg.File)
	} else if cfg.Generate > 0 {
		recs = namegen.Generate(cfg.Generate, cfg.Seed, now())
		what = fmt.Sprintf("%d generated names (seed %d)", len(recs), cfg.Seed)
	}
	if err := namegen.Load(ctx, idx, recs); err != nil {
		return nil, "", err
	}
	return &names.Checker{Index: idx, Now: now}, what, nil
}
