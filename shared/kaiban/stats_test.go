package kaiban_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// TestDashboardOfAHandComputedDay: five applications with known times
// give the figures worked out by hand, whether their counters land on
// one day or are split over two (the aggregates merge by adding).
func TestDashboardOfAHandComputedDay(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	accepted := time.Date(2026, 11, 27, 9, 0, 0, 0, cst)
	at := func(min int) *time.Time { v := accepted.Add(time.Duration(min) * time.Minute); return &v }
	app := func(status kaiban.AppStatus, doneMin int, licence kaiban.TrackStatus, licenceMin int) *kaiban.Application {
		a := &kaiban.Application{ID: "KB", Status: status, UpdatedAt: *at(doneMin)}
		if status == kaiban.AppCompleted {
			a.CompletedAt = at(doneMin)
		}
		a.Tracks = []kaiban.Track{{Name: kaiban.TrackLicense, Status: licence, StartedAt: at(0), FinishedAt: at(licenceMin)}}
		return a
	}
	// application: status, minutes from acceptance to the end, clerk?,
	// the licence's status and minutes.
	apps := []struct {
		app   *kaiban.Application
		clerk bool
	}{
		{app(kaiban.AppCompleted, 25, kaiban.TrackSucceeded, 10), false},  // bucket ≤30
		{app(kaiban.AppCompleted, 50, kaiban.TrackSucceeded, 10), false},  // ≤60
		{app(kaiban.AppCompleted, 180, kaiban.TrackSucceeded, 40), true},  // ≤180, a clerk
		{app(kaiban.AppCompleted, 300, kaiban.TrackSucceeded, 10), false}, // ≤360, past 4 h
		{app(kaiban.AppRejected, 20, kaiban.TrackFailed, 5), false},       // refused
	}
	var all []kaiban.Counters
	for range 6 {
		all = append(all, kaiban.SubmittedCounters())
	}
	for _, a := range apps {
		all = append(all, kaiban.EndedCounters(a.app, accepted, a.clerk, "NAME_REFUSED"))
	}
	all = append(all, kaiban.CorrectionCounters("ADDRESS"), kaiban.CorrectionCounters("ADDRESS"),
		kaiban.RatingCounters(5), kaiban.RatingCounters(5), kaiban.RatingCounters(2),
		kaiban.FollowUpClosedCounters(accepted, accepted.Add(time.Hour)), kaiban.FollowUpClosedCounters(accepted.Add(2*time.Hour), accepted.Add(time.Hour)))

	f := func(v float64) *float64 { return &v }
	want := kaiban.Dashboard{
		Submitted: 6, Completed: 4, Rejected: 1,
		// Sorted buckets 30, 60, 180, 360: p50 is the 2nd, p95 the 4th.
		P50Minutes: f(60), P95Minutes: f(360),
		WithinHalfDayShare: f(0.75), AutomationRate: f(0.75),
		// Licence: 5, 10, 10, 10, 45 → median 10; 1 refusal in 5.
		TopReasons:      []kaiban.ReasonCount{{Reason: "ADDRESS", Count: 2}, {Reason: "NAME_REFUSED", Count: 1}},
		Ratings:         [5]int64{0, 1, 0, 0, 2},
		FollowUpsClosed: 2, FollowUpsClosedInTime: 1,
	}
	oneDay := kaiban.Counters{}
	twoDays := [2]kaiban.Counters{{}, {}}
	for i, c := range all {
		for k, v := range c {
			oneDay[k] += v
			twoDays[i%2][k] += v
		}
	}
	for name, days := range map[string][]kaiban.DayCounters{
		"one day":  {{Day: "2026-11-27", Counters: oneDay}},
		"two days": {{Day: "2026-11-27", Counters: twoDays[0]}, {Day: "2026-11-28", Counters: twoDays[1]}},
	} {
		got := kaiban.Summarize(days, "2026-11-01", "2026-11-30", 30)
		lic := got.Agencies[0]
		if lic.Track != kaiban.TrackLicense || lic.Finished != 5 || lic.MedianMinutes == nil || *lic.MedianMinutes != 10 || lic.RefusalShare == nil || *lic.RefusalShare != 0.2 {
			t.Errorf("%s: licence = %s", name, js(lic))
		}
		if got.Agencies[1].MedianMinutes != nil || got.Agencies[1].RefusalShare != nil {
			t.Errorf("%s: an agency with nothing finished has figures: %s", name, js(got.Agencies[1]))
		}
		for _, c := range []struct {
			what      string
			got, want any
		}{
			{"submitted", got.Submitted, want.Submitted}, {"completed", got.Completed, want.Completed}, {"rejected", got.Rejected, want.Rejected},
			{"p50", js(got.P50Minutes), js(want.P50Minutes)}, {"p95", js(got.P95Minutes), js(want.P95Minutes)},
			{"within half a day", js(got.WithinHalfDayShare), js(want.WithinHalfDayShare)}, {"automation", js(got.AutomationRate), js(want.AutomationRate)},
			{"reasons", js(got.TopReasons), js(want.TopReasons)}, {"ratings", got.Ratings, want.Ratings},
			{"follow-ups", [2]int64{got.FollowUpsClosed, got.FollowUpsClosedInTime}, [2]int64{want.FollowUpsClosed, want.FollowUpsClosedInTime}},
		} {
			if js(c.got) != js(c.want) {
				t.Errorf("%s: %s = %s, want %s", name, c.what, js(c.got), js(c.want))
			}
		}
	}
	if empty := kaiban.Summarize(nil, "2026-11-01", "2026-11-30", 30); empty.P50Minutes != nil || empty.AutomationRate != nil || len(empty.Agencies) != 7 {
		t.Errorf("no data: %s", js(empty))
	}
}

// TestDurationBuckets: a duration on a bound falls in that bound's
// bucket, past the last bound in the open one.
func TestDurationBuckets(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want float64
	}{{0, 1}, {time.Minute, 1}, {61 * time.Second, 2}, {4 * time.Hour, 240}, {4*time.Hour + time.Second, 360}} {
		if got := kaiban.BucketUpper(kaiban.DurationBucket(c.d)); got != c.want {
			t.Errorf("%v: bucket ≤%v, want ≤%v", c.d, got, c.want)
		}
	}
	if b := kaiban.DurationBucket(30 * 24 * time.Hour); b != len(kaiban.DurationBuckets) {
		t.Errorf("a month is in bucket %d, want the open one", b)
	}
}

func js(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestReasonLabel: the dashboard's reasons in words, in both languages;
// a code without words is shown as it is.
func TestReasonLabel(t *testing.T) {
	for _, c := range []struct {
		code string
		en   bool
		want string
	}{
		{"ADDRESS_UNUSABLE", false, "住所无法使用（如已被查封、不能登记）"},
		{"ADDRESS_UNUSABLE", true, "The address cannot be used (e.g. sealed off, not registrable)"},
		{kaiban.ErrIdentityFailed, false, "身份核验未通过"},
		{kaiban.NoticeConfirmationDeclined, true, "a founder declined to sign"},
		{"Something.New", true, "Something.New"},
	} {
		if got := kaiban.ReasonLabel(c.code, c.en); got != c.want {
			t.Errorf("ReasonLabel(%q, %v) = %q, want %q", c.code, c.en, got, c.want)
		}
	}
}
