package documents

import (
	"github.com/kaiban/kaiban/shared/kaiban"
)

// renderLicense draws the electronic business licence (营业执照) on an A4
// landscape page laid out like the paper original: the credit code top
// left, the QR code of the public verification page top right, the
// particulars in two columns, the issuing authority and date at the foot.
func renderLicense(in Input) (Rendered, error) {
	f := in.App.Form
	pdf := newPDF(in, true, "营业执照")
	pdf.SetMargins(22, 18, 22)
	pdf.SetAutoPageBreak(false, 0) // one page, drawn to its edges
	pdf.AddPage()

	// Border: a thick red frame with a thin inner line.
	pdf.SetDrawColor(200, 30, 30)
	pdf.SetLineWidth(1.6)
	pdf.Rect(8, 8, a4Long-16, a4Short-16, "D")
	pdf.SetLineWidth(0.3)
	pdf.Rect(11, 11, a4Long-22, a4Short-22, "D")
	pdf.SetDrawColor(0, 0, 0)

	cc := creditCode(in)
	field(pdf, 20, 20, 40, 70, 10, "统一社会信用代码", "Unified social credit code", cc)
	if in.VerifyURL != "" {
		if err := qr(pdf, in.VerifyURL, a4Long-20-30, 18, 30); err != nil {
			return Rendered{}, err
		}
		setFont(pdf, 6.5)
		pdf.SetTextColor(90, 90, 90)
		pdf.SetXY(a4Long-20-38, 49)
		put(pdf, 38, 3.5, "扫描二维码核验 Scan to verify", "C", 0)
	}

	pdf.SetTextColor(180, 20, 20)
	y := heading(pdf, 30, "营  业  执  照", "BUSINESS LICENCE", 34)
	pdf.SetTextColor(90, 90, 90)
	setFont(pdf, 9)
	pdf.SetXY(0, y)
	put(pdf, a4Long, 5, "（电子营业执照 Electronic licence）", "C", 0)
	pdf.SetTextColor(0, 0, 0)

	est := founded(in)
	left, right := 24.0, 160.0
	yl, yr := 74.0, 74.0
	yl = field(pdf, left, yl, 30, 100, 11, "名　　称", "Name", f.Company.Name)
	yl = field(pdf, left, yl, 30, 100, 11, "类　　型", "Type", companyType(f))
	yl = field(pdf, left, yl, 30, 100, 11, "法定代表人", "Legal representative", f.LegalRepresentative.Name)
	field(pdf, left, yl, 30, 100, 11, "经营范围", "Business scope", scope(f))
	yr = field(pdf, right, yr, 30, 105, 11, "注册资本", "Registered capital", "人民币"+capitalZH(f.Company.RegisteredCapital))
	yr = field(pdf, right, yr, 30, 105, 11, "成立日期", "Date of establishment", dateZH(est))
	yr = field(pdf, right, yr, 30, 105, 11, "营业期限", "Term of operation", term(f, est))
	field(pdf, right, yr, 30, 105, 11, "住　　所", "Domicile", address(f))

	// Foot: issuing authority and date, with a red ring standing for the
	// registration seal.
	auth := authority(f, true, "市场监督管理局")
	pdf.SetDrawColor(210, 30, 30)
	pdf.SetLineWidth(0.9)
	pdf.Circle(236, 172, 17, "D")
	pdf.SetDrawColor(0, 0, 0)
	field(pdf, 180, 160, 30, 80, 11, "登记机关", "Registration authority", auth)
	pdf.SetXY(210, 174)
	setFont(pdf, 11)
	put(pdf, 90, 6, dateZH(in.IssuedAt), "L", 0)

	setFont(pdf, 7)
	pdf.SetTextColor(90, 90, 90)
	pdf.SetXY(20, 186)
	put(pdf, 150, 4, "国家企业信用信息公示系统网址：http://www.gsxt.gov.cn", "L", 0)
	if in.VerifyURL != "" {
		pdf.SetXY(20, 190)
		put(pdf, 150, 4, "核验 Verify: "+in.VerifyURL, "L", 0)
	}
	body, err := output(pdf)
	if err != nil {
		return Rendered{}, err
	}
	return Rendered{Kind: kaiban.DocLicense, Title: "营业执照", TitleEN: "Business licence",
		MediaType: mediaPDF, Body: body}, nil
}
