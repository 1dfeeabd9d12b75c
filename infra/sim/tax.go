package sim

import (
	"github.com/kaiban/kaiban/shared/kaiban"
)

// First-grant limits of the invoice package for new taxpayers.
const (
	maxSpecialPerMonth  = 25
	maxOrdinaryPerMonth = 50
	maxInvoiceAmount    = 100_000
)

// registerTaxpayer registers the taxpayer (taxpayer ID = credit code) with
// the district's tax office and grants the first invoices, capped at the
// first-grant limits.
func registerTaxpayer(e *env, req *kaiban.TaxRequest) (kaiban.TaxRegistration, *apiError) {
	if ae := checkCompany(e, req.CreditCode, req.AttestationID); ae != nil {
		return kaiban.TaxRegistration{}, ae
	}
	switch {
	case req.TaxpayerType != "SMALL_SCALE" && req.TaxpayerType != "GENERAL":
		return kaiban.TaxRegistration{}, badRequest("纳税人类型无效")
	case req.FinanceOfficer.Name == "" || req.TaxHandler.Name == "":
		return kaiban.TaxRegistration{}, badRequest("缺少财务负责人或办税人")
	case e.reject:
		return kaiban.TaxRegistration{}, rejected("经营地址核查未通过，请到主管税务机关办理")
	}
	grants := make([]kaiban.InvoiceGrant, 0, len(req.Invoices))
	for _, inv := range req.Invoices {
		limit := maxOrdinaryPerMonth
		switch inv.Kind {
		case kaiban.InvoiceSpecialVAT:
			limit = maxSpecialPerMonth
		case kaiban.InvoiceOrdinaryVAT:
		default:
			return kaiban.TaxRegistration{}, badRequest("发票种类无效")
		}
		grants = append(grants, kaiban.InvoiceGrant{
			Kind:            inv.Kind,
			MonthlyQuantity: min(inv.MonthlyQuantity, limit),
			MaxAmount:       min(inv.MaxAmount, maxInvoiceAmount),
		})
	}
	return kaiban.TaxRegistration{
		TaxpayerID:   req.CreditCode,
		TaxOffice:    "国家税务总局" + e.region.City + e.region.Name + "税务局",
		TaxpayerType: req.TaxpayerType,
		Invoices:     grants,
		RegisteredAt: e.now,
	}, nil
}
