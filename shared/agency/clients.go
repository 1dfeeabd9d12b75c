package agency

import (
	"net/http"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Clients bundles one client per agency port, for wiring in composition
// roots and the local stack. Fields are interfaces so tests can swap in
// fakes.
type Clients struct {
	Identity         kaiban.IdentityVerifier
	Market           kaiban.MarketRegulator
	Seal             kaiban.SealAgency
	Tax              kaiban.TaxAgency
	SocialInsurance  kaiban.EmployerRegistry
	MedicalInsurance kaiban.EmployerRegistry
	HousingFund      kaiban.EmployerRegistry
	Bank             kaiban.BankAgency
}

// NewClients validates cfg and builds every client over hc, which should be
// built once per process (nil builds one with NewHTTPClient).
func NewClients(cfg Config, hc *http.Client) (*Clients, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if hc == nil {
		hc = NewHTTPClient()
	}
	c := &caller{hc: hc, cfg: cfg}
	return &Clients{
		Identity:         &IdentityClient{c: c},
		Market:           &MarketClient{c: c},
		Seal:             &SealClient{c: c},
		Tax:              &TaxClient{c: c},
		SocialInsurance:  &EmployerClient{c: c, kind: kaiban.AgencySocial},
		MedicalInsurance: &EmployerClient{c: c, kind: kaiban.AgencyMedical},
		HousingFund:      &EmployerClient{c: c, kind: kaiban.AgencyFund},
		Bank:             &BankClient{c: c},
	}, nil
}

// Employer returns the registry that carries out an employer track
// (social insurance, medical insurance, housing fund), or nil.
func (c *Clients) Employer(t kaiban.TrackName) kaiban.EmployerRegistry {
	switch t {
	case kaiban.TrackSocialInsurance:
		return c.SocialInsurance
	case kaiban.TrackMedicalInsurance:
		return c.MedicalInsurance
	case kaiban.TrackHousingFund:
		return c.HousingFund
	}
	return nil
}
