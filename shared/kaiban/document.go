package kaiban

// DocumentKind names one document of the bundle a new company keeps.
type DocumentKind string

const (
	DocLicense                DocumentKind = "license"                // 电子营业执照
	DocSeal                   DocumentKind = "seal"                   // one e-seal per seal carved
	DocArticles               DocumentKind = "articles"               // 公司章程
	DocShareholderDecision    DocumentKind = "shareholderDecision"    // 股东决定 / 股东会决议
	DocTaxNotice              DocumentKind = "taxNotice"              // 税务登记通知
	DocSocialInsuranceNotice  DocumentKind = "socialInsuranceNotice"  // 社会保险登记通知
	DocMedicalInsuranceNotice DocumentKind = "medicalInsuranceNotice" // 医疗保险登记通知
	DocHousingFundNotice      DocumentKind = "housingFundNotice"      // 住房公积金缴存登记通知
	DocBankAppointment        DocumentKind = "bankAppointment"        // 银行开户预约单
)

// DocumentKinds lists every kind, in the order the bundle shows them.
var DocumentKinds = []DocumentKind{DocLicense, DocSeal, DocArticles, DocShareholderDecision,
	DocTaxNotice, DocSocialInsuranceNotice, DocMedicalInsuranceNotice, DocHousingFundNotice, DocBankAppointment}
