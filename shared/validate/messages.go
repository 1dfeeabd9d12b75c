package validate

import "strings"

// message is the zh and en text of one custom tag. {0} is replaced by the
// error's parameter (a limit, the expected value), or by the field name
// where withField is set.
type message struct {
	zh, en    string
	withField bool
	// pair splits the parameter "A B" into {0} and {1} (a window's bounds).
	pair bool
}

// messages are Kaiban's own texts for its custom tags and struct-level
// codes, plus "unique" (named with the field). The field path is returned
// next to each message, so messages do not repeat it. Built-in tags have
// theirs in builtinTags.
var messages = map[string]message{
	"uscc":             {zh: "统一社会信用代码无效：应为18位，且末位校验码正确", en: "is not a valid unified social credit code: 18 characters with a correct check character"},
	"cn_idcard":        {zh: "公民身份号码无效：应为18位，出生日期真实，末位校验码正确（X须大写）", en: "is not a valid resident ID number: 18 characters, a real birth date and a correct check character (upper-case X)"},
	"person_name":      {zh: "姓名须为汉字（少数民族姓名以间隔号「·」连接）或拉丁字母，不能含数字、符号、部首、兼容汉字或不可见字符", en: "must be a name in Chinese characters (minority names joined by 「·」) or Latin letters, without digits, symbols, radicals, compatibility ideographs or invisible characters"},
	"plain_text":       {zh: "含有控制字符或不可见字符", en: "contains control or invisible characters"},
	"cn_mobile":        {zh: "手机号码无效：应为以1开头、第二位为3至9的11位数字", en: "is not a valid mobile number: 11 digits starting with 13 to 19"},
	"cn_postcode":      {zh: "邮政编码应为6位数字", en: "postal code must be 6 digits"},
	"ln_region":        {zh: "住所行政区划代码须为辽宁省县级行政区划代码（GB/T 2260）", en: "must be a county-level GB/T 2260 division code of Liaoning"},
	"scope_item":       {zh: "经营范围须从规范表述目录中选择，不接受自行填写的内容", en: "business scope items must be chosen from the standard list; free text is not accepted"},
	"date":             {zh: "日期应为YYYY-MM-DD格式的真实日期", en: "must be a real date in YYYY-MM-DD form"},
	"not_past":         {zh: "日期不得早于提交当日", en: "must not be before the submission date"},
	"workday":          {zh: "须为工作日：周末和法定节假日不办理（调休上班日除外）", en: "must be a working day: not a weekend or public holiday (official make-up working days are allowed)"},
	"adult":            {zh: "此人在提交之日须年满18周岁：法定代表人、股东、董事、监事、经理、财务负责人、办税人和联络员均须为成年人", en: "this person must be at least 18 years old on the submission date: every person named in the form must be an adult"},
	"trade_name":       {zh: "字号须为2个及以上规范汉字，不得含字母、数字、符号、部首或不可见字符", en: "the trade name must be two or more standard Chinese characters, without Latin letters, digits, symbols, radicals or invisible characters"},
	"han":              {zh: "须全部为规范汉字，不得含部首、兼容汉字或不可见字符", en: "must be written in standard Chinese characters only, without radicals, compatibility ideographs or invisible characters"},
	"name_text":        {zh: "名称含有不可见字符、部首或兼容汉字等不规范字符", en: "contains invisible characters, radicals, compatibility ideographs or other non-standard characters"},
	"name_region":      {zh: "名称中的行政区划须为住所所在的市或县（区）名称，例如“{0}”", en: "the region in the name must be the city or county of the registered address, e.g. \"{0}\""},
	"org_form":         {zh: "组织形式与企业类型不符，应为：{0}", en: "the organisational form does not match the company type; use one of: {0}"},
	"company_name":     {zh: "企业名称须由行政区划、字号、行业、组织形式依次组成，应为“{0}”", en: "the company name must be region + trade name + industry + organisational form, i.e. \"{0}\""},
	"capital_sum":      {zh: "股东认缴出资额合计{0}元，须与注册资本相等", en: "the shareholders' contributions total {0} yuan and must equal the registered capital"},
	"capital_due":      {zh: "有限责任公司股东认缴的出资须自公司成立之日起5年内缴足，最迟{0}", en: "a limited liability company's capital must be paid in within 5 years of founding, by {0} at the latest"},
	"llc_holders":      {zh: "有限责任公司股东人数须为1至{0}人", en: "a limited liability company must have 1 to {0} shareholders"},
	"unique_holder":    {zh: "股东重复：同一身份证号码或统一社会信用代码只能出现一次", en: "duplicate shareholder: each ID number or credit code may appear only once"},
	"legal_rep_office": {zh: "法定代表人须由董事或经理担任（身份证号码须与一名董事或经理相同）", en: "the legal representative must be a director or the manager (with the same ID number)"},
	"official_seal":    {zh: "刻制印章须包含公章（OFFICIAL）", en: "the seals must include the official seal (OFFICIAL)"},
	"invoice_quantity": {zh: "首次申领该种发票每月不得超过{0}份", en: "a first-time grant of this invoice kind allows at most {0} invoices a month"},
	"invoice_amount":   {zh: "首次申领发票的单张最高开票限额不得超过10万元", en: "a first-time grant allows at most 100,000 yuan per invoice"},
	"fund_rate":        {zh: "住房公积金缴存比例须在5%至12%之间", en: "the housing fund contribution rate must be between 5% and 12%"},
	"accepted":         {zh: "须确认同意", en: "must be accepted"},
	"si_window":        {zh: "社会保险参保起始日期须在{0}至{1}之间（自公司成立当月起，最迟为提交后一年）", en: "the social insurance start must be between {0} and {1} (from the month the company is founded, at most a year after submission)", pair: true},
	"bank_window":      {zh: "银行开户预约日期最迟为{0}（提交后60天内）", en: "the bank appointment must be at most 60 days ahead, by {0} at the latest"},
	"due_window":       {zh: "认缴出资期限最迟为{0}：不得晚于营业期限届满，且不超过成立后50年", en: "the contribution must be due by {0} at the latest: within the operating term and at most 50 years after founding"},
	"bank_code":        {zh: "开户银行代码须为3位数字的银行行别代码，例如中国工商银行为102", en: "must be the bank's 3-digit CNAPS bank code, e.g. 102 for ICBC"},
	"branch_code":      {zh: "网点代码须为12位数字的支付系统行号（联行号），例如102221000010", en: "must be the branch's 12-digit CNAPS number, e.g. 102221000010"},
	"branch_bank":      {zh: "网点行号的前3位须与开户银行代码{0}一致", en: "the branch number must start with the bank code {0}"},
	"branch_city":      {zh: "所选网点不在{0}的开户网点列表中，请从列表中选择公司所在城市的网点", en: "the branch is not in the list of branches in the city of the registered address; choose one from the list"},
	"carving_shop":     {zh: "所选刻章企业不在{0}公安机关备案的刻章企业列表中，请从列表中选择", en: "the carving shop is not in the list of seal engravers registered in the city of the registered address; choose one from the list"},
	"unique":           {zh: "{0}中不得有重复项", en: "{0} must not contain duplicates", withField: true},
}

// message puts fe into words in lang: Kaiban's text for its tag, or the
// generic "invalid value" for a tag without one (never Go internals).
func (fe fieldErr) message(lang Lang) string {
	en := lang == LangEN
	if m, ok := builtinTags[fe.tag]; ok {
		return m.format(fe.kind, fe.param, en)
	}
	m, ok := messages[fe.tag]
	if !ok {
		return text(lang, msgInvalidValue)
	}
	s := m.zh
	if en {
		s = m.en
	}
	a, b := fe.param, ""
	switch {
	case m.withField:
		a = fe.name
	case m.pair:
		a, b, _ = strings.Cut(fe.param, " ")
	}
	return strings.NewReplacer("{0}", a, "{1}", b).Replace(s)
}
