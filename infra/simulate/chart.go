package simulate

import (
	"fmt"
	"html"
	"math"
	"strings"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Chart draws the day as a hand-written SVG (no dependencies): a histogram
// of completion times in 10-minute bins with the 4-hour line, and one bar
// per track for its median time.
func Chart(r *Result, s Summary) string {
	const (
		w, h     = 900, 640
		left     = 70
		plotW    = 780
		histTop  = 60
		histH    = 260
		barsTop  = 400
		barH     = 22
		binWidth = 10.0 // minutes
	)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n", w, h, w, h)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/>`+"\n", w, h)
	fmt.Fprintf(&b, `<text x="%d" y="24" font-size="16" font-weight="bold">Simulated day: %d applications, %d clerks — %.2f %% within 4 h of acceptance (p50 %.1f min, p99 %.1f min); founders' signatures p50 %.0f min, p95 %.0f min</text>`+"\n",
		left, s.Applications, s.Clerks, s.WithinDeadlinePct, s.P50Minutes, s.P99Minutes, s.AcceptanceP50Minutes, s.AcceptanceP95Minutes)

	// Histogram of completion times.
	limit := math.Max(270, math.Ceil(s.MaxMinutes/binWidth)*binWidth+binWidth)
	bins := make([]int, int(limit/binWidth))
	for _, a := range r.Apps {
		if a.Done() && !a.Declined {
			i := min(int(minutes(a.Active())/binWidth), len(bins)-1)
			bins[i]++
		}
	}
	peak := 1
	for _, n := range bins {
		peak = max(peak, n)
	}
	x := func(m float64) float64 { return left + m/limit*plotW }
	y := func(n int) float64 { return histTop + histH - float64(n)/float64(peak)*histH }
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-weight="bold">Time from acceptance (the last signature) to completion (applications per %g-minute bin)</text>`+"\n", left, histTop-12, binWidth)
	for i, n := range bins {
		if n == 0 {
			continue
		}
		x0 := x(float64(i) * binWidth)
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#4a7ab5"><title>%d–%d min: %d</title></rect>`+"\n",
			x0, y(n), x(binWidth)-left-1, histTop+histH-y(n), i*int(binWidth), (i+1)*int(binWidth), n)
	}
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>`+"\n", left, histTop+histH, left+plotW, histTop+histH)
	for m := 0.0; m <= limit; m += 30 {
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%g</text>`+"\n", x(m), histTop+histH+16, m)
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">minutes</text>`+"\n", left+plotW/2, histTop+histH+34)
	fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end">%d</text>`+"\n", left-6, y(peak)+4, peak)
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">0</text>`+"\n", left-6, histTop+histH+4)
	dl := x(kaiban.DeadlineAfterSubmission.Minutes())
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#c0392b" stroke-width="2" stroke-dasharray="6 4"/>`+"\n", dl, histTop, dl, histTop+histH)
	fmt.Fprintf(&b, `<text x="%.1f" y="%d" fill="#c0392b" text-anchor="end">4-hour deadline</text>`+"\n", dl-4, histTop+12)

	// Median time per track.
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-weight="bold">Median time per track (minutes, start to end, retries and clerk work included)</text>`+"\n", left, barsTop-12)
	names := []string{"before tracks"}
	vals := []float64{s.BeforeTracksMedianMinutes}
	for _, t := range kaiban.Tracks {
		names = append(names, string(t))
		vals = append(vals, s.TrackMedianMinutes[string(t)])
	}
	top := 0.1
	for _, v := range vals {
		top = math.Max(top, v)
	}
	for i, v := range vals {
		yy := barsTop + i*(barH+6)
		bw := v / top * (plotW - 160)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", left+60, yy+15, html.EscapeString(names[i]))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="#6aa84f"/>`+"\n", left+66, yy, bw, barH)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d">%.2f</text>`+"\n", float64(left+70)+bw, yy+15, v)
	}
	b.WriteString("</svg>\n")
	return b.String()
}
