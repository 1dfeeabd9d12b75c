package documents_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/kaiban/kaiban/shared/documents"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// bundle renders every document of app, as the workflow would: the
// submission's documents, then each track's.
func bundle(t testing.TB, app kaiban.Application) []documents.Rendered {
	t.Helper()
	in := documents.Input{App: app, VerifyURL: testVerifyURL, IssuedAt: issued}
	out, err := documents.ForSubmission(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range kaiban.Tracks {
		d, err := documents.ForTrack(in, tr)
		if err != nil {
			t.Fatalf("%s: %v", tr, err)
		}
		out = append(out, d...)
	}
	return out
}

var (
	exampleOnce sync.Once
	exampleDocs []documents.Rendered
)

// exampleBundle is the example LLC's bundle, rendered once for the tests
// that only read it (rendering is slow under the race detector).
func exampleBundle(t *testing.T) []documents.Rendered {
	exampleOnce.Do(func() { exampleDocs = bundle(t, completedApp(t, exampleForm(t))) })
	if exampleDocs == nil {
		t.Fatal("the example bundle did not render")
	}
	return exampleDocs
}

func byKind(docs []documents.Rendered, k kaiban.DocumentKind) []documents.Rendered {
	var out []documents.Rendered
	for _, d := range docs {
		if d.Kind == k {
			out = append(out, d)
		}
	}
	return out
}

// pdfText extracts the text of a PDF with poppler's pdftotext, with all
// white space removed (the layout puts line breaks inside sentences).
func pdfText(t *testing.T, body []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		skipOrFail(t, "pdftotext (poppler-utils) is not installed: apt-get install poppler-utils")
	}
	p := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(p, body, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", p, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), "")
}

func TestEveryKindForBothLLCs(t *testing.T) {
	cases := []struct {
		name     string
		form     kaiban.Form
		decision string   // title of the founding decision
		articles []string // what the articles must say
		not      []string // and must not
	}{
		{"two holders", exampleForm(t), "股东会决议",
			[]string{"股东会会议由股东按照出资比例行使表决权", "股东张伟，以货币认缴出资600,000元，占注册资本的60.00%", "股东李娜", "不设监事会，设监事一名"},
			[]string{"公司不设股东会"}},
		{"one person", onePersonForm(t), "股东决定",
			[]string{"本公司为一人有限责任公司", "公司不设股东会", "应当采用书面形式", "不设监事会或者监事"},
			[]string{"股东会会议由股东按照出资比例行使表决权", "李娜"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var docs []documents.Rendered
			if c.name == "two holders" {
				docs = exampleBundle(t)
			} else {
				docs = bundle(t, completedApp(t, c.form))
			}
			var kinds []kaiban.DocumentKind
			files := map[string]bool{}
			for _, d := range docs {
				if files[d.Filename] || !strings.HasPrefix(d.Filename, string(d.Kind)) {
					t.Errorf("%s %s: file name %q repeated or not after its kind", d.Kind, d.Key, d.Filename)
				}
				files[d.Filename] = true
				if !slices.Contains(kinds, d.Kind) {
					kinds = append(kinds, d.Kind)
				}
				if len(d.Body) == 0 || d.Title == "" || d.TitleEN == "" {
					t.Errorf("%s %s: empty body or title", d.Kind, d.Key)
				}
				wantPDF := d.Kind != kaiban.DocSeal
				if wantPDF != (d.MediaType == "application/pdf" && bytes.HasPrefix(d.Body, []byte("%PDF-"))) {
					t.Errorf("%s: media type %s, body starts %q", d.Kind, d.MediaType, d.Body[:8])
				}
			}
			slices.Sort(kinds)
			want := slices.Clone(kaiban.DocumentKinds)
			slices.Sort(want)
			if !slices.Equal(kinds, want) {
				t.Fatalf("kinds %v, want %v", kinds, want)
			}
			var keys []string
			for _, s := range byKind(docs, kaiban.DocSeal) {
				keys = append(keys, s.Key)
			}
			var ordered []string
			for _, s := range c.form.Seals.Types {
				ordered = append(ordered, string(s))
			}
			if !slices.Equal(keys, ordered) {
				t.Errorf("seal keys %v, want the ordered %v", keys, ordered)
			}

			art := pdfText(t, byKind(docs, kaiban.DocArticles)[0].Body)
			for _, s := range append(c.articles, c.form.Company.Name+"章程", "五年内缴足", "首任法定代表人为张伟") {
				if !strings.Contains(art, s) {
					t.Errorf("articles lack %q", s)
				}
			}
			for _, s := range c.not {
				if strings.Contains(art, s) {
					t.Errorf("articles say %q", s)
				}
			}
			dec := byKind(docs, kaiban.DocShareholderDecision)[0]
			decText := pdfText(t, dec.Body)
			if dec.Title != c.decision || !strings.Contains(decText, c.form.Company.Name+c.decision) {
				t.Errorf("decision titled %q, want %q", dec.Title, c.decision)
			}
			officers := []string{"由张伟担任公司法定代表人", "聘任陈静为公司财务负责人", "选举张伟为公司执行董事"}
			if len(c.form.Supervisors) > 0 {
				officers = append(officers, "选举李娜为公司监事", "聘任王磊为公司经理")
			} else {
				officers = append(officers, "不设监事会或者监事")
			}
			for _, s := range officers {
				if !strings.Contains(decText, s) {
					t.Errorf("decision lacks %q", s)
				}
			}
		})
	}
}

func TestLicenceShowsTheParticulars(t *testing.T) {
	docs := exampleBundle(t)
	lic := byKind(docs, kaiban.DocLicense)
	if len(lic) != 1 {
		t.Fatalf("%d licences", len(lic))
	}
	text := pdfText(t, lic[0].Body)
	for _, s := range []string{"营业执照", "统一社会信用代码", testCreditCode, "沈阳云启软件科技有限公司",
		"有限责任公司（自然人投资或控股）", "张伟", "人民币壹佰万元整", "2026年12月06日至长期",
		"沈阳市浑南区创新路196号2门1203室", "沈阳市浑南区市场监督管理局", testVerifyURL,
		// the whole business scope, no character lost at a line break
		"一般项目：软件开发；信息技术咨询服务；信息系统集成服务；技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；软件销售（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）。"} {
		if !strings.Contains(text, s) {
			t.Errorf("licence lacks %q in %q", s, text)
		}
	}
}

func TestNoticesCarryTheTracksResults(t *testing.T) {
	docs := exampleBundle(t)
	cases := []struct {
		kind kaiban.DocumentKind
		want []string
	}{
		{kaiban.DocTaxNotice, []string{"税务登记通知书", "纳税人识别号" + testCreditCode, "国家税务总局沈阳市浑南区税务局", "小规模纳税人",
			"增值税专用发票：每月10份，单份最高开票限额100,000元", "增值税普通发票：每月25份"}},
		{kaiban.DocSocialInsuranceNotice, []string{"社会保险登记通知书", "SI2101120045678", "沈阳市人力资源和社会保障局", "2026年12月01日"}},
		{kaiban.DocMedicalInsuranceNotice, []string{"医疗保险参保登记通知书", "MI2101120098765", "沈阳市医疗保障局"}},
		{kaiban.DocHousingFundNotice, []string{"住房公积金缴存登记通知书", "HF2101120011223", "沈阳市住房公积金管理中心", "12%"}},
		{kaiban.DocBankAppointment, []string{"银行开户预约单", "BK20270106-0042", "中国工商银行", "102221000010", "2027年01月06日上午09:00–12:00"}},
	}
	for _, c := range cases {
		t.Run(string(c.kind), func(t *testing.T) {
			d := byKind(docs, c.kind)
			if len(d) != 1 {
				t.Fatalf("%d documents", len(d))
			}
			text := pdfText(t, d[0].Body)
			for _, s := range append(c.want, "沈阳云启软件科技有限公司", testCreditCode) {
				if !strings.Contains(text, s) {
					t.Errorf("lacks %q in %q", s, text)
				}
			}
		})
	}
}

// svgDoc is the part of a seal the checks read.
type svgDoc struct {
	XMLName xml.Name `xml:"svg"`
	Title   string   `xml:"title"`
	Desc    string   `xml:"desc"`
	G       struct {
		Fill string `xml:"fill,attr"`
	} `xml:"g"`
}

func TestSealsAreValidSVGWithNameAndFilingCode(t *testing.T) {
	f := onePersonForm(t)
	f.Company.Name = "沈阳A&B<云启>软件科技有限公司" // markup characters must come out escaped
	app := completedApp(t, f)
	var filing kaiban.SealFiling
	if err := jsonUnmarshal(app.Track(kaiban.TrackSeal).Result, &filing); err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{}
	for _, s := range filing.Seals {
		codes[string(s.Type)] = s.FilingCode
	}
	seals := byKind(bundle(t, app), kaiban.DocSeal)
	if len(seals) != 5 {
		t.Fatalf("%d seals", len(seals))
	}
	for _, s := range seals {
		t.Run(s.Key, func(t *testing.T) {
			if s.MediaType != "image/svg+xml" {
				t.Errorf("media type %s", s.MediaType)
			}
			// Well-formed from the first token to the last.
			dec := xml.NewDecoder(bytes.NewReader(s.Body))
			for {
				_, err := dec.Token()
				if errors.Is(err, errEOF) {
					break
				}
				if err != nil {
					t.Fatalf("not well-formed XML: %v\n%s", err, s.Body)
				}
			}
			var doc svgDoc
			if err := xml.Unmarshal(s.Body, &doc); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(doc.Title, f.Company.Name) || !strings.Contains(doc.Desc, codes[s.Key]) {
				t.Errorf("title %q desc %q: want the company name and filing code %s", doc.Title, doc.Desc, codes[s.Key])
			}
			if doc.G.Fill != "#d00" {
				t.Errorf("fill %q, want #d00", doc.G.Fill)
			}
			body := string(s.Body)
			label := func(text string) bool { return strings.Contains(body, `<g aria-label="`+text+`">`) }
			name := "沈阳A&amp;B&lt;云启&gt;软件科技有限公司"
			switch kaiban.SealType(s.Key) {
			case kaiban.SealOfficial, kaiban.SealContract:
				if !strings.Contains(body, "<circle") || !label(name) || !label(codes[s.Key]) {
					t.Errorf("round seal without ring, name or filing code:\n%s", body)
				}
			case kaiban.SealInvoice:
				if !strings.Contains(body, "<ellipse") || !label(name) || !label(testCreditCode) || !label("发票专用章") {
					t.Errorf("invoice seal without oval, taxpayer ID or title:\n%s", body)
				}
			case kaiban.SealFinance:
				if !strings.Contains(body, "<rect") || !label("财务专用章") || !label(codes[s.Key]) {
					t.Errorf("finance seal without square, title or filing code:\n%s", body)
				}
			case kaiban.SealLegalRep:
				if !label("张伟之印") {
					t.Errorf("name seal without 张伟之印:\n%s", body)
				}
			}
			// Letters are outlines, not text in the viewer's fonts.
			if strings.Contains(body, "<text") {
				t.Errorf("seal uses SVG text although the fonts have every letter")
			}
		})
	}
}

func TestSameInputSameBytes(t *testing.T) {
	app := completedApp(t, exampleForm(t))
	a, b := exampleBundle(t), bundle(t, app)
	for i := range a {
		if !bytes.Equal(a[i].Body, b[i].Body) {
			t.Errorf("%s %s: two renders differ", a[i].Kind, a[i].Key)
		}
	}
	// The issue time is the PDFs' creation date: another time, other bytes.
	in := documents.Input{App: app, VerifyURL: testVerifyURL, IssuedAt: issued.Add(24 * 60 * 60 * 1e9)}
	later, err := documents.ForTrack(in, kaiban.TrackTax)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(later[0].Body, byKind(a, kaiban.DocTaxNotice)[0].Body) {
		t.Error("a later issue time renders the same bytes")
	}
}

func TestConcurrentRendersAgree(t *testing.T) {
	app := completedApp(t, exampleForm(t))
	want := exampleBundle(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 3; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got := bundle(t, app)
			for i := range want {
				if !bytes.Equal(got[i].Body, want[i].Body) {
					errs <- fmt.Errorf("%s %s differs when rendered concurrently", want[i].Kind, want[i].Key)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestRefusedInputs(t *testing.T) {
	app := completedApp(t, exampleForm(t))
	noResult := app
	noResult.Tracks = kaiban.NewTracks()
	longURL := documents.Input{App: app, VerifyURL: "https://kaiban.example/verify/" + strings.Repeat("x", 5000), IssuedAt: issued}
	cases := []struct {
		name  string
		in    documents.Input
		track kaiban.TrackName
	}{
		{"unknown track", documents.Input{App: app, IssuedAt: issued}, "names"},
		{"track without a result", documents.Input{App: noResult, IssuedAt: issued}, kaiban.TrackTax},
		{"verification link too long for a QR code", longURL, kaiban.TrackLicense},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := documents.ForTrack(c.in, c.track)
			if kaiban.ErrorName(err) != kaiban.ErrInput {
				t.Errorf("error %v (%s), want %s", err, kaiban.ErrorName(err), kaiban.ErrInput)
			}
		})
	}
}

func TestOnlyAnLLCGetsGeneratedArticles(t *testing.T) {
	f := exampleForm(t)
	f.Company.Type = kaiban.CompanyJointStock
	docs, err := documents.ForSubmission(documents.Input{App: completedApp(t, f), IssuedAt: issued})
	if err != nil || len(docs) != 0 {
		t.Errorf("joint-stock company: %d documents, %v; want none", len(docs), err)
	}
}

func TestRareCharactersInNames(t *testing.T) {
	f := exampleForm(t)
	// 龘 is not in the font subset: an empty box on paper, the character
	// in the text layer. 𠀀 (Extension B) is beyond what the PDF library
	// maps: it prints as 〓.
	f.Company.Name = "沈阳龘𠀀软件科技有限公司"
	f.LegalRepresentative.Name = "阿卜杜·龘𠀀"
	docs := bundle(t, completedApp(t, f))
	text := pdfText(t, byKind(docs, kaiban.DocLicense)[0].Body)
	for _, s := range []string{"沈阳龘〓软件科技有限公司", "阿卜杜·龘〓"} {
		if !strings.Contains(text, s) {
			t.Errorf("licence lacks %q in %q", s, text)
		}
	}
	// The seal draws letters the fonts lack as SVG text, in the viewer's
	// fonts, and keeps the name as written.
	seal := string(byKind(docs, kaiban.DocSeal)[0].Body)
	if !strings.Contains(seal, `aria-label="沈阳龘𠀀软件科技有限公司"`) || !strings.Contains(seal, ">𠀀</text>") || !strings.Contains(seal, ">龘</text>") {
		t.Errorf("the SVG seal does not keep the name as written:\n%s", seal)
	}
}
