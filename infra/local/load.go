package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"
)

// Bounds on a load run, so a typo cannot turn the command into a flood or
// a run that never ends.
const (
	maxApplicants = 100_000
	maxRate       = 5_000
	maxDuration   = time.Hour
	maxInFlight   = 4_096
)

const loadUsage = `usage: go run ./infra/local load --url URL (--applicants N | --rate R --duration D) [flags]

Drives a running local stack over HTTP (loopback only) and prints one JSON
summary. Closed loop: N applicants submit at once. Open loop: R submissions
per second for D, whatever the answers. Every submission sends the same
form under a trade name of its own (the name check refuses a name another
application has reserved) with its own Idempotency-Key.

  --url URL            base URL of the stack (default http://127.0.0.1:8080)
  --applicants N       concurrent applicants, each submitting once
  --rate R             submissions per second (open loop; needs --duration)
  --duration D         how long to submit at --rate (e.g. 30s)
  --poll               have every founder sign (links from /dev/outbox), then
                       poll each application until COMPLETED or REJECTED
  --poll-every D       polling interval (default 250ms)
  --poll-timeout D     give up polling an application after D (default 5m)
  --form FILE          the form to submit (default infra/examples/valid-llc.json)
  --pid PID            report this process's resident memory (Linux /proc)`

// loadConfig is a parsed and checked load command line.
type loadConfig struct {
	base        *url.URL
	applicants  int
	rate        float64
	duration    time.Duration
	poll        bool
	pollEvery   time.Duration
	pollTimeout time.Duration
	form        []byte
	pid         int
}

// total is how many submissions the run makes.
func (c loadConfig) total() int {
	if c.rate > 0 {
		return int(c.rate * c.duration.Seconds())
	}
	return c.applicants
}

func (c loadConfig) mode() string {
	if c.rate > 0 {
		return "rate"
	}
	return "applicants"
}

// parseLoad reads the flags and refuses anything unbounded or aimed
// beyond this machine.
func parseLoad(args []string, stderr io.Writer) (loadConfig, error) {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, loadUsage) }
	rawURL := fs.String("url", "http://127.0.0.1:8080", "")
	var c loadConfig
	fs.IntVar(&c.applicants, "applicants", 0, "")
	fs.Float64Var(&c.rate, "rate", 0, "")
	fs.DurationVar(&c.duration, "duration", 0, "")
	fs.BoolVar(&c.poll, "poll", false, "")
	fs.DurationVar(&c.pollEvery, "poll-every", 250*time.Millisecond, "")
	fs.DurationVar(&c.pollTimeout, "poll-timeout", 5*time.Minute, "")
	formPath := fs.String("form", "infra/examples/valid-llc.json", "")
	fs.IntVar(&c.pid, "pid", 0, "")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("load: unexpected argument %q", fs.Arg(0))
	}
	base, err := loopbackURL(*rawURL)
	if err != nil {
		return c, err
	}
	c.base = base
	switch {
	case c.rate < 0 || c.rate > maxRate:
		return c, fmt.Errorf("load: --rate must be between 0 and %d", maxRate)
	case c.rate > 0 && (c.duration <= 0 || c.duration > maxDuration):
		return c, fmt.Errorf("load: --rate needs a --duration between 0 and %s", maxDuration)
	case c.rate > 0 && c.applicants != 0:
		return c, errors.New("load: give either --applicants or --rate, not both")
	case c.rate == 0 && (c.applicants <= 0 || c.applicants > maxApplicants):
		return c, fmt.Errorf("load: --applicants must be between 1 and %d (or give --rate)", maxApplicants)
	case c.rate > 0 && c.total() > maxApplicants:
		return c, fmt.Errorf("load: --rate × --duration is over %d submissions", maxApplicants)
	case c.rate > 0 && c.total() == 0:
		return c, errors.New("load: --rate × --duration makes no submission")
	case c.pollEvery <= 0 || c.pollTimeout <= 0 || c.pollTimeout > maxDuration:
		return c, fmt.Errorf("load: --poll-every must be positive and --poll-timeout between 0 and %s", maxDuration)
	case c.pid < 0:
		return c, errors.New("load: --pid must be a process ID")
	}
	if c.form, err = os.ReadFile(*formPath); err != nil {
		return c, fmt.Errorf("load: reading the form: %w", err)
	}
	if !json.Valid(c.form) {
		return c, fmt.Errorf("load: %s is not JSON", *formPath)
	}
	return c, nil
}

// loopbackURL accepts only http(s) URLs of this machine: the command is a
// drill for the local stack, never a tool to load someone else's server.
func loopbackURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("load: --url: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("load: --url %q: want http or https", raw)
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("load: --url %q: only loopback addresses may be loaded", raw)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}

// load is the `load` subcommand: it runs the load and prints the summary.
// It fails (after printing) if any request failed or, with --poll, any
// application did not complete, so scripts and CI can rely on its status.
func load(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseLoad(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	sum, err := runLoad(ctx, cfg, newLoadClient())
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(sum); err != nil {
		return err
	}
	return sum.verdict()
}

// runLoad submits cfg.total() applications, closed or open loop, polls
// them if asked, and summarises.
func runLoad(ctx context.Context, cfg loadConfig, client *http.Client) (*loadSummary, error) {
	runID, err := newRunID()
	if err != nil {
		return nil, err
	}
	rec := newRecorder(cfg.poll)
	lc := &loadClient{http: client, base: cfg.base, form: cfg.form}
	one := func(i int) {
		app, ok := lc.submit(ctx, fmt.Sprintf("load-%s-%d", runID, i), rec)
		if ok && cfg.poll {
			// Registration starts once every founder has signed.
			if err := lc.signFounders(ctx, app); err != nil {
				rec.pollFailed()
			}
			lc.pollUntilDone(ctx, app, cfg.pollEvery, cfg.pollTimeout, rec)
		}
	}
	start := time.Now()
	var wg sync.WaitGroup
	if cfg.rate > 0 {
		openLoop(ctx, cfg, &wg, one)
	} else {
		for i := range cfg.applicants {
			wg.Go(func() { one(i) })
		}
	}
	wg.Wait()
	sum := rec.summary(cfg, time.Since(start))
	if cfg.pid > 0 {
		rss, err := readRSS(cfg.pid)
		if err != nil {
			return nil, err
		}
		sum.RSS = rss
	}
	return sum, ctx.Err()
}

// openLoop starts one submission every 1/rate seconds on a fixed schedule,
// whatever the answers, so a slow server meets the same arrival rate
// (no coordinated omission). In-flight requests are bounded by
// maxInFlight; a server that slow makes the schedule slip, which shows as
// a throughput below the rate.
func openLoop(ctx context.Context, cfg loadConfig, wg *sync.WaitGroup, one func(int)) {
	interval := time.Duration(float64(time.Second) / cfg.rate)
	slots := make(chan struct{}, maxInFlight)
	start := time.Now()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for i := range cfg.total() {
		if wait := time.Until(start.Add(time.Duration(i) * interval)); wait > 0 {
			timer.Reset(wait)
			select {
			case <-ctx.Done():
				return
			case <-timer.C:
			}
		}
		select {
		case <-ctx.Done():
			return
		case slots <- struct{}{}:
		}
		wg.Go(func() {
			defer func() { <-slots }()
			one(i)
		})
	}
}

func newRunID() (string, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}
