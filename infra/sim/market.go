package sim

import (
	"fmt"
	"strings"
	"time"

	"github.com/kaiban/kaiban/shared/agency"
	"github.com/kaiban/kaiban/shared/cnid"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// Trigger words in a trade name.
const (
	triggerReject = "拒绝"
	triggerReview = "审核"
)

// reservationTerm is how long a reserved name is kept.
const reservationTerm = 30 * 24 * time.Hour

func hasTrigger(name string, parts kaiban.NameParts, word string) bool {
	return strings.Contains(parts.TradeName, word) || strings.Contains(name, word)
}

// checkName is the name self-declaration check.
func checkName(e *env, req *kaiban.NameCheckRequest) (kaiban.NameCheck, *apiError) {
	switch {
	case req.Name == "" || req.NameParts.TradeName == "":
		return kaiban.NameCheck{}, badRequest("缺少企业名称或字号")
	case hasTrigger(req.Name, req.NameParts, triggerReject):
		return kaiban.NameCheck{}, rejected("企业名称含有禁止使用的内容，不予登记")
	case hasTrigger(req.Name, req.NameParts, triggerReview) || e.review:
		ae := rejected("企业名称与已登记企业名称近似，需人工审核")
		ae.code = agency.CodeNameReview
		return kaiban.NameCheck{}, ae
	}
	return kaiban.NameCheck{
		Reference: "NC" + e.region.Code + e.now.Format("20060102") + digits(e.rng, 6),
		Name:      req.Name,
		CheckedAt: e.now,
	}, nil
}

// reserveName reserves a name that passed its check or that a clerk
// approved; only a forbidden name is refused here.
func reserveName(e *env, req *kaiban.NameReservationRequest) (kaiban.NameReservation, *apiError) {
	switch {
	case req.Name == "":
		return kaiban.NameReservation{}, badRequest("缺少企业名称")
	case req.AttestationID == "":
		return kaiban.NameReservation{}, badRequest("缺少实名核验凭证（attestationId）")
	case hasTrigger(req.Name, req.NameParts, triggerReject):
		return kaiban.NameReservation{}, rejected("企业名称含有禁止使用的内容，不予登记")
	}
	return kaiban.NameReservation{
		ReservationNumber: fmt.Sprintf("（辽）名预核内字[%d]第%s%06d号", e.now.Year(), e.region.Code, e.rng.IntN(1_000_000)),
		Name:              req.Name,
		ReservedAt:        e.now,
		ExpiresAt:         e.now.Add(reservationTerm),
	}, nil
}

// assignCreditCode issues a GB 32100 credit code for the company's region,
// drawn from the key's generator (so the same application gets the same
// code in every run) and never one already issued to another key.
func assignCreditCode(e *env, req *kaiban.CreditCodeRequest) (kaiban.CreditCodeAssignment, *apiError) {
	if req.ReservationNumber == "" || req.CompanyName == "" {
		return kaiban.CreditCodeAssignment{}, badRequest("缺少名称预核准文号或企业名称")
	}
	for range 100 {
		code, err := cnid.GenerateUSCC(e.region.Code, e.rng)
		if err != nil {
			return kaiban.CreditCodeAssignment{}, badRequest("行政区划代码无效")
		}
		if owner, taken := e.ledger.codes[code]; !taken || owner == e.call.key {
			e.ledger.codes[code] = e.call.key
			return kaiban.CreditCodeAssignment{CreditCode: code, AssignedAt: e.now}, nil
		}
	}
	return kaiban.CreditCodeAssignment{}, unavailable("赋码服务繁忙，请稍后再试")
}

// issueLicense registers the company and issues the e-licence.
func issueLicense(e *env, req *kaiban.LicenseRequest) (kaiban.License, *apiError) {
	if ae := checkCompany(e, req.CreditCode, req.AttestationID); ae != nil {
		return kaiban.License{}, ae
	}
	switch {
	case req.Company.Name == "" || len(req.Company.BusinessScope) == 0:
		return kaiban.License{}, badRequest("缺少企业名称或经营范围")
	case req.LegalRepresentative.Name == "" || len(req.Shareholders) == 0:
		return kaiban.License{}, badRequest("缺少法定代表人或股东")
	case e.reject:
		return kaiban.License{}, rejected("经营范围含有需前置审批的项目，请补充许可文件")
	}
	return kaiban.License{
		LicenseNumber: e.region.Code + e.now.Format("2006") + digits(e.rng, 8),
		CreditCode:    req.CreditCode,
		CompanyName:   req.Company.Name,
		ELicenseURL:   "https://elicense.sim.invalid/licences/" + req.CreditCode,
		IssuedAt:      e.now,
	}, nil
}
