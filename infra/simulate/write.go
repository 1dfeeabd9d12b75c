package simulate

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Output file names in the output directory.
const (
	FileCSV     = "applications.csv"
	FileSummary = "summary.json"
	FileChart   = "chart.svg"
	// FileDashboard is the day's GET /v1/stats answer, from the
	// aggregates; it agrees with summary.json (a test checks).
	FileDashboard = "dashboard.json"
)

// WriteAll writes the CSV of every application, summary.json and the
// chart into dir (created if missing).
func WriteAll(dir string, r *Result, s Summary) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := writeCSV(filepath.Join(dir, FileCSV), r); err != nil {
		return err
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, FileSummary), append(b, '\n'), 0o644); err != nil {
		return err
	}
	if b, err = json.MarshalIndent(r.Dashboard, "", "  "); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, FileDashboard), append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, FileChart), []byte(Chart(r, s)), 0o644)
}

// csvHeader names the CSV's columns: times in UTC (RFC 3339), durations in
// minutes; a track's column is empty when it did not run to its end.
// minutes and withinDeadline measure from acceptance (acceptedAt, the
// last signature; empty when not accepted), acceptanceMinutes from
// submission to it. minutes is the time on the wall; withinDeadline
// leaves out pausedMinutes, the time the application waited for the
// applicant's corrections (corrections asked), as the deadline does.
func csvHeader() []string {
	h := []string{"index", "id", "submittedAt", "status", "completedAt", "minutes", "withinDeadline", "clerkTasks", "beforeTracksMinutes"}
	for _, t := range kaiban.Tracks {
		h = append(h, string(t)+"Minutes")
	}
	return append(h, "sequentialMinutes", "founders", "declined", "acceptedAt", "acceptanceMinutes", "corrections", "pausedMinutes")
}

func writeCSV(path string, r *Result) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	_ = w.Write(csvHeader())
	num := func(x float64) string { return strconv.FormatFloat(round(x), 'f', 2, 64) }
	for _, a := range r.Apps {
		completed, mins, within := "", "", "false"
		if a.Done() {
			completed = a.Completed.UTC().Format("2006-01-02T15:04:05.000Z07:00")
			mins = num(minutes(a.Elapsed()))
			within = strconv.FormatBool(a.WithinDeadline())
		}
		row := []string{strconv.Itoa(a.Index), a.ID, a.Submitted.UTC().Format("2006-01-02T15:04:05.000Z07:00"), string(a.Status),
			completed, mins, within, strconv.Itoa(a.ClerkTasks), num(minutes(a.Before))}
		for _, t := range kaiban.Tracks {
			if d, ok := a.Tracks[t]; ok {
				row = append(row, num(minutes(d)))
			} else {
				row = append(row, "")
			}
		}
		row = append(row, num(minutes(a.Sequential())), strconv.Itoa(a.Founders), strconv.FormatBool(a.Declined))
		if a.Accepted.IsZero() {
			row = append(row, "", "")
		} else {
			row = append(row, a.Accepted.UTC().Format("2006-01-02T15:04:05.000Z07:00"), num(minutes(a.ToAcceptance())))
		}
		row = append(row, strconv.Itoa(a.Corrections), num(minutes(a.Paused)))
		_ = w.Write(row)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}
