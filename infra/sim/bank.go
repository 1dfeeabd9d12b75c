package sim

import (
	"strings"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// triggerBranchDown ends a branch code the bank cannot serve right now.
const triggerBranchDown = "999"

// bookAppointment books the account-opening appointment.
func bookAppointment(e *env, req *kaiban.BankRequest) (kaiban.BankAppointment, *apiError) {
	if ae := checkCompany(e, req.CreditCode, req.AttestationID); ae != nil {
		return kaiban.BankAppointment{}, ae
	}
	switch {
	case req.CompanyName == "" || req.LegalRepName == "" || req.LegalRepMobile == "":
		return kaiban.BankAppointment{}, badRequest("缺少企业名称或法定代表人联系方式")
	case req.BankCode == "" || req.BranchCode == "":
		return kaiban.BankAppointment{}, badRequest("缺少银行或网点")
	case strings.HasSuffix(req.BranchCode, triggerBranchDown):
		return kaiban.BankAppointment{}, unavailable("网点预约系统暂不可用，请稍后再试")
	case !validDate(req.Date) || (req.Slot != "AM" && req.Slot != "PM"):
		return kaiban.BankAppointment{}, badRequest("预约日期或时段无效")
	case e.reject:
		return kaiban.BankAppointment{}, rejected("该网点所选时段已约满，请选择其他日期")
	}
	d, _ := time.Parse(time.DateOnly, req.Date) // validated above
	return kaiban.BankAppointment{
		Reference:  "BA" + d.Format("20060102") + digits(e.rng, 6),
		BankCode:   req.BankCode,
		BranchCode: req.BranchCode,
		Date:       req.Date,
		Slot:       req.Slot,
		BookedAt:   e.now,
	}, nil
}
