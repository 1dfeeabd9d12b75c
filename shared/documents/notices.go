package documents

import (
	"fmt"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// notice is a one-page A4 notice: a title, the company block, the rows of
// what the agency registered, and a foot with the issuing office and date.
type notice struct {
	kind      kaiban.DocumentKind
	zh, en    string
	authority string
	rows      [][3]string // label zh, label en, value
	note      string
}

func (n notice) render(in Input) (Rendered, error) {
	f := in.App.Form
	pdf := newPDF(in, false, n.zh)
	pdf.SetMargins(20, 20, 20)
	pdf.SetAutoPageBreak(false, 0) // one page: the foot is drawn at a fixed place
	pdf.AddPage()
	y := heading(pdf, 24, n.zh, n.en, 20)
	y += 6
	rows := append([][3]string{
		{"单位名称", "Company", f.Company.Name},
		{"统一社会信用代码", "Credit code", creditCode(in)},
		{"法定代表人", "Legal representative", f.LegalRepresentative.Name},
		{"住所", "Domicile", address(f)},
	}, n.rows...)
	pdf.SetDrawColor(170, 170, 170)
	pdf.SetLineWidth(0.2)
	for _, r := range rows {
		top := y
		y = field(pdf, 24, y+2, 48, 114, 11, r[0], r[1], r[2]) + 1
		pdf.Line(20, top, a4Short-20, top)
	}
	pdf.Line(20, y, a4Short-20, y)
	if n.note != "" {
		pdf.SetXY(20, y+6)
		para(pdf, 9.5, n.note)
		y = pdf.GetY()
	}
	footer(pdf, max(y+12, 232), n.authority, in.IssuedAt)
	body, err := output(pdf)
	if err != nil {
		return Rendered{}, err
	}
	return Rendered{Kind: n.kind, Title: n.zh, TitleEN: n.en, MediaType: mediaPDF, Body: body}, nil
}

// footer prints the issuing office and the date at the right, and the
// line that says where the document came from.
func footer(pdf *fpdf.Fpdf, y float64, office string, at time.Time) {
	setFont(pdf, 11)
	pdf.SetTextColor(0, 0, 0)
	pdf.SetXY(100, y)
	put(pdf, 90, 6, office, "R", 0)
	pdf.SetXY(100, y+7)
	put(pdf, 90, 6, dateZH(at), "R", 0)
	setFont(pdf, 7.5)
	pdf.SetTextColor(110, 110, 110)
	pdf.SetXY(20, 272)
	put(pdf, 170, 4, "本文书由开办平台根据登记结果生成并签名，可通过平台核验其真实性。Issued and signed by Kaiban; verify it on the platform.", "C", 0)
	pdf.SetTextColor(0, 0, 0)
}

// invoiceKinds names the invoice kinds of a grant.
var invoiceKinds = map[string]string{
	kaiban.InvoiceSpecialVAT:  "增值税专用发票",
	kaiban.InvoiceOrdinaryVAT: "增值税普通发票",
}

func renderTaxNotice(in Input) (Rendered, error) {
	var tax kaiban.TaxRegistration
	trackResult(in.App, kaiban.TrackTax, &tax)
	office := orBlank(tax.TaxOffice)
	if tax.TaxOffice == "" {
		office = authority(in.App.Form, true, "税务局")
	}
	payer := "小规模纳税人"
	if tax.TaxpayerType == "GENERAL" || (tax.TaxpayerType == "" && in.App.Form.Tax.TaxpayerType == "GENERAL") {
		payer = "增值税一般纳税人"
	}
	var grants []string
	for _, g := range tax.Invoices {
		name := invoiceKinds[g.Kind]
		if name == "" {
			name = g.Kind
		}
		grants = append(grants, fmt.Sprintf("%s：每月 %d 份，单份最高开票限额 %s", name, g.MonthlyQuantity, yuan(g.MaxAmount)))
	}
	if len(grants) == 0 {
		grants = []string{"未申领发票"}
	}
	return notice{kind: kaiban.DocTaxNotice, zh: "税务登记通知书", en: "Tax registration notice", authority: office,
		rows: [][3]string{
			{"纳税人识别号", "Taxpayer ID", orBlank(tax.TaxpayerID)},
			{"主管税务机关", "Tax office", office},
			{"纳税人类型", "Taxpayer type", payer},
			{"登记日期", "Registered on", dateZH(tax.RegisteredAt)},
			{"发票核定", "Invoice grant", strings.Join(grants, "\n")},
		},
		note: "请于领取发票前完成税控设备（或数电发票）开通，并按期办理纳税申报。首次申报期限以主管税务机关通知为准。",
	}.render(in)
}

func renderEmployerNotice(in Input, track kaiban.TrackName) (Rendered, error) {
	var acc kaiban.EmployerAccount
	trackResult(in.App, track, &acc)
	f := in.App.Form
	n := notice{}
	start := acc.StartDate
	if start == "" {
		start = f.Employment.SocialInsuranceFrom
	}
	switch track {
	case kaiban.TrackSocialInsurance:
		n = notice{kind: kaiban.DocSocialInsuranceNotice, zh: "社会保险登记通知书", en: "Social insurance registration notice",
			authority: authority(f, false, "人力资源和社会保障局"),
			rows: [][3]string{
				{"社会保险登记编号", "Registration number", orBlank(acc.AccountNumber)},
				{"参保起始月份", "Contributions from", isoDateZH(start)},
				{"参保险种", "Schemes", "基本养老保险、失业保险、工伤保险"},
			},
			note: "单位应自用工之日起三十日内为职工办理社会保险登记，并按月申报缴纳社会保险费。"}
	case kaiban.TrackMedicalInsurance:
		n = notice{kind: kaiban.DocMedicalInsuranceNotice, zh: "医疗保险参保登记通知书", en: "Medical insurance registration notice",
			authority: authority(f, false, "医疗保障局"),
			rows: [][3]string{
				{"医疗保险单位编号", "Registration number", orBlank(acc.AccountNumber)},
				{"参保起始月份", "Contributions from", isoDateZH(start)},
				{"参保险种", "Schemes", "职工基本医疗保险（含生育保险）"},
			}}
	case kaiban.TrackHousingFund:
		n = notice{kind: kaiban.DocHousingFundNotice, zh: "住房公积金缴存登记通知书", en: "Housing provident fund registration notice",
			authority: authority(f, false, "住房公积金管理中心"),
			rows: [][3]string{
				{"单位公积金账号", "Employer account", orBlank(acc.AccountNumber)},
				{"缴存起始月份", "Contributions from", isoDateZH(start)},
				{"单位缴存比例", "Employer rate", fmt.Sprintf("%g%%", f.Employment.HousingFundRate)},
			},
			note: "单位应自设立之日起三十日内办理住房公积金缴存登记，并为本单位职工设立住房公积金账户。"}
	}
	n.rows = append(n.rows,
		[3]string{"职工人数", "Employees", fmt.Sprintf("%d 人", f.Employment.Employees)},
		[3]string{"登记日期", "Registered on", dateZH(acc.RegisteredAt)},
		[3]string{"经办人", "Contact", f.Liaison.Name})
	return n.render(in)
}

func renderBankAppointment(in Input) (Rendered, error) {
	var appt kaiban.BankAppointment
	trackResult(in.App, kaiban.TrackBank, &appt)
	f := in.App.Form
	bankCode, branchCode, date, slot := appt.BankCode, appt.BranchCode, appt.Date, appt.Slot
	if bankCode == "" {
		bankCode = f.Bank.BankCode
	}
	if branchCode == "" {
		branchCode = f.Bank.BranchCode
	}
	if date == "" {
		date = f.Bank.AppointmentDate
	}
	if slot == "" {
		slot = f.Bank.Slot
	}
	when := map[string]string{"AM": "上午 09:00–12:00", "PM": "下午 13:30–17:00"}[slot]
	bank, branch := bankNames(bankCode, branchCode)
	return notice{kind: kaiban.DocBankAppointment, zh: "银行开户预约单", en: "Bank account appointment", authority: bank,
		rows: [][3]string{
			{"预约编号", "Reference", orBlank(appt.Reference)},
			{"开户银行", "Bank", bank},
			{"开户网点", "Branch", branch + "（" + orBlank(branchCode) + "）"},
			{"预约时间", "Appointment", isoDateZH(date) + " " + orBlank(when)},
			{"账户类型", "Account", "单位基本存款账户"},
			{"预约办理人", "Who attends", f.LegalRepresentative.Name + "（法定代表人）"},
			{"预约日期", "Booked on", dateZH(appt.BookedAt)},
		},
		note: "请法定代表人本人携带有效身份证件、营业执照（电子营业执照亦可）、公章、财务专用章和法定代表人名章按预约时间到网点办理。",
	}.render(in)
}
