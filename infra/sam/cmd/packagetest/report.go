package main

import (
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// report prints one row per function — its bootstrap and that bootstrap's
// sizes (the step functions share one), median and worst cold start,
// checks passed — and returns an error naming every failure.
//
// The 50 ms budget is judged on the cold start, exec of the emulator to
// the first response; the start-up column (cold less the same request's
// warm response) shows how much of it is the process starting.
func report(w io.Writer, cfg config, bins map[string]*binary, results []*result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "function\tbootstrap\tamd64 MiB\tarm64 bytes\tarm64 MiB\tcold start median ms\tmax ms\twarm median ms\tstart-up median ms\tchecks passed\tbudgets (10 MB, 50 ms)\t")
	var failed []string
	bad := 0
	for _, r := range results {
		before := len(failed)
		b := bins[r.function]
		med, worst := medianMax(r.cold)
		warm, _ := medianMax(r.warm)
		startup := startupMedian(r.cold, r.warm)
		var over []string
		if b.arm64Bytes > arm64Budget {
			over = append(over, "SIZE OVER")
		}
		if med > coldStartBudget {
			over = append(over, "COLD START OVER")
		}
		if len(over) == 0 {
			over = append(over, "ok")
		}
		fmt.Fprintf(tw, "%s\t%s\t%.2f\t%d\t%.2f\t%s\t%s\t%s\t%s\t%d\t%s\t\n", r.function, path.Base(b.pkg), mib(b.amd64Bytes), b.arm64Bytes, mib(b.arm64Bytes), ms(med), ms(worst), ms(warm), ms(startup), len(r.passed), strings.Join(over, ", "))
		if cfg.maxArm64 > 0 && b.arm64Bytes > cfg.maxArm64 {
			failed = append(failed, fmt.Sprintf("%s: arm64 bootstrap is %d bytes (%.2f MiB), over the %d-byte budget", r.function, b.arm64Bytes, mib(b.arm64Bytes), cfg.maxArm64))
		}
		if cfg.coldBudget > 0 && med > cfg.coldBudget {
			failed = append(failed, fmt.Sprintf("%s: median cold start %s is over the %s budget", r.function, med.Round(time.Millisecond), cfg.coldBudget))
		}
		if r.err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", r.function, r.err))
		}
		if len(failed) > before {
			bad++
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nchecks:")
	for _, r := range results {
		fmt.Fprintf(w, "  %-12s %s\n", r.function, strings.Join(r.passed, "; "))
	}
	fmt.Fprintf(w, "\n%d passed, %d failed\n", len(results)-bad, bad)
	if len(failed) > 0 {
		return errors.New(strings.Join(failed, "\n"))
	}
	return nil
}

func medianMax(ds []time.Duration) (time.Duration, time.Duration) {
	if len(ds) == 0 {
		return 0, 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2], s[len(s)-1]
}

// startupMedian is the median over probes of cold − warm (see report).
func startupMedian(cold, warm []time.Duration) time.Duration {
	if len(cold) == 0 || len(cold) != len(warm) {
		return 0
	}
	d := make([]time.Duration, len(cold))
	for i := range cold {
		d[i] = max(cold[i]-warm[i], 0)
	}
	m, _ := medianMax(d)
	return m
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }

func ms(d time.Duration) string {
	if d == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond))
}
