package kaiban

import (
	"math"
	"sort"
	"strconv"
	"strings"
)

// Dashboard is what GET /v1/stats answers: the figures of a window of
// days, merged from their aggregates. Percentiles and medians are the
// upper bound of the histogram bucket they fall in (DurationBuckets), so
// "p50 ≤ 30 min"; nil when nothing was counted.
type Dashboard struct {
	From      string `json:"from"`
	To        string `json:"to"`
	Days      int    `json:"days"`
	Submitted int64  `json:"submitted"`
	Completed int64  `json:"completed"`
	Rejected  int64  `json:"rejected"`
	// P50Minutes and P95Minutes: acceptance → completion.
	P50Minutes *float64 `json:"p50Minutes"`
	P95Minutes *float64 `json:"p95Minutes"`
	// WithinHalfDayShare is the share of completions within 4 hours of
	// acceptance; AutomationRate the share completed with no clerk task.
	WithinHalfDayShare *float64       `json:"withinHalfDayShare"`
	AutomationRate     *float64       `json:"automationRate"`
	Agencies           []AgencyFigure `json:"agencies"`
	TopReasons         []ReasonCount  `json:"topReasons"`
	// Ratings counts the ratings per score, index 0 for 1 … 4 for 5.
	Ratings               [5]int64    `json:"ratings"`
	FollowUpsClosed       int64       `json:"followUpsClosed"`
	FollowUpsClosedInTime int64       `json:"followUpsClosedInTime"`
	Daily                 []DayFigure `json:"daily"`
}

// AgencyFigure is one agency's (track's) figures.
type AgencyFigure struct {
	Track         TrackName `json:"track"`
	Finished      int64     `json:"finished"`
	MedianMinutes *float64  `json:"medianMinutes"`
	RefusalShare  *float64  `json:"refusalShare"`
}

// ReasonCount is a refusal or correction reason and how often it came.
type ReasonCount struct {
	Reason string `json:"reason"`
	Count  int64  `json:"count"`
}

// DayFigure is one day's counts, for the chart.
type DayFigure struct {
	Day       string `json:"day"`
	Submitted int64  `json:"submitted"`
	Completed int64  `json:"completed"`
}

// Summarize merges the aggregates of the days from..to into the
// dashboard; days lists the days present (StatsDays).
func Summarize(days []DayCounters, from, to string, n int) Dashboard {
	total := Counters{}
	byDay := map[string]Counters{}
	for _, d := range days {
		byDay[d.Day] = d.Counters
		for k, v := range d.Counters {
			total[k] += v
		}
	}
	out := Dashboard{From: from, To: to, Days: n, Submitted: total[StatSubmitted], Completed: total[StatCompleted], Rejected: total[StatRejected],
		FollowUpsClosed: total[StatFollowUpsClosed], FollowUpsClosedInTime: total[StatFollowUpsInTime],
		Agencies: []AgencyFigure{}, TopReasons: []ReasonCount{}, Daily: []DayFigure{}}
	out.P50Minutes = percentile(total, StatCompletionHist, 0.50)
	out.P95Minutes = percentile(total, StatCompletionHist, 0.95)
	out.WithinHalfDayShare = share(total[StatWithinHalfDay], out.Completed)
	out.AutomationRate = share(total[StatNoClerk], out.Completed)
	for _, t := range Tracks {
		p := statAgencyPrefix + string(t)
		fin := total[p+".n"]
		out.Agencies = append(out.Agencies, AgencyFigure{Track: t, Finished: fin, MedianMinutes: percentile(total, p, 0.5), RefusalShare: share(total[p+".refused"], fin)})
	}
	for k, v := range total {
		if r, ok := strings.CutPrefix(k, statReasonPrefix); ok && v > 0 {
			out.TopReasons = append(out.TopReasons, ReasonCount{Reason: r, Count: v})
		}
		if s, ok := strings.CutPrefix(k, statRatingPrefix); ok {
			if i, err := strconv.Atoi(s); err == nil && i >= 1 && i <= 5 {
				out.Ratings[i-1] += v
			}
		}
	}
	sort.Slice(out.TopReasons, func(i, j int) bool {
		a, b := out.TopReasons[i], out.TopReasons[j]
		return a.Count > b.Count || (a.Count == b.Count && a.Reason < b.Reason)
	})
	if len(out.TopReasons) > 5 {
		out.TopReasons = out.TopReasons[:5]
	}
	for _, d := range days {
		out.Daily = append(out.Daily, DayFigure{Day: d.Day, Submitted: byDay[d.Day][StatSubmitted], Completed: byDay[d.Day][StatCompleted]})
	}
	return out
}

// percentile is the upper bound of the bucket holding the p-quantile of
// the histogram prefix (the smallest bound with at least ⌈p·N⌉ counts at
// or below it); nil for an empty histogram. The open bucket answers the
// last bound, the most that can be said.
func percentile(c Counters, prefix string, p float64) *float64 {
	counts := make([]int64, len(DurationBuckets)+1)
	var n int64
	for i := range counts {
		counts[i] = c[prefix+statHistBucketMarker+strconv.Itoa(i)]
		n += counts[i]
	}
	if n == 0 {
		return nil
	}
	rank := int64(math.Ceil(p * float64(n)))
	rank = max(rank, 1)
	var cum int64
	for i, k := range counts {
		if cum += k; cum >= rank {
			v := DurationBuckets[min(i, len(DurationBuckets)-1)]
			return &v
		}
	}
	return nil
}

func share(part, whole int64) *float64 {
	if whole == 0 {
		return nil
	}
	v := float64(part) / float64(whole)
	return &v
}
