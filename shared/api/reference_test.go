package api_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// The pickers' lists answer anyone, cacheably, in the request's language.
func TestReferenceLists(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct {
		name, path, city, lang string
		want                   []string // substrings of the body
	}{
		{"regions", "/v1/reference/regions", "", "", []string{`"code":"2101","name":"沈阳市"`, `{"code":"210112","name":"浑南区","postalCode":"110179"}`, `"code":"211481","name":"兴城市"`}},
		{"banks of Shenyang", "/v1/reference/banks", "2101", "", []string{`"city":"2101"`, `{"code":"102","name":"中国工商银行"}`, `{"code":"102221000010","bankCode":"102","cityCode":"2101","name":"中国工商银行沈阳分行营业部"}`}},
		{"banks by county, in English", "/v1/reference/banks", "210112", "en", []string{`"city":"2101"`, `{"code":"102","name":"Industrial and Commercial Bank of China"}`}},
		{"engravers of Dalian", "/v1/reference/engravers", "2102", "", []string{`"city":"2102"`, `"name":"大连市中山区鑫诚印章刻制有限公司"`, `"licence":"辽公大刻字第210202101号"`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp := e.do(t, req{method: "GET", path: tt.path, query: map[string]string{"city": tt.city}, headers: map[string]string{"Accept-Language": tt.lang}})
			if resp.StatusCode != 200 || resp.Headers["Cache-Control"] != "public, max-age=3600" || resp.Headers["Vary"] != "Accept-Language" {
				t.Fatalf("%d %v %.300s", resp.StatusCode, resp.Headers, resp.Body)
			}
			for _, w := range tt.want {
				if !strings.Contains(resp.Body, w) {
					t.Errorf("body lacks %s", w)
				}
			}
		})
	}
	dalian := e.do(t, req{method: "GET", path: "/v1/reference/banks", query: map[string]string{"city": "2102"}})
	if strings.Contains(dalian.Body, `"cityCode":"2101"`) {
		t.Error("Dalian's branches include Shenyang's")
	}
}

// A missing or unknown city is a 400 on the parameter, never cached.
func TestReferenceBadCity(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/v1/reference/banks", "/v1/reference/engravers"} {
		for _, city := range []string{"", "2199", "110105", "210100", "<b>"} {
			for _, lang := range []string{"zh", "en"} {
				resp := e.do(t, req{method: "GET", path: path, query: map[string]string{"city": city}, headers: map[string]string{"Accept-Language": lang}})
				var b struct {
					Errors []struct{ Field, Code, Message string }
				}
				_ = json.Unmarshal([]byte(resp.Body), &b)
				if resp.StatusCode != 400 || resp.Headers["Cache-Control"] != "no-store" || len(b.Errors) != 1 || b.Errors[0].Field != "city" || b.Errors[0].Code != "ln_city" {
					t.Fatalf("%s?city=%s: %d %v %s", path, city, resp.StatusCode, resp.Headers, resp.Body)
				}
				if en := strings.HasPrefix(b.Errors[0].Message, "city must"); en != (lang == "en") {
					t.Errorf("%s: message %q", lang, b.Errors[0].Message)
				}
			}
		}
	}
}

// The status lists the permits the business scope needs, once each, with
// the authority, in the request's language.
func TestStatusListsPermits(t *testing.T) {
	e := newEnv(t)
	body := strings.Replace(string(validForm(t)), `"businessScope": ["I001", "I002", "I003", "M001", "F011"]`,
		`"businessScope": ["I001", "F014", "G004", "H001"]`, 1)
	s := e.submit(t, nil, body)
	for _, tt := range []struct{ lang, want string }{
		{"zh", `"permits":[{"permit":"食品经营许可证","authority":"市场监督管理局","items":["食品销售","餐饮服务"]},{"permit":"道路运输经营许可证","authority":"交通运输局","items":["道路货物运输（不含危险货物）"]}]`},
		{"en", `{"permit":"Road transport business licence","authority":"Transport Bureau","items":["Road freight transport (excluding dangerous goods)"]}`},
	} {
		resp := e.do(t, req{method: "GET", path: s.StatusURL, headers: map[string]string{"Authorization": "Bearer " + s.AccessToken, "Accept-Language": tt.lang}})
		if resp.StatusCode != 200 || !strings.Contains(resp.Body, tt.want) {
			t.Errorf("%s: %d %s\nwant %s", tt.lang, resp.StatusCode, resp.Body, tt.want)
		}
	}
	plain := e.submit(t, map[string]string{"Idempotency-Key": "other"}, string(validForm(t)))
	resp := e.do(t, req{method: "GET", path: plain.StatusURL, headers: map[string]string{"Authorization": "Bearer " + plain.AccessToken}})
	if !strings.Contains(resp.Body, `"permits":[]`) {
		t.Errorf("general items only: %s", resp.Body)
	}
}
