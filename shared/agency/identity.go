package agency

import (
	"context"
	"errors"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// IdentityClient calls the real-name verification service.
type IdentityClient struct{ c *caller }

var _ kaiban.IdentityVerifier = (*IdentityClient)(nil)

// VerifyIdentity verifies every person of req once.
func (x *IdentityClient) VerifyIdentity(ctx context.Context, req kaiban.IdentityRequest) (kaiban.IdentityAttestation, error) {
	return call(ctx, x.c, kaiban.AgencyIdentity, PathVerifications, req, checkAttestation)
}

func checkAttestation(req kaiban.IdentityRequest, a *kaiban.IdentityAttestation) error {
	switch {
	case a.ID == "" || a.Digest == "" || a.VerifiedAt.IsZero():
		return errors.New("attestation incomplete")
	case a.Persons != len(req.Persons):
		return errors.New("attestation covers a different number of persons")
	}
	return nil
}
