// Package validate checks the one form: a strict JSON decoder runs first,
// then the rules of the form's `validate` struct tags (engine.go; the
// names of go-playground/validator's rules, and Kaiban's custom tags) and
// the struct-level rules. Every failing field is reported at once as a
// *kaiban.Error whose Fields carry JSON paths (shareholders[1].idNumber),
// stable codes (the tag) and messages in Chinese (default) or English.
//
// The rules and where each reports:
//
//	company.name                     company_name  name = region + tradeName + industry + orgForm
//	company.nameParts.region         name_region   the address's city or county (沈阳 for 2101xx)
//	every name                       (normalised to NFKC first and stored so; see charset.go)
//	company.name, carving shop, enterprise names name_text no invisible characters, radicals or
//	                                               compatibility ideographs
//	company.nameParts.tradeName      trade_name    ≥ 2 standard Chinese characters (U+4E00–9FFF)
//	company.nameParts.region/industry han          standard Chinese characters
//	person names                     person_name   Chinese characters of any unified block or
//	                                               Latin letters, joined by 「·」, space or hyphen
//	company.nameParts.orgForm        org_form      matches company.type (LLC → 有限公司 …)
//	company.registeredCapital        capital_sum   contributions sum exactly to it (reported on
//	                                               the capital, not on a shareholder, because no
//	                                               single contribution is the wrong one)
//	shareholders                     llc_holders   an LLC has 1–50 shareholders
//	shareholders[i].idNumber         unique_holder the same holder twice (the later entries)
//	shareholders[i].contribution.dueDate capital_due LLC capital paid within 5 years of founding
//	legalRepresentative              legal_rep_office a director or the manager (same ID; companies only)
//	*.idNumber of every person       adult         ≥ 18 on the submission date (legal representative,
//	                                               natural-person shareholders, directors, supervisors,
//	                                               manager, finance officer, tax handler, liaison)
//	seals.types                      official_seal contains OFFICIAL; unique: no duplicates
//	tax.invoices[i].monthlyQuantity  invoice_quantity special VAT ≤ 25, ordinary ≤ 50 a month
//	tax.invoices[i].maxAmount        invoice_amount ≤ ¥100,000 per invoice
//	employment.housingFundRate       fund_rate     5–12 %
//	bank.bankCode                    bank_code     the 3-digit CNAPS bank code (see bank.go)
//	bank.branchCode                  branch_code   the 12-digit CNAPS branch number (联行号)
//	                                 branch_bank   … starting with the bank code
//	                                 branch_city   … a branch of the company's city (shared/refdata)
//	seals.carvingShop                carving_shop  an engraver of the company's city (shared/refdata)
//	bank.appointmentDate             not_past, workday (PRC calendar, see calendar.go)
//	                                 bank_window   at most 60 days ahead (windows: see dates.go)
//	employment.socialInsuranceFrom   si_window     submission month's first day to a year ahead
//	shareholders[i].contribution.dueDate due_window within the operating term, ≤ 50 years
//	consent.truthful/dataSharing     accepted      both true
//
// The founding date of the 5-year rule is the submission date: the service
// registers a company within half a working day of submission.
package validate
