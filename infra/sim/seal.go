package sim

import (
	"fmt"
	"strings"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// triggerSealed in an address detail makes the seal system refuse (a
// clerk decides); triggerSeized makes it refuse asking the applicant to
// correct the address (kaiban.ErrAgencyNeedsCorrection).
const (
	triggerSealed = "封存"
	triggerSeized = "查封"
)

// sealDigits numbers the seal types in filing codes.
var sealDigits = map[kaiban.SealType]int{
	kaiban.SealOfficial: 1, kaiban.SealFinance: 2, kaiban.SealInvoice: 3, kaiban.SealContract: 4, kaiban.SealLegalRep: 5,
}

// carveSeals files the seals. A filing code is the region code, the year,
// the filing's six-digit serial and the seal type's digit: 17 digits.
func carveSeals(e *env, req *kaiban.SealRequest) (kaiban.SealFiling, *apiError) {
	if ae := checkCompany(e, req.CreditCode, req.AttestationID); ae != nil {
		return kaiban.SealFiling{}, ae
	}
	switch {
	case req.CompanyName == "" || req.CarvingShop == "" || req.LegalRepName == "" || req.LegalRepIDNumber == "":
		return kaiban.SealFiling{}, badRequest("缺少企业名称、刻章企业或法定代表人信息")
	case len(req.Types) == 0:
		return kaiban.SealFiling{}, badRequest("未选择印章")
	case strings.Contains(req.AddressDetail, triggerSeized):
		return kaiban.SealFiling{}, needsCorrection("注册地址已被查封，不予刻制备案，请更换住所", "ADDRESS_UNUSABLE", "company.address.detail")
	case strings.Contains(req.AddressDetail, triggerSealed):
		return kaiban.SealFiling{}, rejected("注册地址处于封存状态，不予刻制备案")
	case e.reject:
		return kaiban.SealFiling{}, rejected(fmt.Sprintf("刻章企业“%s”暂停承接业务，请更换刻章企业", req.CarvingShop))
	}
	serial := digits(e.rng, 6)
	seen := make(map[kaiban.SealType]bool, len(req.Types))
	seals := make([]kaiban.SealRecord, 0, len(req.Types))
	for _, t := range req.Types {
		d, ok := sealDigits[t]
		if !ok || seen[t] {
			return kaiban.SealFiling{}, badRequest("印章类型无效或重复")
		}
		seen[t] = true
		seals = append(seals, kaiban.SealRecord{Type: t, FilingCode: fmt.Sprintf("%s%d%s%d", e.region.Code, e.now.Year(), serial, d)})
	}
	return kaiban.SealFiling{Seals: seals, CarvingShop: req.CarvingShop, FiledAt: e.now}, nil
}
