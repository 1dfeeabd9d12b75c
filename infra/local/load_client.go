package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"
)

// loadClient is one HTTP client shared by every simulated applicant.
type loadClient struct {
	http *http.Client
	base *url.URL
	form []byte
	seq  atomic.Int64 // numbers the submissions (withTradeName)
}

// newLoadClient keeps enough idle connections for every in-flight request,
// so a run measures the server rather than connection set-up (and does
// not run out of ephemeral ports).
func newLoadClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = maxInFlight
	t.MaxIdleConnsPerHost = maxInFlight
	t.Proxy = nil // loopback only: never through a proxy
	return &http.Client{Transport: t, Timeout: 30 * time.Second}
}

// submission is what an accepted submission returns.
type submission struct {
	ID          string `json:"id"`
	AccessToken string `json:"accessToken"`
	StatusURL   string `json:"statusUrl"`
	sentAt      time.Time
}

// submit posts the form once with key and records the outcome.
func (c *loadClient) submit(ctx context.Context, key string, rec *recorder) (submission, bool) {
	form, err := withTradeName(c.form, int(c.seq.Add(1)))
	if err != nil {
		rec.submitFailed("request")
		return submission{}, false
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base.JoinPath("/v1/applications").String(), bytes.NewReader(form))
	if err != nil {
		rec.submitFailed("request")
		return submission{}, false
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		rec.submitFailed("transport")
		return submission{}, false
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	elapsed := time.Since(start)
	if err != nil {
		rec.submitFailed("transport")
		return submission{}, false
	}
	if resp.StatusCode != http.StatusAccepted {
		rec.submitFailed(strconv.Itoa(resp.StatusCode))
		return submission{}, false
	}
	var s submission
	if err := json.Unmarshal(body, &s); err != nil || s.ID == "" || s.AccessToken == "" {
		rec.submitFailed("bad-body")
		return submission{}, false
	}
	s.sentAt = start
	rec.submitted(elapsed)
	return s, true
}

// pollUntilDone reads the application's status until it is COMPLETED or
// REJECTED, or until timeout, and records the time from submission.
func (c *loadClient) pollUntilDone(ctx context.Context, s submission, every, timeout time.Duration, rec *recorder) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(every)
	defer tick.Stop()
	last := "UNKNOWN"
	for {
		status, err := c.status(ctx, s)
		if err != nil {
			rec.pollFailed()
		} else {
			last = status
		}
		switch last {
		case "COMPLETED", "REJECTED":
			rec.finished(last, time.Since(s.sentAt))
			return
		}
		select {
		case <-ctx.Done():
			rec.unfinished(last)
			return
		case <-deadline.C:
			rec.unfinished(last)
			return
		case <-tick.C:
		}
	}
}

// status reads the application's status with its access token.
func (c *loadClient) status(ctx context.Context, s submission) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base.JoinPath("/v1/applications", s.ID).String(), nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+s.AccessToken)
	resp, err := c.http.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		return "", &statusError{code: resp.StatusCode}
	}
	var out struct {
		Status string `json:"status"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&out); err != nil {
		return "", err
	}
	return out.Status, nil
}

// statusError is a poll answered with something other than 200.
type statusError struct{ code int }

func (e *statusError) Error() string { return "HTTP " + strconv.Itoa(e.code) }
