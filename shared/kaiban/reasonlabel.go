package kaiban

// reasonLabels are the words of the reasons the dashboard counts that are
// not correction reasons: the notice codes and error names a rejection is
// counted under (EndedCounters).
var reasonLabels = map[string][2]string{
	ErrIdentityFailed:          {"身份核验未通过", "identity verification failed"},
	ErrAgencyRejected:          {"登记机关不予办理", "an agency refused"},
	ErrNameTaken:               {"名称已被占用", "the name is taken"},
	"Clerk.Rejected":           {"窗口人员驳回", "a clerk rejected it"},
	"Clerk.Unresolved":         {"异常未在时限内处理", "an exception was not resolved in time"},
	"Correction.Expired":       {"补正未在期限内提交", "a correction was not made in time"},
	NoticeClerkRejectedTrack:   {"窗口人员驳回了某项登记", "a clerk rejected a registration"},
	NoticeClerkRejectedName:    {"窗口人员驳回了拟用企业名称", "a clerk rejected the company name"},
	NoticeClerkUnresolved:      {"异常未在时限内处理", "an exception was not resolved in time"},
	NoticeCorrectionExpired:    {"补正未在期限内提交", "a correction was not made in time"},
	NoticeConfirmationDeclined: {"设立人员拒绝签署", "a founder declined to sign"},
	NoticeConfirmationExpired:  {"3天内未完成全部签署", "not every founder signed within 3 days"},
	NoticeInternal:             {"系统内部错误", "internal error"},
}

// ReasonLabel is what the public dashboard says for a counted reason of
// a rejection or a correction, in Chinese or English (en); a code it has
// no words for is shown as it is.
func ReasonLabel(code string, en bool) string {
	lang := 0
	if en {
		lang = 1
	}
	if r, ok := CorrectionReasonFor(code); ok {
		return [2]string{r.LabelZH, r.LabelEN}[lang]
	}
	if l, ok := reasonLabels[code]; ok {
		return l[lang]
	}
	return code
}
