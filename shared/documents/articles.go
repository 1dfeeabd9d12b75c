package documents

import (
	"fmt"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// articles writes numbered articles (第一条, 第二条, …) under chapters.
type articles struct {
	pdf *fpdf.Fpdf
	n   int
}

func (a *articles) chapter(zh string) {
	a.pdf.Ln(3)
	setFont(a.pdf, 13)
	put(a.pdf, 0, 8, zh, "C", 1)
	a.pdf.Ln(1)
}

func (a *articles) article(text string, args ...any) {
	a.n++
	para(a.pdf, 10.5, "第"+numberZH(a.n)+"条　"+fmt.Sprintf(text, args...))
}

// numberZH writes 1–999 in Chinese numerals as article numbers do.
func numberZH(n int) string {
	d := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	var b strings.Builder
	if n >= 100 {
		b.WriteString(d[n/100] + "百")
		n %= 100
		if n > 0 && n < 10 {
			b.WriteString("零")
		}
	}
	if n >= 10 {
		if n/10 > 1 || b.Len() > 0 {
			b.WriteString(d[n/10])
		}
		b.WriteString("十")
		n %= 10
	}
	b.WriteString(d[n])
	return b.String()
}

// holderName names a shareholder with its identification.
func holderName(h kaiban.Shareholder) string {
	if h.Kind == kaiban.HolderEnterprise {
		return h.Name + "（统一社会信用代码 " + h.CreditCode + "）"
	}
	return h.Name
}

// share is a holder's part of the registered capital in percent.
func share(h kaiban.Shareholder, capital int64) string {
	if capital <= 0 {
		return blank
	}
	return fmt.Sprintf("%.2f%%", float64(h.Contribution.Amount)*100/float64(capital))
}

// board says how the form organises the company: a board of directors or a
// sole director, a board of supervisors, a sole supervisor or none.
func board(f kaiban.Form) (directors, supervisors string) {
	switch len(f.Directors) {
	case 0, 1:
		directors = "不设董事会，设董事一名"
	default:
		directors = fmt.Sprintf("设董事会，由%d名董事组成", len(f.Directors))
	}
	switch len(f.Supervisors) {
	case 0:
		supervisors = "经全体股东一致同意，不设监事会或者监事"
	case 1:
		supervisors = "不设监事会，设监事一名"
	default:
		supervisors = fmt.Sprintf("设监事会，由%d名监事组成", len(f.Supervisors))
	}
	return directors, supervisors
}

// renderArticles writes the articles of association (公司章程) of an LLC
// with the contents article 46 of the Company Law (2023 revision)
// requires: name and domicile, business scope, registered capital, the
// shareholders with the method, amount and date of their contributions,
// the organs with their powers and procedures, the legal representative
// and the other matters. A one-person company has no shareholders'
// meeting: its holder decides in writing (article 60).
func renderArticles(in Input) (Rendered, error) {
	f := in.App.Form
	one := onePerson(f)
	pdf := newPDF(in, false, "公司章程")
	pdf.SetMargins(22, 20, 22)
	pdf.SetFooterFunc(func() { pageNumber(pdf) })
	pdf.AddPage()
	pdf.SetY(heading(pdf, 22, f.Company.Name+"章程", "Articles of association", 18) + 4)
	a := &articles{pdf: pdf}
	dirs, sups := board(f)

	a.chapter("第一章　总　则")
	a.article("为规范公司的组织和行为，保护公司、股东和债权人的合法权益，根据《中华人民共和国公司法》（以下简称《公司法》）和有关法律、行政法规的规定，制定本章程。")
	if one {
		a.article("本公司为一人有限责任公司，由一名股东出资设立。股东以其认缴的出资额为限对公司承担责任；股东不能证明公司财产独立于股东自己的财产的，应当对公司债务承担连带责任。")
	} else {
		a.article("本公司为有限责任公司，股东以其认缴的出资额为限对公司承担责任，公司以其全部财产对公司的债务承担责任。")
	}
	a.article("公司名称：%s。", f.Company.Name)
	a.article("公司住所：%s。", address(f))
	a.article("公司注册资本为人民币%s（%s）。", yuan(f.Company.RegisteredCapital), capitalZH(f.Company.RegisteredCapital))
	if f.Company.OperatingTerm > 0 {
		a.article("公司营业期限为%d年，自营业执照签发之日起计算。", f.Company.OperatingTerm)
	} else {
		a.article("公司营业期限为长期，自营业执照签发之日起计算。")
	}

	a.chapter("第二章　经营范围")
	a.article("公司经营范围：%s", scope(f))

	a.chapter("第三章　股东的姓名或者名称、出资方式、出资额和出资日期")
	for _, h := range f.Shareholders {
		a.article("股东%s，以%s认缴出资%s，占注册资本的%s，于%s前缴足。", holderName(h), method(h.Contribution.Method),
			yuan(h.Contribution.Amount), share(h, f.Company.RegisteredCapital), isoDateZH(h.Contribution.DueDate))
	}
	a.article("全体股东认缴的出资额由股东按照本章程的规定自公司成立之日起五年内缴足（《公司法》第四十七条）。股东未按期足额缴纳出资的，除应当向公司足额缴纳外，还应当对给公司造成的损失承担赔偿责任。")
	a.article("公司成立后，应当向股东签发出资证明书，并置备股东名册。")

	a.chapter("第四章　公司的机构及其产生办法、职权、议事规则")
	if one {
		a.article("公司不设股东会。股东行使《公司法》第五十九条第一款规定的职权，包括：选举和更换董事、监事，决定有关董事、监事的报酬事项；审议批准董事、监事的报告；审议批准公司的利润分配方案和弥补亏损方案；对增加或者减少注册资本作出决定；对发行公司债券作出决定；对公司合并、分立、解散、清算或者变更公司形式作出决定；修改公司章程。")
		a.article("股东作出前条所列事项的决定时，应当采用书面形式，并由股东签名或者盖章后置备于公司（《公司法》第六十条）。")
	} else {
		a.article("公司股东会由全体股东组成，是公司的权力机构，依照《公司法》第五十九条行使下列职权：选举和更换董事、监事，决定有关董事、监事的报酬事项；审议批准董事会（董事）、监事会（监事）的报告；审议批准公司的利润分配方案和弥补亏损方案；对公司增加或者减少注册资本作出决议；对发行公司债券作出决议；对公司合并、分立、解散、清算或者变更公司形式作出决议；修改公司章程。对上述事项股东以书面形式一致表示同意的，可以不召开股东会会议，直接作出决定，并由全体股东在决定文件上签名或者盖章。")
		a.article("首次股东会会议由出资最多的股东召集和主持。股东会会议分为定期会议和临时会议，定期会议每年召开一次；代表十分之一以上表决权的股东、三分之一以上的董事或者监事会（监事）提议召开临时会议的，应当召开临时会议。召开股东会会议，应当于会议召开十五日前通知全体股东。")
		a.article("股东会会议由股东按照出资比例行使表决权（《公司法》第六十五条）。股东会作出决议，应当经代表过半数表决权的股东通过；作出修改公司章程、增加或者减少注册资本的决议，以及公司合并、分立、解散或者变更公司形式的决议，应当经代表三分之二以上表决权的股东通过（《公司法》第六十六条）。股东会应当对所议事项的决定作成会议记录，出席会议的股东应当在会议记录上签名或者盖章。")
	}
	if len(f.Directors) > 1 {
		a.article("公司%s，董事由%s选举产生，任期三年，任期届满，连选可以连任。董事会设董事长一人，由董事会选举产生。董事会会议应当有过半数的董事出席方可举行，董事会作出决议应当经全体董事的过半数通过，董事会决议的表决实行一人一票。", dirs, electors(one))
		a.article("董事会对股东会负责，行使《公司法》第六十七条规定的职权：召集股东会会议并向股东会报告工作；执行股东会的决议；决定公司的经营计划和投资方案；制订公司的利润分配方案和弥补亏损方案；制订公司增加或者减少注册资本以及发行公司债券的方案；制订公司合并、分立、解散或者变更公司形式的方案；决定公司内部管理机构的设置；决定聘任或者解聘公司经理及其报酬事项，并根据经理的提名决定聘任或者解聘公司副经理、财务负责人及其报酬事项；制定公司的基本管理制度。")
	} else {
		a.article("公司%s（《公司法》第七十五条），由%s选举产生，任期三年，任期届满，连选可以连任。董事行使《公司法》第六十七条规定的董事会职权，决定聘任或者解聘公司经理、财务负责人及其报酬事项。", dirs, electors(one))
	}
	if f.Manager != nil {
		a.article("公司设经理一名，由董事会（董事）决定聘任或者解聘。经理对董事会（董事）负责，根据本章程的规定或者董事会（董事）的授权行使职权，列席董事会会议（《公司法》第七十四条）。")
	}
	switch len(f.Supervisors) {
	case 0:
		a.article("公司规模较小，%s（《公司法》第八十三条），由股东行使对董事、高级管理人员执行职务的监督。", sups)
	default:
		a.article("公司%s（《公司法》第八十三条），监事由%s选举产生，任期三年，任期届满，连选可以连任。董事、高级管理人员不得兼任监事。监事检查公司财务，对董事、高级管理人员执行职务的行为进行监督，提议召开临时股东会会议，并行使《公司法》第七十八条规定的其他职权。", sups, electors(one))
	}

	a.chapter("第五章　公司的法定代表人")
	a.article("公司的法定代表人由代表公司执行公司事务的董事或者经理担任（《公司法》第十条），由%s决定。公司首任法定代表人为%s。担任法定代表人的董事或者经理辞任的，视为同时辞去法定代表人，公司应当在法定代表人辞任之日起三十日内确定新的法定代表人。", electors(one), f.LegalRepresentative.Name)

	a.chapter("第六章　财务、会计、利润分配")
	a.article("公司依照法律、行政法规和国务院财政部门的规定建立财务、会计制度，在每一会计年度终了时编制财务会计报告，并依法经会计师事务所审计。公司设财务负责人一名。")
	a.article("公司分配当年税后利润时，应当提取利润的百分之十列入公司法定公积金。公司弥补亏损和提取公积金后所余税后利润，按照股东实缴的出资比例分配。")

	a.chapter("第七章　解散和清算")
	a.article("公司因本章程规定的营业期限届满、%s决议解散、合并或者分立、依法被吊销营业执照、责令关闭或者被撤销、或者人民法院依法予以解散而解散。", electors(one))
	a.article("公司因前条规定解散的，董事为公司清算义务人，应当在解散事由出现之日起十五日内组成清算组进行清算。")

	a.chapter("第八章　附　则")
	a.article("本章程与法律、行政法规不一致的，以法律、行政法规为准。")
	a.article("本章程经全体股东签名或者盖章后生效，一式两份，公司留存一份，登记机关备案一份。")

	pdf.Ln(6)
	para(pdf, 11, "全体股东签名（盖章）：")
	signatures(pdf, holderSigners(f))
	pdf.Ln(4)
	para(pdf, 11, dateZH(in.IssuedAt))
	body, err := output(pdf)
	if err != nil {
		return Rendered{}, err
	}
	return Rendered{Kind: kaiban.DocArticles, Title: "公司章程", TitleEN: "Articles of association",
		MediaType: mediaPDF, Body: body}, nil
}

func electors(one bool) string {
	if one {
		return "股东"
	}
	return "股东会"
}

// holderSigners names who signs for each shareholder.
func holderSigners(f kaiban.Form) []string {
	var out []string
	for _, h := range f.Shareholders {
		if h.Kind == kaiban.HolderEnterprise && h.Representative != nil {
			out = append(out, h.Name+"（盖章） 法定代表人 "+h.Representative.Name)
		} else {
			out = append(out, h.Name)
		}
	}
	return out
}

// signatures prints one signature line per signer.
func signatures(pdf *fpdf.Fpdf, names []string) {
	setFont(pdf, 11)
	for _, n := range names {
		l, _, _, _ := pdf.GetMargins()
		pdf.SetX(l + 10)
		put(pdf, 95, 9, n, "L", 0)
		put(pdf, 50, 9, "签名：＿＿＿＿＿＿", "L", 1)
	}
}

// pageNumber prints "第 n 页" at the foot of the page.
func pageNumber(pdf *fpdf.Fpdf) {
	auto, bottom := pdf.GetAutoPageBreak()
	pdf.SetAutoPageBreak(false, 0) // the foot is below the break line
	defer pdf.SetAutoPageBreak(auto, bottom)
	pdf.SetY(-14)
	setFont(pdf, 8)
	pdf.SetTextColor(110, 110, 110)
	put(pdf, 0, 5, fmt.Sprintf("第 %d 页", pdf.PageNo()), "C", 0)
	pdf.SetTextColor(0, 0, 0)
}

// renderDecision writes the founding decision appointing the officers:
// 股东决定 of the sole holder of a one-person company, 股东会决议 of the
// shareholders' meeting otherwise, with the votes counted by capital.
func renderDecision(in Input) (Rendered, error) {
	f := in.App.Form
	one := onePerson(f)
	zh := "股东会决议"
	en := "Resolution of the shareholders' meeting"
	if one {
		zh, en = "股东决定", "Decision of the sole shareholder"
	}
	pdf := newPDF(in, false, zh)
	pdf.SetMargins(22, 20, 22)
	pdf.SetFooterFunc(func() { pageNumber(pdf) })
	pdf.AddPage()
	pdf.SetY(heading(pdf, 22, f.Company.Name+zh, en, 16) + 6)

	if one {
		para(pdf, 11, fmt.Sprintf("%s作为%s的唯一股东，根据《中华人民共和国公司法》第六十条和公司章程，于%s以书面形式作出如下决定：",
			holderName(f.Shareholders[0]), f.Company.Name, dateZH(in.IssuedAt)))
	} else {
		para(pdf, 11, fmt.Sprintf("%s首次股东会会议于%s在%s召开，由出资最多的股东召集和主持。应到股东%d名，实到股东%d名，代表100%%的表决权。会议的召集和表决程序符合《中华人民共和国公司法》和公司章程的规定。股东按照出资比例行使表决权，经代表全部表决权的股东一致同意，形成决议如下：",
			f.Company.Name, dateZH(in.IssuedAt), address(f), len(f.Shareholders), len(f.Shareholders)))
	}
	n := 0
	item := func(format string, args ...any) {
		n++
		para(pdf, 11, fmt.Sprintf("%s、", numberZH(n))+fmt.Sprintf(format, args...))
	}
	item("通过%s章程。", f.Company.Name)
	switch len(f.Directors) {
	case 0:
		item("公司不设董事会，设董事一名，由法定代表人%s担任。", f.LegalRepresentative.Name)
	default:
		for _, d := range f.Directors {
			item("选举%s为公司%s，任期三年。", d.Name, orBlank(d.Role))
		}
	}
	switch len(f.Supervisors) {
	case 0:
		item("经全体股东一致同意，公司不设监事会或者监事。")
	default:
		for _, s := range f.Supervisors {
			item("选举%s为公司%s，任期三年。", s.Name, orBlank(s.Role))
		}
	}
	if f.Manager != nil {
		item("聘任%s为公司%s。", f.Manager.Name, orBlank(f.Manager.Role))
	}
	item("由%s担任公司法定代表人。", f.LegalRepresentative.Name)
	item("聘任%s为公司财务负责人。", f.FinanceOfficer.Name)
	item("股东认缴出资如下，于公司成立之日起五年内缴足：")
	for _, h := range f.Shareholders {
		para(pdf, 10.5, fmt.Sprintf("　　%s：%s出资%s（占%s），出资期限%s。", holderName(h), method(h.Contribution.Method),
			yuan(h.Contribution.Amount), share(h, f.Company.RegisteredCapital), isoDateZH(h.Contribution.DueDate)))
	}
	pdf.Ln(6)
	if one {
		para(pdf, 11, "股东签名（盖章）：")
	} else {
		para(pdf, 11, "全体股东签名（盖章）：")
	}
	signatures(pdf, holderSigners(f))
	pdf.Ln(4)
	para(pdf, 11, dateZH(in.IssuedAt))
	body, err := output(pdf)
	if err != nil {
		return Rendered{}, err
	}
	return Rendered{Kind: kaiban.DocShareholderDecision, Title: zh, TitleEN: en, MediaType: mediaPDF, Body: body}, nil
}
