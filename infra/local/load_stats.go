package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// recorder collects outcomes from every applicant goroutine.
type recorder struct {
	mu         sync.Mutex
	polling    bool
	requests   int
	errors     map[string]int // failed submissions by HTTP status or "transport"
	submitLat  []time.Duration
	pollErrors int
	outcomes   map[string]int // COMPLETED, REJECTED
	open       map[string]int // last status seen of applications still going at the timeout
	doneLat    []time.Duration
}

func newRecorder(polling bool) *recorder {
	return &recorder{polling: polling, errors: map[string]int{}, outcomes: map[string]int{}, open: map[string]int{}}
}

func (r *recorder) submitted(d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests++
	r.submitLat = append(r.submitLat, d)
}

func (r *recorder) submitFailed(why string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests++
	r.errors[why]++
}

func (r *recorder) pollFailed() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pollErrors++
}

func (r *recorder) finished(status string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.outcomes[status]++
	if status == "COMPLETED" {
		r.doneLat = append(r.doneLat, d)
	}
}

func (r *recorder) unfinished(last string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.open[last]++
}

// loadSummary is the one JSON document a load run prints.
type loadSummary struct {
	Mode       string         `json:"mode"`
	URL        string         `json:"url"`
	Rate       float64        `json:"ratePerSecond,omitempty"`
	Requests   int            `json:"requests"`
	Accepted   int            `json:"accepted"`
	Errors     int            `json:"errors"`
	ErrorsBy   map[string]int `json:"errorsByStatus"`
	Elapsed    float64        `json:"elapsedSeconds"`
	Throughput float64        `json:"acceptedPerSecond"`
	// Submit is the latency of POST /v1/applications, in milliseconds.
	Submit     latency     `json:"submitLatencyMs"`
	Completion *completion `json:"completion,omitempty"`
	RSS        *rss        `json:"rss,omitempty"`
}

// completion is what polling found.
type completion struct {
	Polled     int            `json:"polled"`
	Completed  int            `json:"completed"`
	Rejected   int            `json:"rejected"`
	Unfinished map[string]int `json:"unfinishedByLastStatus"`
	PollErrors int            `json:"pollErrors"`
	// TimeToCompleted is from sending the submission to first seeing
	// COMPLETED, in milliseconds; it includes up to one polling interval.
	TimeToCompleted latency `json:"timeToCompletedMs"`
}

// latency is a distribution summary in milliseconds.
type latency struct {
	Count int     `json:"count"`
	P50   float64 `json:"p50"`
	P90   float64 `json:"p90"`
	P99   float64 `json:"p99"`
	Max   float64 `json:"max"`
}

// rss is the stack's memory at the end of the run, from /proc/PID/status.
type rss struct {
	PID      int `json:"pid"`
	VmRSSKiB int `json:"vmRSSKiB"`
	VmHWMKiB int `json:"vmHWMKiB"` // peak resident set
}

func (r *recorder) summary(cfg loadConfig, elapsed time.Duration) *loadSummary {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := &loadSummary{
		Mode:     cfg.mode(),
		URL:      cfg.base.String(),
		Rate:     cfg.rate,
		Requests: r.requests,
		Accepted: len(r.submitLat),
		Errors:   r.requests - len(r.submitLat),
		ErrorsBy: r.errors,
		Elapsed:  round(elapsed.Seconds(), 3),
		Submit:   summarise(r.submitLat),
	}
	if elapsed > 0 {
		s.Throughput = round(float64(s.Accepted)/elapsed.Seconds(), 1)
	}
	if r.polling {
		s.Completion = &completion{
			Polled:          s.Accepted,
			Completed:       r.outcomes["COMPLETED"],
			Rejected:        r.outcomes["REJECTED"],
			Unfinished:      r.open,
			PollErrors:      r.pollErrors,
			TimeToCompleted: summarise(r.doneLat),
		}
	}
	return s
}

// verdict is nil when every submission was accepted and, when polled,
// every application completed.
func (s *loadSummary) verdict() error {
	if s.Errors > 0 {
		return fmt.Errorf("load: %d of %d submissions failed", s.Errors, s.Requests)
	}
	if c := s.Completion; c != nil && c.Completed != c.Polled {
		return fmt.Errorf("load: %d of %d applications did not complete", c.Polled-c.Completed, c.Polled)
	}
	return nil
}

// summarise returns nearest-rank percentiles in milliseconds.
func summarise(ds []time.Duration) latency {
	if len(ds) == 0 {
		return latency{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	at := func(p float64) float64 {
		i := int(math.Ceil(p*float64(len(s)))) - 1
		return ms(s[max(i, 0)])
	}
	return latency{Count: len(s), P50: at(0.50), P90: at(0.90), P99: at(0.99), Max: ms(s[len(s)-1])}
}

func ms(d time.Duration) float64 { return round(float64(d)/float64(time.Millisecond), 3) }

func round(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(x*p) / p
}

// readRSS reads the resident and peak resident set of a process (Linux).
func readRSS(pid int) (*rss, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return nil, fmt.Errorf("load: --pid %d: %w", pid, err)
	}
	defer f.Close()
	out := &rss{PID: pid}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		switch name {
		case "VmRSS":
			out.VmRSSKiB, err = kib(value)
		case "VmHWM":
			out.VmHWMKiB, err = kib(value)
		}
		if err != nil {
			return nil, fmt.Errorf("load: /proc/%d/status %s: %w", pid, name, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if out.VmRSSKiB == 0 {
		return nil, fmt.Errorf("load: /proc/%d/status has no VmRSS", pid)
	}
	return out, nil
}

// kib parses "   12345 kB".
func kib(v string) (int, error) {
	return strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
}
