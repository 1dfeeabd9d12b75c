package kaiban

// Form is the one form (一表填报) an applicant fills in once. JSON is
// camelCase. Validation tags are interpreted by shared/validate, which also
// registers the custom tags (uscc, cn_idcard, cn_mobile, cn_postcode,
// ln_region, scope_item, date, ...) and the struct-level rules.
//
// Dates are strings in YYYY-MM-DD form so that a bad date is reported as a
// field error of the form rather than as malformed JSON.
type Form struct {
	Company             Company  `json:"company" validate:"required"`
	LegalRepresentative LegalRep `json:"legalRepresentative" validate:"required"`
	// Shareholders: up to 200 (a joint-stock company's promoters); the LLC
	// limit of 50 depends on Company.Type and is a struct-level rule.
	Shareholders   []Shareholder `json:"shareholders" validate:"required,min=1,max=200,dive"`
	Directors      []Officer     `json:"directors" validate:"omitempty,max=50,dive"`
	Supervisors    []Officer     `json:"supervisors" validate:"omitempty,max=50,dive"`
	Manager        *Officer      `json:"manager,omitempty" validate:"omitempty"`
	FinanceOfficer Contact       `json:"financeOfficer" validate:"required"`
	TaxHandler     Contact       `json:"taxHandler" validate:"required"`
	Liaison        Contact       `json:"liaison" validate:"required"`
	Seals          Seals         `json:"seals" validate:"required"`
	Tax            Tax           `json:"tax" validate:"required"`
	Employment     Employment    `json:"employment" validate:"required"`
	Bank           Bank          `json:"bank" validate:"required"`
	// Consent has no "required": each box reports its own error.
	Consent Consent `json:"consent"`
}

// CompanyType is the legal form of the company.
type CompanyType string

const (
	CompanyLLC                CompanyType = "LLC"
	CompanyJointStock         CompanyType = "JOINT_STOCK"
	CompanySoleProprietorship CompanyType = "SOLE_PROPRIETORSHIP"
	CompanyPartnership        CompanyType = "PARTNERSHIP"
)

// Company is the company block.
type Company struct {
	Name              string      `json:"name" validate:"required,max=100,name_text"`
	NameParts         NameParts   `json:"nameParts" validate:"required"`
	Type              CompanyType `json:"type" validate:"required,oneof=LLC JOINT_STOCK SOLE_PROPRIETORSHIP PARTNERSHIP"`
	Address           Address     `json:"address" validate:"required"`
	RegisteredCapital int64       `json:"registeredCapital" validate:"gt=0"` // whole yuan
	BusinessScope     []string    `json:"businessScope" validate:"required,min=1,max=30,unique,dive,scope_item"`
	// OperatingTerm is the term of operation in years; 0 means long-term (长期).
	OperatingTerm int `json:"operatingTerm" validate:"min=0,max=100"`
}

// NameParts are the four parts a company name is made of:
// 行政区划 + 字号 + 行业/经营特点 + 组织形式.
type NameParts struct {
	Region    string `json:"region" validate:"required,max=20,han"`
	TradeName string `json:"tradeName" validate:"required,max=20,trade_name"`
	Industry  string `json:"industry" validate:"required,max=30,han"`
	OrgForm   string `json:"orgForm" validate:"required,max=20"`
}

// Address is the registered address; RegionCode is a county-level GB/T 2260
// code of the province served.
type Address struct {
	RegionCode string `json:"regionCode" validate:"required,ln_region"`
	Detail     string `json:"detail" validate:"required,max=200,plain_text"`
	PostalCode string `json:"postalCode" validate:"required,cn_postcode"`
}

// LegalRep is the legal representative (法定代表人).
type LegalRep struct {
	Name     string `json:"name" validate:"required,max=50,person_name"`
	IDNumber string `json:"idNumber" validate:"required,cn_idcard,adult"`
	Mobile   string `json:"mobile" validate:"required,cn_mobile"`
	Email    string `json:"email" validate:"omitempty,email,max=254"`
}

// HolderKind says whether a shareholder is a person or an enterprise.
type HolderKind string

const (
	HolderNaturalPerson HolderKind = "NATURAL_PERSON"
	HolderEnterprise    HolderKind = "ENTERPRISE"
)

// Shareholder is one investor. A natural person gives IDNumber and the
// Mobile the confirmation link is sent to; an enterprise gives CreditCode
// and its Representative, the natural person who confirms and signs for it.
type Shareholder struct {
	Kind       HolderKind `json:"kind" validate:"required,oneof=NATURAL_PERSON ENTERPRISE"`
	Name       string     `json:"name" validate:"required,max=100,name_text"` // person_name for a natural person: a form rule
	IDNumber   string     `json:"idNumber,omitempty" validate:"required_if=Kind NATURAL_PERSON,omitempty,cn_idcard,adult"`
	Mobile     string     `json:"mobile,omitempty" validate:"required_if=Kind NATURAL_PERSON,omitempty,cn_mobile"`
	Email      string     `json:"email,omitempty" validate:"omitempty,email,max=254"`
	CreditCode string     `json:"creditCode,omitempty" validate:"required_if=Kind ENTERPRISE,omitempty,uscc"`
	// Representative is required for an enterprise (a form rule).
	Representative *Representative `json:"representative,omitempty" validate:"omitempty"`
	Contribution   Contribution    `json:"contribution" validate:"required"`
}

// Representative is an enterprise shareholder's own legal representative,
// who confirms the application on the enterprise's behalf.
type Representative struct {
	Name     string `json:"name" validate:"required,max=50,person_name"`
	IDNumber string `json:"idNumber" validate:"required,cn_idcard,adult"`
	Mobile   string `json:"mobile" validate:"required,cn_mobile"`
	Email    string `json:"email,omitempty" validate:"omitempty,email,max=254"`
}

// Contribution is a shareholder's subscribed capital contribution.
type Contribution struct {
	Amount  int64  `json:"amount" validate:"gt=0"` // whole yuan
	Method  string `json:"method" validate:"required,oneof=CURRENCY IN_KIND INTELLECTUAL_PROPERTY LAND_USE_RIGHT EQUITY"`
	DueDate string `json:"dueDate" validate:"required,date,not_past"`
}

// Officer is a director, supervisor or the manager. Mobile (and Email,
// where given) is where the officer's confirmation link is sent.
type Officer struct {
	Name     string `json:"name" validate:"required,max=50,person_name"`
	IDNumber string `json:"idNumber" validate:"required,cn_idcard,adult"`
	Mobile   string `json:"mobile" validate:"required,cn_mobile"`
	Email    string `json:"email,omitempty" validate:"omitempty,email,max=254"`
	Role     string `json:"role" validate:"required,max=30,plain_text"`
}

// Contact is a person the agencies contact: finance officer, tax handler,
// liaison.
type Contact struct {
	Name     string `json:"name" validate:"required,max=50,person_name"`
	IDNumber string `json:"idNumber" validate:"required,cn_idcard,adult"`
	Mobile   string `json:"mobile" validate:"required,cn_mobile"`
	Email    string `json:"email,omitempty" validate:"omitempty,email,max=254"`
}

// SealType is a kind of official seal.
type SealType string

const (
	SealOfficial SealType = "OFFICIAL"
	SealFinance  SealType = "FINANCE"
	SealInvoice  SealType = "INVOICE"
	SealContract SealType = "CONTRACT"
	SealLegalRep SealType = "LEGAL_REP"
)

// Seals says which seals to carve and where.
type Seals struct {
	Types       []SealType `json:"types" validate:"required,min=1,max=5,unique,official_seal,dive,oneof=OFFICIAL FINANCE INVOICE CONTRACT LEGAL_REP"`
	CarvingShop string     `json:"carvingShop" validate:"required,max=100,name_text"`
}

// Tax is the tax registration block.
type Tax struct {
	TaxpayerType string    `json:"taxpayerType" validate:"required,oneof=SMALL_SCALE GENERAL"`
	Invoices     []Invoice `json:"invoices" validate:"omitempty,max=2,unique=Kind,dive"`
}

// Invoice kinds for the first invoice grant.
const (
	InvoiceSpecialVAT  = "SPECIAL_VAT"
	InvoiceOrdinaryVAT = "ORDINARY_VAT"
)

// Invoice is one requested first-time invoice grant.
type Invoice struct {
	Kind            string `json:"kind" validate:"required,oneof=SPECIAL_VAT ORDINARY_VAT"`
	MonthlyQuantity int    `json:"monthlyQuantity" validate:"gt=0"`
	MaxAmount       int64  `json:"maxAmount" validate:"gt=0,invoice_amount"` // yuan per invoice
}

// Employment is the block shared by social insurance, medical insurance and
// the housing provident fund.
type Employment struct {
	Employees           int     `json:"employees" validate:"min=0,max=100000"`
	SocialInsuranceFrom string  `json:"socialInsuranceFrom" validate:"required,date"`
	HousingFundRate     float64 `json:"housingFundRate" validate:"fund_rate"` // percent, 5–12
	Medical             bool    `json:"medical"`                              // enrol employees in basic medical insurance
}

// Bank is the account-opening appointment.
type Bank struct {
	BankCode        string `json:"bankCode" validate:"required,bank_code"`     // CNAPS bank code, 3 digits
	BranchCode      string `json:"branchCode" validate:"required,branch_code"` // CNAPS branch number, 12 digits
	AppointmentDate string `json:"appointmentDate" validate:"required,date,not_past,workday"`
	Slot            string `json:"slot" validate:"required,oneof=AM PM"`
}

// Consent is the applicant's declaration.
type Consent struct {
	Truthful    bool `json:"truthful" validate:"accepted"`
	DataSharing bool `json:"dataSharing" validate:"accepted"`
}
