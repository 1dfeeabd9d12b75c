package documents

import (
	"crypto/sha256"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

func TestCapitalZH(t *testing.T) {
	cases := map[int64]string{
		1:           "壹元整",
		10:          "壹拾元整",
		101:         "壹佰零壹元整",
		30000:       "叁万元整",
		100500:      "壹拾万零伍佰元整",
		1000000:     "壹佰万元整",
		1005000:     "壹佰万零伍仟元整",
		10000001:    "壹仟万零壹元整",
		12345678:    "壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元整",
		100000000:   "壹亿元整",
		100010000:   "壹亿零壹万元整",
		20000000000: "贰佰亿元整",
	}
	for n, want := range cases {
		if got := capitalZH(n); got != want {
			t.Errorf("capitalZH(%d) = %s, want %s", n, got, want)
		}
	}
}

func TestNumberZH(t *testing.T) {
	cases := map[int]string{1: "一", 10: "十", 11: "十一", 20: "二十", 24: "二十四", 100: "一百", 101: "一百零一", 110: "一百一十"}
	for n, want := range cases {
		if got := numberZH(n); got != want {
			t.Errorf("numberZH(%d) = %s, want %s", n, got, want)
		}
	}
}

// The PDF library writes into the font bytes it is given; rendering must
// leave the embedded fonts as they were, or the next document differs.
func TestRenderingLeavesTheFontsUntouched(t *testing.T) {
	before, latinBefore := sha256.Sum256(fonts().cjk), sha256.Sum256(fonts().latin)
	app := kaiban.Application{CreditCode: "91210112MA0Y4K8L2X"}
	app.Form.Company.Name = "沈阳云启软件科技有限公司"
	app.Form.Company.Type = kaiban.CompanyLLC
	app.Form.Shareholders = []kaiban.Shareholder{{Name: "张伟", Kind: kaiban.HolderNaturalPerson}}
	if _, err := ForSubmission(Input{App: app, IssuedAt: time.Unix(1796000000, 0)}); err != nil {
		t.Fatal(err)
	}
	if sha256.Sum256(fonts().cjk) != before || sha256.Sum256(fonts().latin) != latinBefore {
		t.Fatal("rendering changed the embedded font bytes")
	}
}

func TestWrapKeepsEveryCharacter(t *testing.T) {
	pdf := newPDF(Input{}, false, "t")
	pdf.AddPage()
	setFont(pdf, 11)
	text := "一般项目：软件开发；信息技术咨询服务；信息系统集成服务；技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；软件销售。ABC 123"
	lines := wrap(pdf, text, 40)
	joined := ""
	for _, l := range lines {
		if w := width(pdf, l); w > 40+width(pdf, "，") {
			t.Errorf("line %q is %.1f mm wide, more than 40", l, w)
		}
		for _, r := range noLineStart {
			if len(l) > 0 && []rune(l)[0] == r {
				t.Errorf("line %q starts with closing punctuation", l)
			}
		}
		joined += l
	}
	if joined != text || len(lines) < 4 {
		t.Errorf("wrapped into %d lines %q, which join to %q", len(lines), lines, joined)
	}
}
