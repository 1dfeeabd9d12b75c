package validate

import (
	"strings"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// The bank block names the bank and the branch by their numbers in the
// People's Bank of China's payment system (CNAPS), as account-opening
// forms do:
//
//   - bankCode is the 3-digit bank code (行别代码): 102 ICBC, 103 ABC,
//     104 BOC, 105 CCB, 301 BOCOM, 403 PSBC, …
//   - branchCode is the branch's 12-digit payment system number (联行号):
//     the 3-digit bank code, a 4-digit city code (2210 Shenyang), a 4-digit
//     branch sequence and a check digit, e.g. 102221000010.
//
// The tags bank_code and branch_code check the formats; bankRules checks
// that the branch belongs to the bank. The check digit is not verified:
// its algorithm is not published, and the bank itself answers an unknown
// branch when the appointment is booked.

// bankRules: the branch number starts with the bank's code. Reported on
// the branch, with the bank code the applicant chose.
func bankRules(sl *structLevel) {
	b, ok := sl.current.Interface().(kaiban.Bank)
	if !ok {
		return
	}
	if len(b.BankCode) != BankCodeDigits || !allDigits(b.BankCode) ||
		len(b.BranchCode) != BranchCodeDigits || !allDigits(b.BranchCode) {
		return // the fields' own tags report it
	}
	if !strings.HasPrefix(b.BranchCode, b.BankCode) {
		sl.report("branchCode", "branch_bank", b.BankCode)
	}
}
