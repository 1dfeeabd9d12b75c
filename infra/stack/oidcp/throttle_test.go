package oidcp

import (
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"
)

// After five wrong passwords a username is refused for five minutes, even
// with the right password; then it signs in again.
func TestLoginIsThrottledPerUsername(t *testing.T) {
	tp := newTestProvider(t)
	var mu sync.Mutex
	now := time.Now()
	tp.p.store.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	acc := tp.accounts.Accounts[0]
	resp := tp.authorize(tp.authQuery("verifier-0123456789-0123456789-0123456789"))
	loc, _ := url.Parse(resp.Header.Get("Location"))
	id := loc.Query().Get("authRequestID")
	post := func(user, pw string) int {
		t.Helper()
		r, err := tp.client.PostForm(tp.srv.URL+"/oidc/login", url.Values{"authRequestID": {id}, "username": {user}, "password": {pw}})
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		return r.StatusCode
	}
	for i := range maxFailures {
		if got := post(acc.Username, "wrong-password-"+string(rune('a'+i))); got != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d, want 401", i+1, got)
		}
	}
	if got := post(acc.Username, acc.Password); got != http.StatusTooManyRequests {
		t.Fatalf("right password while locked: %d, want 429", got)
	}
	if got := post(tp.accounts.Accounts[1].Username, tp.accounts.Accounts[1].Password); got != http.StatusFound {
		t.Errorf("another clerk: %d, want 302", got)
	}
	mu.Lock()
	now = now.Add(lockout + time.Second)
	mu.Unlock()
	resp = tp.authorize(tp.authQuery("verifier-0123456789-0123456789-0123456789"))
	loc, _ = url.Parse(resp.Header.Get("Location"))
	id = loc.Query().Get("authRequestID")
	if got := post(acc.Username, acc.Password); got != http.StatusFound {
		t.Errorf("after the lockout: %d, want 302", got)
	}
}
