package sim

import (
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// registerEmployer is the employer registration of one registry. Account
// numbers have a plausible (not official) shape: social insurance the
// region code and 8 digits, medical insurance "Y", the region code and 8
// digits, the housing fund the city code and 10 digits.
func registerEmployer(kind kaiban.AgencyKind) func(e *env, req *kaiban.EmployerRequest) (kaiban.EmployerAccount, *apiError) {
	return func(e *env, req *kaiban.EmployerRequest) (kaiban.EmployerAccount, *apiError) {
		if ae := checkCompany(e, req.CreditCode, req.AttestationID); ae != nil {
			return kaiban.EmployerAccount{}, ae
		}
		switch {
		case req.CompanyName == "" || req.Contact.Name == "":
			return kaiban.EmployerAccount{}, badRequest("缺少单位名称或经办人")
		case !validStart(req.StartDate):
			return kaiban.EmployerAccount{}, badRequest("参保起始日期无效")
		case req.Employees < 0:
			return kaiban.EmployerAccount{}, badRequest("职工人数无效")
		case kind == kaiban.AgencyFund && (req.ContributionRate < 5 || req.ContributionRate > 12):
			return kaiban.EmployerAccount{}, badRequest("公积金缴存比例应在5%至12%之间")
		case e.reject:
			return kaiban.EmployerAccount{}, rejected("单位信息核验未通过，请联系经办机构")
		}
		var number string
		switch kind {
		case kaiban.AgencyMedical:
			number = "Y" + e.region.Code + digits(e.rng, 8)
		case kaiban.AgencyFund:
			number = e.region.CityCode + digits(e.rng, 10)
		default:
			number = e.region.Code + digits(e.rng, 8)
		}
		return kaiban.EmployerAccount{AccountNumber: number, StartDate: req.StartDate, RegisteredAt: e.now}, nil
	}
}

// validStart accepts a month (YYYY-MM) or a date (YYYY-MM-DD).
func validStart(s string) bool {
	if _, err := time.Parse("2006-01", s); err == nil {
		return true
	}
	return validDate(s)
}
