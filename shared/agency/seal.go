package agency

import (
	"context"
	"errors"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// SealClient calls the public-security seal filing system.
type SealClient struct{ c *caller }

var _ kaiban.SealAgency = (*SealClient)(nil)

// CarveSeals orders the seals and returns one filing code per seal type.
func (x *SealClient) CarveSeals(ctx context.Context, req kaiban.SealRequest) (kaiban.SealFiling, error) {
	return call(ctx, x.c, kaiban.AgencySeal, PathSealFilings, req, checkSealFiling)
}

// CancelSeals revokes the filing and destroys the seals.
func (x *SealClient) CancelSeals(ctx context.Context, req kaiban.CancelRequest) (kaiban.Cancellation, error) {
	return call(ctx, x.c, kaiban.AgencySeal, PathSealFilingsCancel, req, checkCancellation)
}

// checkSealFiling insists on exactly one filing code for every seal ordered.
func checkSealFiling(req kaiban.SealRequest, f *kaiban.SealFiling) error {
	if len(f.Seals) != len(req.Types) {
		return errors.New("filing lists a different number of seals")
	}
	got := make(map[kaiban.SealType]bool, len(f.Seals))
	for _, s := range f.Seals {
		if s.FilingCode == "" || got[s.Type] {
			return errors.New("filing has an empty or repeated seal")
		}
		got[s.Type] = true
	}
	for _, t := range req.Types {
		if !got[t] {
			return errors.New("filing misses an ordered seal")
		}
	}
	return nil
}
