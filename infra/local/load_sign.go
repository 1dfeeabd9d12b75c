package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
)

// signFounders has every founder of the application verify and sign, as
// they would from the links in their SMS: the links are read from the
// local stack's outbox (GET /dev/outbox, newest first, so read right
// after the submission), and each goes through the confirmation routes.
// Registration waits for the last signature, so a poll for COMPLETED needs
// it; the time to COMPLETED then includes these requests.
func (c *loadClient) signFounders(ctx context.Context, s submission) error {
	var box struct {
		Messages []struct {
			Link string `json:"link"`
		} `json:"messages"`
	}
	if err := c.call(ctx, http.MethodGet, "/dev/outbox", nil, &box); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, m := range box.Messages {
		_, tok, ok := strings.Cut(m.Link, "/confirm#")
		if !ok || !strings.HasPrefix(tok, s.ID+".") || seen[tok] {
			continue
		}
		seen[tok] = true
		if err := c.call(ctx, http.MethodPost, "/v1/confirmations/"+tok+"/identity", []byte(`{"liveness":{"passed":true}}`), nil); err != nil {
			return err
		}
		if err := c.call(ctx, http.MethodPost, "/v1/confirmations/"+tok+"/decision", []byte(`{"sign":true}`), nil); err != nil {
			return err
		}
	}
	if len(seen) == 0 {
		return errors.New("no confirmation links in the outbox")
	}
	return nil
}

// call makes one JSON request and decodes a 200 answer into out (nil:
// discarded).
func (c *loadClient) call(ctx context.Context, method, path string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.base.String(), "/")+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return &statusError{code: resp.StatusCode}
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(raw, out)
}
