//go:build ignore

// gen writes the simulated bank branch list (branches.tsv) and seal
// engraver list (engravers.tsv) of Liaoning from the region table, so the
// lists are reproducible and cover every city. Run with go generate.
//
// Neither list is real: the branch names follow the banks' naming
// (分行营业部, …支行) and the numbers the CNAPS layout (bank code, city
// code, sequence, check digit 0), and the engravers are invented shops
// with invented licence numbers. A few entries are pinned because the
// example forms and the simulators' triggers use them.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/kaiban/kaiban/shared/cnid"
)

// banks are the banks the form offers, by CNAPS bank code.
var banks = []struct{ code, zh string }{
	{"102", "中国工商银行"}, {"103", "中国农业银行"}, {"104", "中国银行"},
	{"105", "中国建设银行"}, {"301", "交通银行"}, {"403", "中国邮政储蓄银行"},
}

// cnapsCity maps a GB/T 2260 city code to the four-digit city code of
// the payment system's branch numbers. Shenyang's 2210 is the one the
// example forms use; the others are simulated in the same series.
var cnapsCity = map[string]string{
	"2101": "2210", "2102": "2220", "2103": "2230", "2104": "2240", "2105": "2250",
	"2106": "2260", "2107": "2270", "2108": "2280", "2109": "2290", "2110": "2310",
	"2111": "2320", "2112": "2330", "2113": "2340", "2114": "2350",
}

// pinnedBranches are used by the example forms, the tests and the bank
// simulator's unavailable-branch trigger (a number ending in 999).
var pinnedBranches = []string{
	"102221000123\t102\t2101\t中国工商银行沈阳和平支行北市场分理处",
	"102221000999\t102\t2101\t中国工商银行沈阳浑南支行自贸区分理处",
	"105221000128\t105\t2101\t中国建设银行沈阳浑南支行创新路分理处",
}

// pinnedEngravers are the carving shops of the example forms.
var pinnedEngravers = []string{
	"2101\t沈阳市浑南区诚信印章刻制有限公司\t辽公沈刻字第210112001号\t浑南区创新路199号",
	"2101\t沈阳市浑南区诚信印章刻制（普通合伙）\t辽公沈刻字第210112002号\t浑南区智慧二街16号",
	"2101\t沈阳市和平区诚信刻章社\t辽公沈刻字第210102001号\t和平区南京北街36号",
}

var shopWords = []string{"鑫诚", "同信", "金石"}
var streets = []string{"中华路", "人民街", "建设大路", "解放路", "新华街"}

func main() {
	out := flag.String("out", ".", "directory to write branches.tsv and engravers.tsv to")
	flag.Parse()
	var br, en strings.Builder
	br.WriteString(`# Bank branches (开户网点) of Liaoning offered by the account-opening
# picker. SIMULATED data, written by gen.go (go generate): names follow the
# banks' naming and numbers the CNAPS layout (3-digit bank code, 4-digit
# city code, 4-digit sequence, check digit), but no line is a real branch.
# Columns: 12-digit branch number (联行号), bank code, GB/T 2260 city code,
# branch name.
`)
	en.WriteString(`# Seal engravers (印章刻制企业) registered with the public security bureau
# of each Liaoning city, offered by the seal picker. SIMULATED data, written
# by gen.go (go generate): invented shops, licence numbers and addresses.
# Columns: GB/T 2260 city code, name, licence number, address.
`)
	pinnedB := map[string][]string{}
	for _, p := range pinnedBranches {
		city := strings.Split(p, "\t")[2]
		pinnedB[city] = append(pinnedB[city], p)
	}
	pinnedE := map[string][]string{}
	for _, p := range pinnedEngravers {
		city := strings.Split(p, "\t")[0]
		pinnedE[city] = append(pinnedE[city], p)
	}
	for _, city := range cnid.Cities() {
		short := strings.TrimSuffix(city.Name, "市")
		var districts []cnid.Region
		for _, r := range allCounties() {
			if r.CityCode == city.Code {
				districts = append(districts, r)
			}
		}
		for _, b := range banks {
			seq := 1
			line := func(name string) {
				fmt.Fprintf(&br, "%s%s%04d0\t%s\t%s\t%s\n", b.code, cnapsCity[city.Code], seq, b.code, city.Code, name)
				seq++
			}
			line(b.zh + short + "分行营业部")
			for i, d := range districts {
				if i >= 3 {
					break
				}
				line(b.zh + short + strings.TrimSuffix(strings.TrimSuffix(d.Name, "区"), "县") + "支行")
			}
		}
		for _, p := range pinnedB[city.Code] {
			br.WriteString(p + "\n")
		}
		for _, p := range pinnedE[city.Code] {
			en.WriteString(p + "\n")
		}
		for i, w := range shopWords {
			d := districts[i%len(districts)]
			fmt.Fprintf(&en, "%s\t%s%s%s印章刻制有限公司\t辽公%s刻字第%s%03d号\t%s%s%d号\n",
				city.Code, city.Name, d.Name, w, short[:3], d.Code, 101+i, d.Name, streets[i%len(streets)], 18+7*i)
		}
	}
	must(os.WriteFile(filepath.Join(*out, "branches.tsv"), []byte(br.String()), 0o644))
	must(os.WriteFile(filepath.Join(*out, "engravers.tsv"), []byte(en.String()), 0o644))
}

// allCounties lists the county-level divisions in code order.
func allCounties() []cnid.Region {
	var rs []cnid.Region
	for _, c := range cnid.Cities() {
		for n := 1; n < 100; n++ {
			if r, ok := cnid.LookupRegion(fmt.Sprintf("%s%02d", c.Code, n)); ok {
				rs = append(rs, r)
			}
		}
	}
	return rs
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
