package validate

import (
	"slices"
	"strings"

	"github.com/kaiban/kaiban/shared/cnid"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// orgForms lists the organisational forms (组织形式) Kaiban accepts at the
// end of a name for each company type: the statutory wording for LLCs and
// joint-stock companies, and the common forms used by sole proprietorships
// and partnerships. Extend the lists when a registration office asks.
var orgForms = map[kaiban.CompanyType][]string{
	kaiban.CompanyLLC:                {"有限公司", "有限责任公司"},
	kaiban.CompanyJointStock:         {"股份有限公司", "股份公司"},
	kaiban.CompanySoleProprietorship: {"厂", "店", "馆", "部", "中心", "工作室", "商行", "经营部"},
	kaiban.CompanyPartnership:        {"（普通合伙）", "（有限合伙）", "合伙企业", "中心（普通合伙）", "中心（有限合伙）"},
}

// companyRules checks the name structure: 行政区划 + 字号 + 行业/经营特点 +
// 组织形式. The parts' own tags check that each is Chinese; here the parts
// are checked against the rest of the company block.
func companyRules(sl *structLevel) {
	c, ok := sl.current.Interface().(kaiban.Company)
	if !ok {
		return
	}
	p := c.NameParts
	if names := cnid.RegionNames(c.Address.RegionCode); names != nil && p.Region != "" && !slices.Contains(names, p.Region) {
		region, _ := cnid.LookupRegion(c.Address.RegionCode)
		sl.report("nameParts.region", "name_region", strings.TrimSuffix(region.City, "市"))
	}
	if forms, known := orgForms[c.Type]; known && p.OrgForm != "" && !slices.Contains(forms, p.OrgForm) {
		sl.report("nameParts.orgForm", "org_form", strings.Join(forms, "、"))
	}
	complete := p.Region != "" && p.TradeName != "" && p.Industry != "" && p.OrgForm != ""
	if want := p.Region + p.TradeName + p.Industry + p.OrgForm; complete && c.Name != "" && c.Name != want {
		sl.report("name", "company_name", want)
	}
}
