package api_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Track and application messages are stored in one language: the agency
// clients write English, the handlers Chinese, agencies their own words.
// A Chinese request never gets an English-only message, and an English
// request gets the service's own notices in English; messageCode is the
// same in both.
func TestStatusMessagesFollowAcceptLanguage(t *testing.T) {
	e := newEnv(t)
	s := e.submit(t, nil, string(validForm(t)))
	ctx := context.Background()
	stored := map[kaiban.TrackName]string{
		kaiban.TrackLicense:          "名称与已登记企业近似，不予登记", // the agency's reason
		kaiban.TrackSeal:             "the seal agency did not answer in time",
		kaiban.TrackTax:              "rejected by the tax agency",
		kaiban.TrackSocialInsurance:  "已撤销: the social agency is unavailable (HTTP 503)",
		kaiban.TrackMedicalInsurance: "由窗口人员办结",
		kaiban.TrackHousingFund:      "States.Timeout",
		kaiban.TrackBank:             "the bank agency is unavailable (HTTP 503)",
	}
	for name, msg := range stored {
		if _, err := kaiban.MutateTrack(ctx, e.store, s.ID, name, func(tr *kaiban.Track) error {
			tr.Status, tr.Message = kaiban.TrackWaitingClerk, msg
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	waiting := kaiban.NoticeTextZH(kaiban.NoticeWaitingForClerk)
	if _, err := e.store.UpdateApplication(ctx, s.ID, kaiban.ApplicationUpdate{Status: kaiban.AppActionRequired, Message: &waiting, UpdatedAt: submissionTime}); err != nil {
		t.Fatal(err)
	}

	type view struct {
		Message     string `json:"message"`
		MessageCode string `json:"messageCode"`
		Tracks      []struct {
			Name        kaiban.TrackName `json:"name"`
			Message     string           `json:"message"`
			MessageCode string           `json:"messageCode"`
		} `json:"tracks"`
	}
	get := func(lang string) view {
		h := map[string]string{"Authorization": "Bearer " + s.AccessToken}
		if lang != "" {
			h["Accept-Language"] = lang
		}
		resp := e.do(t, req{method: "GET", path: s.StatusURL, headers: h})
		var v view
		if resp.StatusCode != 200 || json.Unmarshal([]byte(resp.Body), &v) != nil {
			t.Fatalf("status %d %s", resp.StatusCode, resp.Body)
		}
		return v
	}
	han := func(s string) bool {
		return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
	}
	zh, en := get(""), get("en")
	if zh.Message != waiting || en.Message != "waiting for a clerk" || zh.MessageCode != kaiban.NoticeWaitingForClerk || en.MessageCode != zh.MessageCode {
		t.Errorf("application message zh %q (%s), en %q (%s)", zh.Message, zh.MessageCode, en.Message, en.MessageCode)
	}
	for i, tr := range zh.Tracks {
		if !han(tr.Message) {
			t.Errorf("zh: track %s message %q has no Chinese (stored %q)", tr.Name, tr.Message, stored[tr.Name])
		}
		if tr.MessageCode == "" {
			t.Errorf("zh: track %s has no messageCode", tr.Name)
		}
		enTr := en.Tracks[i]
		if tr.MessageCode != enTr.MessageCode && tr.MessageCode != kaiban.NoticeUntranslated {
			t.Errorf("track %s: messageCode %q in zh, %q in en", tr.Name, tr.MessageCode, enTr.MessageCode)
		}
		if tr.MessageCode != kaiban.NoticeText && han(enTr.Message) {
			t.Errorf("en: track %s notice %q is not in English", tr.Name, enTr.Message)
		}
	}
	if got := zh.Tracks[1].Message; got != "公安印章备案系统未在规定时间内答复，将自动重试" {
		t.Errorf("zh seal message %q", got)
	}
	if got := en.Tracks[3].Message; got != "cancelled: the social agency is unavailable (HTTP 503)" {
		t.Errorf("en social insurance message %q", got)
	}
}
