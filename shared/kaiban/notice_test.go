package kaiban_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/kaiban/kaiban/shared/kaiban"
)

func hasHan(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}

// A stored notice is shown in the reader's language, whichever language
// it was stored in, with a code that does not depend on the language.
func TestLocalizeNotice(t *testing.T) {
	tests := []struct {
		stored, zh, en, code string
	}{
		{"the bank agency is unavailable (HTTP 503)", "开户银行系统暂时不可用（HTTP 503），将自动重试", "the bank agency is unavailable (HTTP 503)", kaiban.NoticeAgencyUnavailableHTTP},
		{"the seal agency did not answer in time", "公安印章备案系统未在规定时间内答复，将自动重试", "the seal agency did not answer in time", kaiban.NoticeAgencyTimeout},
		{"the tax agency is unavailable", "税务系统暂时不可用，将自动重试", "the tax agency is unavailable", kaiban.NoticeAgencyUnavailable},
		{"the fund agency answered with HTTP 429", "住房公积金系统答复异常（HTTP 429），将自动重试", "the fund agency answered with HTTP 429", kaiban.NoticeAgencyBadStatus},
		{"rejected by the market agency", "市场监管未予办理", "rejected by the market agency", kaiban.NoticeAgencyRejected},
		{"the proposed name needs review", "拟用名称需人工审核", "the proposed name needs review", kaiban.NoticeNameNeedsReview},
		{"internal error", "系统内部错误，工作人员将跟进处理", "internal error", kaiban.NoticeInternal},
		{"等待窗口人员处理", "等待窗口人员处理", "waiting for a clerk", kaiban.NoticeWaitingForClerk},
		{"全部办结，用时 212 分钟", "全部办结，用时 212 分钟", "all registrations completed in 212 minutes", kaiban.NoticeCompleted},
		{"由窗口人员办结", "由窗口人员办结", "completed by a clerk", kaiban.NoticeCompletedByClerk},
		{"由窗口人员办结: 已在窗口登记", "由窗口人员办结: 已在窗口登记", "completed by a clerk: 已在窗口登记", kaiban.NoticeCompletedByClerkNote},
		{"已撤销: the social agency is unavailable (HTTP 502)", "已撤销: 社会保险系统暂时不可用（HTTP 502），将自动重试",
			"cancelled: the social agency is unavailable (HTTP 502)", kaiban.NoticeCancelled},
		{"由窗口人员撤销: 名称含有禁用字词", "由窗口人员撤销: 名称含有禁用字词", "cancelled by a clerk: 名称含有禁用字词", kaiban.NoticeCancelledByClerk},
		// the state machine's causes
		{"A clerk rejected the seal registration.", "窗口人员驳回了印章刻制备案申请", "A clerk rejected the seal registration.", kaiban.NoticeClerkRejectedTrack},
		{"The housingFund exception was not resolved in time.", "住房公积金登记的异常未在时限内处理", "The housingFund exception was not resolved in time.", kaiban.NoticeClerkUnresolved},
		{"A clerk rejected the company name.", "窗口人员驳回了拟用企业名称", "A clerk rejected the company name.", kaiban.NoticeClerkRejectedName},
		{"已撤销: A clerk rejected the bank registration.", "已撤销: 窗口人员驳回了银行开户预约申请", "cancelled: A clerk rejected the bank registration.", kaiban.NoticeCancelled},
		// an agency's own reason is shown as written
		{"名称与已登记企业近似，不予登记", "名称与已登记企业近似，不予登记", "名称与已登记企业近似，不予登记", kaiban.NoticeText},
		// an English text that is no template never reaches a Chinese reader
		{"States.Timeout: task timed out", "办理遇到问题，工作人员将跟进处理；详情可咨询办事窗口", "States.Timeout: task timed out", kaiban.NoticeUntranslated},
		{"", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.stored, func(t *testing.T) {
			zh, zhCode := kaiban.LocalizeNotice(tt.stored, false)
			en, enCode := kaiban.LocalizeNotice(tt.stored, true)
			if zh != tt.zh || en != tt.en {
				t.Errorf("zh %q, en %q; want %q, %q", zh, en, tt.zh, tt.en)
			}
			if zhCode != tt.code || (enCode != tt.code && tt.code != kaiban.NoticeUntranslated) {
				t.Errorf("codes %q (zh), %q (en), want %q", zhCode, enCode, tt.code)
			}
		})
	}
}

// Every template reads back from either language into the other, and its
// Chinese form is Chinese and its English form is not.
func TestNoticeTemplatesRoundTrip(t *testing.T) {
	codes := []string{
		kaiban.NoticeAgencyUnavailable, kaiban.NoticeAgencyUnavailableHTTP, kaiban.NoticeAgencyTimeout,
		kaiban.NoticeAgencyBadStatus, kaiban.NoticeAgencyTooLarge, kaiban.NoticeAgencyUnreadable,
		kaiban.NoticeAgencyUnusable, kaiban.NoticeAgencyRejected, kaiban.NoticeNameNeedsReview,
		kaiban.NoticeIdentityFailed, kaiban.NoticeCompletedByClerk, kaiban.NoticeCompletedByClerkNote,
		kaiban.NoticeCancelled, kaiban.NoticeCancelledByClerk, kaiban.NoticeWaitingForClerk,
		kaiban.NoticeCompleted, kaiban.NoticeInternal, kaiban.NoticeClerkRejectedName,
	}
	for _, code := range codes {
		for _, kind := range kaiban.AgencyKinds {
			zh := kaiban.NoticeTextZH(code, string(kind), "502") // agency, n (unused extras are ignored)
			if strings.Contains(code, "track.") {
				zh = kaiban.NoticeTextZH(code, "等待补正材料")
			}
			if code == kaiban.NoticeCompleted {
				zh = kaiban.NoticeTextZH(code, "95")
			}
			if zh == "" || !hasHan(zh) {
				t.Fatalf("%s: zh text %q", code, zh)
			}
			en, enCode := kaiban.LocalizeNotice(zh, true)
			back, zhCode := kaiban.LocalizeNotice(en, false)
			if enCode != code || zhCode != code || back != zh {
				t.Errorf("%s/%s: %q → %q (%s) → %q (%s)", code, kind, zh, en, enCode, back, zhCode)
			}
			if !strings.Contains(code, "track.") && hasHan(en) {
				t.Errorf("%s: en text %q has Chinese", code, en)
			}
		}
	}
	for _, code := range []string{kaiban.NoticeClerkRejectedTrack, kaiban.NoticeClerkUnresolved} {
		for _, track := range kaiban.Tracks {
			zh := kaiban.NoticeTextZH(code, string(track))
			en, enCode := kaiban.LocalizeNotice(zh, true)
			back, zhCode := kaiban.LocalizeNotice(en, false)
			if !hasHan(zh) || hasHan(en) || enCode != code || zhCode != code || back != zh {
				t.Errorf("%s/%s: %q → %q (%s) → %q (%s)", code, track, zh, en, enCode, back, zhCode)
			}
		}
	}
}

// The state machine's failure causes are notices: a rejected application
// never tells a Chinese reader its reason in English.
func TestStateMachineCausesAreNotices(t *testing.T) {
	def, err := os.ReadFile("../../workflow/onestop.asl.json")
	if err != nil {
		t.Fatal(err)
	}
	causes := regexp.MustCompile(`"Cause": "([^"]+)"`).FindAllSubmatch(def, -1)
	if len(causes) < 10 {
		t.Fatalf("found %d causes in the definition; the format changed?", len(causes))
	}
	for _, m := range causes {
		if zh, code := kaiban.LocalizeNotice(string(m[1]), false); !hasHan(zh) || code == kaiban.NoticeUntranslated {
			t.Errorf("cause %q is shown to a Chinese reader as %q (%s)", m[1], zh, code)
		}
	}
}
