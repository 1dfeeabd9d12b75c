package kaiban

import (
	"regexp"
	"strings"
	"unicode"
)

// Notices are the short texts the service writes on an application and its
// tracks (Application.Message, Track.Message) for the applicant: why a
// track is retrying or waiting for a clerk, what was cancelled, how long it
// all took. The store keeps one text; the applicant reads it in the
// language of the request. So every text the service itself writes is one
// of the templates below, in Chinese or in English, and LocalizeNotice
// recognises a stored text in either language and renders it in the
// other. Agency clients write the English forms (they are read in logs
// too), the track handlers the Chinese ones; records written before a
// template existed are recognised the same way.
//
// Placeholders: {agency} an AgencyKind and {track} a TrackName (their
// Chinese names in the zh form), {n} a whole number, {text} any text,
// itself localised (a cancellation quotes its reason). The state machine's
// own causes (a clerk's rejection, an exception left unresolved) are
// templates too: they become the application's message when it is
// rejected.

// Notice codes, stable for clients (the status's messageCode).
const (
	NoticeAgencyUnavailable     = "agency.unavailable"
	NoticeAgencyUnavailableHTTP = "agency.unavailableHttp"
	NoticeAgencyTimeout         = "agency.timeout"
	NoticeAgencyBadStatus       = "agency.badStatus"
	NoticeAgencyTooLarge        = "agency.answerTooLarge"
	NoticeAgencyUnreadable      = "agency.unreadableAnswer"
	NoticeAgencyUnusable        = "agency.unusableAnswer"
	NoticeAgencyRejected        = "agency.rejected"
	NoticeNameNeedsReview       = "name.needsReview"
	NoticeIdentityFailed        = "identity.failed"
	NoticeCompletedByClerk      = "track.completedByClerk"
	NoticeCompletedByClerkNote  = "track.completedByClerkNote"
	NoticeCancelled             = "track.cancelled"
	NoticeCancelledByClerk      = "track.cancelledByClerk"
	NoticeWaitingForClerk       = "application.waitingForClerk"
	NoticeWaitingForCorrection  = "application.waitingForCorrection"
	NoticeCompleted             = "application.completed"
	NoticeClerkRejectedTrack    = "clerk.rejectedTrack"
	NoticeClerkRejectedName     = "clerk.rejectedName"
	NoticeClerkUnresolved       = "clerk.unresolved"
	NoticeCorrectionExpired     = "correction.expired"
	NoticeClerkEnded            = "clerk.ended"
	NoticeClerkFinished         = "clerk.finished"
	NoticeInternal              = "internal"
	NoticeConfirmationDeclined  = "confirmation.declined"
	NoticeConfirmationExpired   = "confirmation.expired"
	// NoticeText is a text the service did not write: an agency's own
	// reason or a clerk's note, shown as written.
	NoticeText = "text"
	// NoticeUntranslated stands in, for a Chinese reader, for a text with
	// no Chinese that is not a template (an unexpected system message).
	NoticeUntranslated = "untranslated"
)

type noticeTemplate struct {
	code, zh, en string
}

var noticeTemplates = []noticeTemplate{
	{NoticeAgencyUnavailableHTTP, "{agency}系统暂时不可用（HTTP {n}），将自动重试", "the {agency} agency is unavailable (HTTP {n})"},
	{NoticeAgencyUnavailable, "{agency}系统暂时不可用，将自动重试", "the {agency} agency is unavailable"},
	{NoticeAgencyTimeout, "{agency}系统未在规定时间内答复，将自动重试", "the {agency} agency did not answer in time"},
	{NoticeAgencyBadStatus, "{agency}系统答复异常（HTTP {n}），将自动重试", "the {agency} agency answered with HTTP {n}"},
	{NoticeAgencyTooLarge, "{agency}系统答复异常（内容过大），将自动重试", "the {agency} agency answer is too large"},
	{NoticeAgencyUnreadable, "{agency}系统答复无法识别，将自动重试", "the {agency} agency gave an unreadable answer"},
	{NoticeAgencyUnusable, "{agency}系统答复不完整，将自动重试", "the {agency} agency gave an unusable answer"},
	{NoticeAgencyRejected, "{agency}未予办理", "rejected by the {agency} agency"},
	{NoticeNameNeedsReview, "拟用名称需人工审核", "the proposed name needs review"},
	{NoticeIdentityFailed, "身份核验未通过", "identity verification failed"},
	{NoticeCompletedByClerkNote, "由窗口人员办结: {text}", "completed by a clerk: {text}"},
	{NoticeCompletedByClerk, "由窗口人员办结", "completed by a clerk"},
	{NoticeCancelledByClerk, "由窗口人员撤销: {text}", "cancelled by a clerk: {text}"},
	{NoticeCancelled, "已撤销: {text}", "cancelled: {text}"},
	{NoticeWaitingForClerk, "等待窗口人员处理", "waiting for a clerk"},
	{NoticeWaitingForCorrection, "等待申请人补正", "waiting for the applicant's correction"},
	{NoticeCompleted, "全部办结，用时 {n} 分钟", "all registrations completed in {n} minutes"},
	{NoticeClerkRejectedTrack, "窗口人员驳回了{track}申请", "A clerk rejected the {track} registration."},
	{NoticeClerkRejectedName, "窗口人员驳回了拟用企业名称", "A clerk rejected the company name."},
	{NoticeClerkUnresolved, "{track}的异常未在时限内处理", "The {track} exception was not resolved in time."},
	{NoticeCorrectionExpired, "{track}所需补正未在期限内提交", "The {track} correction was not made in time."},
	{NoticeClerkEnded, "办理流程中断，窗口人员已终止本申请", "The process stopped and a clerk ended the application."},
	{NoticeClerkFinished, "办理流程中断，窗口人员已人工办结", "The process stopped and a clerk completed the application by hand."},
	{NoticeInternal, "系统内部错误，工作人员将跟进处理", "internal error"},
	{NoticeConfirmationDeclined, "设立人员拒绝签署，申请已终止：{text}", "a founder declined to sign; the application is stopped: {text}"},
	{NoticeConfirmationExpired, "3天内未完成全部设立人员的签署，申请已终止", "not every founder signed within 3 days; the application is stopped"},
}

// untranslatedZH is what a Chinese reader sees instead of an English text
// that is not a template.
const untranslatedZH = "办理遇到问题，工作人员将跟进处理；详情可咨询办事窗口"

// agencyNamesZH are the agencies as the Chinese notices name them.
var agencyNamesZH = map[AgencyKind]string{
	AgencyIdentity: "实名核验",
	AgencyMarket:   "市场监管",
	AgencySeal:     "公安印章备案",
	AgencyTax:      "税务",
	AgencySocial:   "社会保险",
	AgencyMedical:  "医疗保障",
	AgencyFund:     "住房公积金",
	AgencyBank:     "开户银行",
}

// TrackLabelZH is the track as the Chinese notices name it.
func TrackLabelZH(t TrackName) string { return trackNamesZH[t] }

// trackNamesZH are the tracks as the Chinese notices name them.
var trackNamesZH = map[TrackName]string{
	TrackLicense:          "营业执照登记",
	TrackSeal:             "印章刻制备案",
	TrackTax:              "税务登记",
	TrackSocialInsurance:  "社会保险登记",
	TrackMedicalInsurance: "医疗保险登记",
	TrackHousingFund:      "住房公积金登记",
	TrackBank:             "银行开户预约",
}

// compiledNotice is a template with a pattern for each language and the
// kinds of its placeholders in order.
type compiledNotice struct {
	noticeTemplate
	zhRe, enRe *regexp.Regexp
	args       []string
}

var (
	placeholder     = regexp.MustCompile(`\{(agency|track|n|text)\}`)
	compiledNotices = compileNotices()
)

func compileNotices() []compiledNotice {
	var zhNames, enNames [2][]string // agencies, tracks
	for _, k := range AgencyKinds {
		zhNames[0] = append(zhNames[0], regexp.QuoteMeta(agencyNamesZH[k]))
		enNames[0] = append(enNames[0], regexp.QuoteMeta(string(k)))
	}
	for _, t := range Tracks {
		zhNames[1] = append(zhNames[1], regexp.QuoteMeta(trackNamesZH[t]))
		enNames[1] = append(enNames[1], regexp.QuoteMeta(string(t)))
	}
	pattern := func(tmpl string, names [2][]string) *regexp.Regexp {
		var b strings.Builder
		b.WriteString(`^(?s)`)
		last := 0
		for _, m := range placeholder.FindAllStringSubmatchIndex(tmpl, -1) {
			b.WriteString(regexp.QuoteMeta(tmpl[last:m[0]]))
			switch tmpl[m[2]:m[3]] {
			case "agency":
				b.WriteString(`(` + strings.Join(names[0], "|") + `)`)
			case "track":
				b.WriteString(`(` + strings.Join(names[1], "|") + `)`)
			case "n":
				b.WriteString(`(\d+)`)
			default:
				b.WriteString(`(.+)`)
			}
			last = m[1]
		}
		b.WriteString(regexp.QuoteMeta(tmpl[last:]) + `$`)
		return regexp.MustCompile(b.String())
	}
	out := make([]compiledNotice, len(noticeTemplates))
	for i, t := range noticeTemplates {
		var args []string
		for _, m := range placeholder.FindAllStringSubmatch(t.zh, -1) {
			args = append(args, m[1])
		}
		out[i] = compiledNotice{noticeTemplate: t, zhRe: pattern(t.zh, zhNames), enRe: pattern(t.en, enNames), args: args}
	}
	return out
}

// NoticeTextZH returns the Chinese text of the notice code with its
// arguments in placeholder order (an AgencyKind for {agency}), or "" for
// an unknown code; the track handlers store it.
func NoticeTextZH(code string, args ...string) string {
	for _, n := range compiledNotices {
		if n.code == code {
			return n.render(false, args)
		}
	}
	return ""
}

func (n compiledNotice) render(en bool, args []string) string {
	tmpl := n.zh
	if en {
		tmpl = n.en
	}
	i := 0
	return placeholder.ReplaceAllStringFunc(tmpl, func(p string) string {
		if i >= len(args) {
			return ""
		}
		a := args[i]
		i++
		if !en {
			switch p {
			case "{agency}":
				if zh, ok := agencyNamesZH[AgencyKind(a)]; ok {
					return zh
				}
			case "{track}":
				if zh, ok := trackNamesZH[TrackName(a)]; ok {
					return zh
				}
			}
		}
		return a
	})
}

// LocalizeNotice returns a stored notice in English (en) or Chinese, and
// its code: a template's code, NoticeText for a text the service did not
// write (an agency's reason, a clerk's note: shown as written), or
// NoticeUntranslated when a Chinese reader would otherwise get a text with
// no Chinese at all. An empty msg gives "", "".
func LocalizeNotice(msg string, en bool) (text, code string) {
	if msg == "" {
		return "", ""
	}
	for _, n := range compiledNotices {
		for _, re := range [2]*regexp.Regexp{n.zhRe, n.enRe} {
			m := re.FindStringSubmatch(msg)
			if m == nil {
				continue
			}
			args := make([]string, len(n.args))
			for i, kind := range n.args {
				a := m[i+1]
				switch kind {
				case "agency":
					a = string(agencyKindByName(a))
				case "track":
					a = string(trackByName(a))
				case "text":
					a, _ = LocalizeNotice(a, en)
				}
				args[i] = a
			}
			return n.render(en, args), n.code
		}
	}
	if !en && !strings.ContainsFunc(msg, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		return untranslatedZH, NoticeUntranslated
	}
	return msg, NoticeText
}

// agencyKindByName maps an agency kind or its Chinese name to the kind.
func agencyKindByName(s string) AgencyKind {
	for k, zh := range agencyNamesZH {
		if zh == s {
			return k
		}
	}
	return AgencyKind(s)
}

// trackByName maps a track name or its Chinese name to the track.
func trackByName(s string) TrackName {
	for t, zh := range trackNamesZH {
		if zh == s {
			return t
		}
	}
	return TrackName(s)
}
