package notify

import (
	"strings"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// certificates name what each track gives the applicant, in Chinese and
// English.
var certificates = map[kaiban.TrackName][2]string{
	kaiban.TrackLicense:          {"营业执照（电子营业执照）", "business licence (e-licence)"},
	kaiban.TrackSeal:             {"公司印章备案", "company seals"},
	kaiban.TrackTax:              {"税务登记及首批发票", "tax registration and first invoices"},
	kaiban.TrackSocialInsurance:  {"社会保险登记", "social insurance registration"},
	kaiban.TrackMedicalInsurance: {"医疗保险登记", "medical insurance registration"},
	kaiban.TrackHousingFund:      {"住房公积金登记", "housing provident fund registration"},
	kaiban.TrackBank:             {"银行开户预约", "bank account appointment"},
}

// render is the text of ev in app's language. SMS texts are short and
// carry the link themselves; e-mails get the same text.
func render(app *kaiban.Application, ev Event) string {
	en := app.Lang == kaiban.LangEN
	company := app.Form.Company.Name
	r := strings.NewReplacer("{id}", app.ID, "{company}", company, "{link}", ev.Link, "{code}", app.CreditCode)
	pick := func(zh, enText string) string {
		if en {
			return r.Replace(enText)
		}
		return r.Replace(zh)
	}
	switch ev.Milestone {
	case Submitted:
		return pick("【开办】{company}的设立申请已提交（编号 {id}），随时查看办理进度：{link}",
			"[Kaiban] The application for {company} is submitted (no. {id}). Follow it here: {link}")
	case AwaitingSignatures:
		return pick("【开办】{company}的申请（编号 {id}）还在等待部分设立人员签署，全部签署后开始办理；谁还未签署见办理进度页面，已再次提醒他们。",
			"[Kaiban] The application for {company} (no. {id}) is waiting for some founders' signatures; registration starts once all have signed. The status page shows who has not signed; they have been reminded.")
	case Accepted:
		return pick("【开办】{company}的设立人员已全部签署，申请已受理（编号 {id}），正在办理。",
			"[Kaiban] Every founder of {company} has signed: the application is accepted (no. {id}) and registration has started.")
	case ActionRequired:
		return pick("【开办】{company}的申请（编号 {id}）需要窗口人员与您核对，请留意来电；详情见办理进度页面。",
			"[Kaiban] The application for {company} (no. {id}) needs you: a clerk will contact you. Details are on the status page.")
	case CorrectionRequired:
		if ev.Link == "" {
			return pick("【开办】{company}的申请（编号 {id}）需要您补正部分信息；请在 5 个工作日内打开办理进度页面修改。",
				"[Kaiban] The application for {company} (no. {id}) needs you to correct some details. Correct them within 5 working days on the status page.")
		}
		return pick("【开办】{company}的申请（编号 {id}）需要您补正部分信息；请在 5 个工作日内打开办理进度页面修改：{link}",
			"[Kaiban] The application for {company} (no. {id}) needs you to correct some details. Correct them within 5 working days on the status page: {link}")
	case CertificateReady:
		c := certificates[ev.Track]
		if c[0] == "" {
			c = [2]string{string(ev.Track), string(ev.Track)}
		}
		if en {
			text := "[Kaiban] " + c[1] + " for {company} is ready (application no. {id})."
			if ev.Link != "" {
				text += " Download the documents: {link}"
			}
			return r.Replace(text)
		}
		text := "【开办】{company}的" + c[0] + "已办结（编号 {id}）。"
		if ev.Link != "" {
			text += "下载电子证照与文书：{link}"
		}
		return r.Replace(text)
	case Completed:
		return pick("【开办】{company}的开办事项已全部办结（编号 {id}），统一社会信用代码 {code}。",
			"[Kaiban] Everything for {company} is done (no. {id}). Unified social credit code: {code}.")
	case Rejected:
		reason, _ := kaiban.LocalizeNotice(app.Message, en)
		if reason == "" {
			reason = pick("详见办理进度页面", "see the status page")
		}
		return pick("【开办】很抱歉，{company}的申请（编号 {id}）未能办理："+reason,
			"[Kaiban] Sorry: the application for {company} (no. {id}) was rejected: "+reason)
	case RatingFollowedUp:
		return pick("【开办】您对{company}申请（编号 {id}）的评价已回访："+ev.Note,
			"[Kaiban] Your rating of the application for {company} (no. {id}) was followed up: "+ev.Note)
	}
	return pick("【开办】{company}的申请（编号 {id}）有新进展。", "[Kaiban] News on the application for {company} (no. {id}).")
}
