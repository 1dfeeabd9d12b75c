package tracks

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/kaiban/kaiban/shared/cnid"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/names"
)

// NameReservationTerm is how long ReserveName keeps a name in the index
// (企业名称登记管理规定: a reserved name is kept for two months at most;
// the registries give 30 days).
const NameReservationTerm = 30 * 24 * time.Hour

// nameRequest is the check of the application's name as the form gives it.
func nameRequest(app *kaiban.Application) names.Request {
	p := app.Form.Company.NameParts
	city, _ := cnid.CityOf(app.Form.Company.Address.RegionCode)
	return names.Request{Parts: &names.Parts{Region: p.Region, TradeName: p.TradeName, Industry: p.Industry, OrgForm: p.OrgForm},
		Holder: app.ID, City: city}
}

// reserveInIndex checks the name (unless a clerk approved it) and reserves
// it in the registered-names index for the application. A refused name is
// Agency.Rejected and a similar one Name.NeedsReview, both with the rule
// and the conflicting names in the message: the definition sends either
// to the clerk's name review, whose task carries the check (nameCheckData).
func (s *Service) reserveInIndex(ctx context.Context, app *kaiban.Application, approved bool) error {
	req := nameRequest(app)
	res, err := s.names.Check(ctx, req)
	if err != nil {
		return err
	}
	switch {
	case res.Verdict == names.Refused && !(approved && onlySimilarity(res)):
		return kaiban.Errorf(kaiban.ErrAgencyRejected, "企业名称不予登记：%s", reasonText(res))
	case res.Verdict == names.Review && !approved:
		return kaiban.Errorf(kaiban.ErrNameNeedsReview, "企业名称需人工审核：%s", reasonText(res))
	}
	now := s.now()
	rec := kaiban.NameRecord{Name: res.Name.Canonical(), Registry: res.Name.Registry, Status: kaiban.NameReserved, ChangedAt: now,
		ReservedUntil: now.Add(NameReservationTerm), Holder: app.ID, Keys: res.Name.Keys()}
	if err := s.names.Index.ReserveName(ctx, rec, now); err != nil {
		if kaiban.IsName(err, kaiban.ErrNameTaken) {
			return kaiban.Errorf(kaiban.ErrAgencyRejected, "企业名称不予登记：相同名称已被他人保留")
		}
		return err
	}
	return nil
}

// onlySimilarity: nothing but similarity stands against the name, which a
// clerk's approval settles.
func onlySimilarity(res names.Result) bool {
	for _, r := range res.Reasons {
		if r.Code != "NAME_SIMILAR" {
			return false
		}
	}
	return true
}

func reasonText(res names.Result) string {
	var parts []string
	for _, r := range res.Reasons {
		parts = append(parts, r.Message.In("zh")+"（"+r.Rule.In("zh")+"）")
	}
	return strings.Join(parts, "；")
}

// nameCheckData is a name review task's data: the check in both
// languages, so the console shows the rule and the conflicting names.
func (s *Service) nameCheckData(ctx context.Context, app *kaiban.Application) (json.RawMessage, error) {
	res, err := s.names.Check(ctx, nameRequest(app))
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]any{"nameCheck": map[string]any{"zh": res.In("zh"), "en": res.In("en")}})
}
