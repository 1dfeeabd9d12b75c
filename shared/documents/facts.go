package documents

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/kaiban/kaiban/shared/bizscope"
	"github.com/kaiban/kaiban/shared/cnid"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/refdata"
)

// beijing is China Standard Time. A fixed zone: the rendering function has
// no zoneinfo database to load Asia/Shanghai from.
var beijing = time.FixedZone("CST", 8*3600)

// blank stands in for a particular a track's result does not give.
const blank = "—"

// dateZH prints t as 2026年12月06日 in Beijing time.
func dateZH(t time.Time) string {
	if t.IsZero() {
		return blank
	}
	return t.In(beijing).Format("2006年01月02日")
}

// isoDateZH prints a form date (YYYY-MM-DD) as 2030年12月31日.
func isoDateZH(s string) string {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return orBlank(s)
	}
	return t.Format("2006年01月02日")
}

func orBlank(s string) string {
	if strings.TrimSpace(s) == "" {
		return blank
	}
	return s
}

// region returns the city and the county-level division of the address.
func region(f kaiban.Form) (city, county string) {
	r, ok := cnid.LookupRegion(f.Company.Address.RegionCode)
	if !ok {
		return "", ""
	}
	if r.City == r.Name {
		return r.City, ""
	}
	return r.City, r.Name
}

// authority names the local office of a national administration for the
// company's address: the district's market regulation bureau issues the
// licence, the city's bureaus keep the employer registrations.
func authority(f kaiban.Form, county bool, office string) string {
	city, district := region(f)
	if city == "" {
		return office
	}
	if county && district != "" {
		return city + district + office
	}
	return city + office
}

// address is the domicile as the licence prints it: the detail already
// names city and district in the usual form; otherwise they are prefixed.
func address(f kaiban.Form) string {
	d := f.Company.Address.Detail
	city, county := region(f)
	if city != "" && !strings.HasPrefix(d, city) && !strings.HasPrefix(d, "辽宁") {
		d = city + county + d
	}
	return d
}

// companyType is the licence's 类型 line for the form.
func companyType(f kaiban.Form) string {
	holders := f.Shareholders
	natural := 0
	for _, h := range holders {
		if h.Kind == kaiban.HolderNaturalPerson {
			natural++
		}
	}
	switch f.Company.Type {
	case kaiban.CompanyLLC:
		switch {
		case len(holders) == 1 && natural == 1:
			return "有限责任公司（自然人独资）"
		case len(holders) == 1:
			return "有限责任公司（法人独资）"
		case natural > 0:
			return "有限责任公司（自然人投资或控股）"
		}
		return "其他有限责任公司"
	case kaiban.CompanyJointStock:
		return "股份有限公司"
	case kaiban.CompanySoleProprietorship:
		return "个人独资企业"
	case kaiban.CompanyPartnership:
		return "合伙企业"
	}
	return string(f.Company.Type)
}

// onePerson reports a one-person LLC (一人有限责任公司): no shareholders'
// meeting, the holder decides in writing.
func onePerson(f kaiban.Form) bool {
	return f.Company.Type == kaiban.CompanyLLC && len(f.Shareholders) == 1
}

// term is the licence's 营业期限.
func term(f kaiban.Form, founded time.Time) string {
	if f.Company.OperatingTerm <= 0 {
		return dateZH(founded) + " 至 长期"
	}
	end := founded.In(beijing).AddDate(f.Company.OperatingTerm, 0, -1)
	return dateZH(founded) + " 至 " + dateZH(end)
}

// scope is the business scope in the standard wording, items joined as
// the licence prints them; an unknown code prints as given.
func scope(f kaiban.Form) string {
	var general, permit []string
	for _, c := range f.Company.BusinessScope {
		it, ok := bizscope.Lookup(c)
		switch {
		case !ok:
			general = append(general, c)
		case it.PermitRequired:
			permit = append(permit, it.Zh)
		default:
			general = append(general, it.Zh)
		}
	}
	s := ""
	if len(general) > 0 {
		s = "一般项目：" + strings.Join(general, "；") + "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）。"
	}
	if len(permit) > 0 {
		s += "许可项目：" + strings.Join(permit, "；") + "（依法须经批准的项目，经相关部门批准后方可开展经营活动，具体经营项目以相关部门批准文件或许可证件为准）。"
	}
	return s
}

// yuan prints whole yuan with thousands separators: 1,000,000元.
func yuan(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String() + "元"
	}
	return b.String() + "元"
}

// capitalZH prints whole yuan in the capital numerals of money amounts,
// as the licence does: 1,005,000 → 壹佰万零伍仟元整.
func capitalZH(n int64) string {
	if n <= 0 {
		return "零元整"
	}
	digits := []rune("零壹贰叁肆伍陆柒捌玖")
	small := []string{"", "拾", "佰", "仟"}
	big := []string{"", "万", "亿", "万亿", "亿亿"}
	s := fmt.Sprint(n)
	var b strings.Builder
	zero, group := false, false
	for i, c := range s {
		pos := len(s) - 1 - i
		d := c - '0'
		if d == 0 {
			zero = true
		} else {
			if zero && b.Len() > 0 {
				b.WriteRune('零')
			}
			zero = false
			group = true
			b.WriteRune(digits[d])
			b.WriteString(small[pos%4])
		}
		if pos%4 == 0 && group {
			b.WriteString(big[pos/4])
			group = false
		}
	}
	return b.String() + "元整"
}

// method is a contribution method's Chinese name.
func method(m string) string {
	switch m {
	case "CURRENCY":
		return "货币"
	case "IN_KIND":
		return "实物"
	case "INTELLECTUAL_PROPERTY":
		return "知识产权"
	case "LAND_USE_RIGHT":
		return "土地使用权"
	case "EQUITY":
		return "股权"
	}
	return orBlank(m)
}

// bankNames returns the bank's and the branch's names for the form's codes.
func bankNames(bankCode, branchCode string) (bank, branch string) {
	for _, b := range refdata.Banks() {
		if b.Code == bankCode {
			bank = b.Zh
		}
	}
	if br, ok := refdata.LookupBranch(branchCode); ok {
		branch = br.Name
	}
	return orBlank(bank), orBlank(branch)
}

// trackResult decodes the named track's result into v. A track a clerk
// completed by hand stores the clerk's data under "data"; that is decoded
// instead. It reports false when the track has no result.
func trackResult(app kaiban.Application, name kaiban.TrackName, v any) bool {
	t := app.Track(name)
	if t == nil || len(t.Result) == 0 || string(t.Result) == "null" {
		return false
	}
	raw := []byte(t.Result)
	var wrapped struct {
		CompletedByClerk bool            `json:"completedByClerk"`
		Data             json.RawMessage `json:"data"`
	}
	if json.Unmarshal(raw, &wrapped) == nil && wrapped.CompletedByClerk {
		raw = wrapped.Data
	}
	// A result of another shape leaves v's fields empty: they print blank.
	_ = json.Unmarshal(raw, v)
	return true
}

// founded is the date of establishment: the licence's issue time, or the
// document's when the licence track has no result yet (the articles are
// rendered before registration).
func founded(in Input) time.Time {
	var lic kaiban.License
	if trackResult(in.App, kaiban.TrackLicense, &lic) && !lic.IssuedAt.IsZero() {
		return lic.IssuedAt
	}
	return in.IssuedAt
}

// creditCode is the application's credit code, or the licence's.
func creditCode(in Input) string {
	if in.App.CreditCode != "" {
		return in.App.CreditCode
	}
	var lic kaiban.License
	trackResult(in.App, kaiban.TrackLicense, &lic)
	return orBlank(lic.CreditCode)
}
