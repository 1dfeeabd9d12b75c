package names

import "strings"

// text is a message in both languages the service speaks.
type text struct{ ZH, EN string }

// In returns the text in lang ("en" for English, anything else Chinese).
func (t text) In(lang string) string {
	if lang == "en" {
		return t.EN
	}
	return t.ZH
}

func (t text) fill(args []string) text {
	for i, a := range args {
		ph := "{" + string(rune('0'+i)) + "}"
		t.ZH, t.EN = strings.ReplaceAll(t.ZH, ph, a), strings.ReplaceAll(t.EN, ph, a)
	}
	return t
}

// structureRules are the rules of the name's structure and characters
// (企业名称登记管理规定 2020, 第六至第十条): the rule, then the message
// template ({0}… are the arguments).
var structureRules = map[string][2]text{
	"NAME_CHARSET": {{"企业名称应当使用规范汉字，不得含有繁体字、外文字母或阿拉伯数字", "a name uses standard simplified Chinese characters only: no traditional characters, Latin letters or Arabic digits"},
		{"名称含有不允许的字符：{0}", "the name contains characters that are not allowed: {0}"}},
	"NAME_TRADE_MISSING": {{"企业名称应当含有字号", "a name has a trade name"},
		{"未找到字号", "no trade name was found"}},
	"NAME_TRADE_TOO_SHORT": {{"字号应当由两个以上汉字组成", "a trade name has two or more characters"},
		{"字号“{0}”不足两个汉字", "the trade name {0} has fewer than two characters"}},
	"NAME_TRADE_IS_REGION": {{"县级以上行政区划名称不得用作字号", "a county-level-or-higher region name cannot be the trade name"},
		{"字号“{0}”是行政区划名称", "the trade name {0} is a region name"}},
	"NAME_TRADE_IS_INDUSTRY": {{"行业用语不得用作字号", "an industry word cannot be the trade name"},
		{"字号“{0}”是行业用语", "the trade name {0} is an industry word"}},
	"NAME_TRADE_IS_ORG_FORM": {{"组织形式用语不得用作字号", "an organisational form cannot be the trade name"},
		{"字号“{0}”是组织形式用语", "the trade name {0} is an organisational form"}},
	"NAME_ORG_FORM_MISSING": {{"企业名称应当以组织形式结尾（有限公司、股份有限公司、厂、店等）", "a name ends with its organisational form (有限公司, 股份有限公司, 厂, 店 …)"},
		{"未找到组织形式", "no organisational form was found"}},
	"NAME_INDUSTRY_UNKNOWN": {{"企业名称应当含有行业或者经营特点用语", "a name has words for its industry or business"},
		{"未识别出行业用语，请分别填写名称各部分（nameParts）", "no industry words were recognised; give the name's parts (nameParts) separately"}},
	"NAME_REGION_MISSING": {{"企业名称应当冠以企业所在地行政区划名称", "a name carries the region of the company's seat"},
		{"未找到辽宁省内的行政区划名称", "no Liaoning region name was found"}},
	"NAME_REGION_UNKNOWN": {{"企业名称应当冠以企业所在地行政区划名称", "a name carries the region of the company's seat"},
		{"“{0}”不是辽宁省内的行政区划名称", "{0} is not a region of Liaoning"}},
	"NAME_REGION_AMBIGUOUS": {{"行政区划名称应当能确定登记机关", "the region must identify the registration authority"},
		{"“{0}”属于多个地级市，请冠以市名（如沈阳市{0}区）", "{0} is in more than one city; put the city first (e.g. 沈阳市{0}区)"}},
	"NAME_IDENTICAL": {{"不得与同一登记机关已登记、在保留期内或注销、撤销未满一年的企业名称相同", "a name may not be the same as one in the same registry that is registered, reserved, or deregistered or revoked less than a year ago"},
		{"与{0}名称相同：{1}", "the same as {0} name(s): {1}"}},
	"NAME_SIMILAR": {{"与同一登记机关同行业企业名称相近的，需人工审核", "a name close to one in the same registry and industry is reviewed by a clerk"},
		{"与{0}名称相近：{1}", "close to {0} name(s): {1}"}},
}

// wordMessage is the message of a prohibited-word reason.
var wordMessage = text{"名称含有“{0}”", "the name contains {0}"}

// why texts of the conflicts ({0}: registry).
var whyTexts = map[string]text{
	"same":       {"名称完全相同", "the very same name"},
	"reordered":  {"字号、行业用语相同，仅行政区划位置不同", "the same words with the region in another place"},
	"formRegion": {"字号、行业用语相同，仅行政区划或组织形式不同", "the same trade name and industry words; only the region or the organisational form differs"},
	"synonym":    {"字号相同，行业表述不同但属同一行业（{0}）", "the same trade name with industry words meaning the same ({0})"},
	"homophone":  {"字号读音相同（{0}）", "a trade name that sounds the same ({0})"},
	"contains":   {"字号包含同行业已登记字号“{0}”", "the trade name contains the registered trade name {0} of the same industry"},
}

var statusTexts = map[string]text{
	"REGISTERED":   {"已登记", "registered"},
	"RESERVED":     {"保留期内", "reserved"},
	"DEREGISTERED": {"已注销未满一年", "deregistered less than a year ago"},
	"REVOKED":      {"已吊销/撤销未满一年", "revoked less than a year ago"},
}
