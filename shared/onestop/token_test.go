package onestop

import (
	"strings"
	"testing"
	"time"
)

func TestApplicationIDs(t *testing.T) {
	now := time.Date(2026, 11, 27, 23, 30, 0, 0, time.UTC) // already the 28th in China
	seen := map[string]bool{}
	for range 1000 {
		id := newApplicationID(now)
		if !strings.HasPrefix(id, "KB20261128") || !validApplicationID(id) {
			t.Fatalf("id %q", id)
		}
		if seen[id] {
			t.Fatalf("duplicate id %q", id)
		}
		seen[id] = true
	}
	// IDs sort in submission order (the store relies on it to keep the
	// applications in flight together), across the day and to the
	// millisecond.
	prev := ""
	for _, at := range []time.Time{
		time.Date(2026, 11, 27, 16, 0, 0, 0, time.UTC), // 00:00:00.000 in China
		time.Date(2026, 11, 27, 16, 0, 0, 1e6, time.UTC),
		time.Date(2026, 11, 27, 16, 0, 1, 0, time.UTC),
		time.Date(2026, 11, 28, 3, 59, 59, 999e6, time.UTC),
		time.Date(2026, 11, 28, 15, 59, 59, 999e6, time.UTC), // 23:59:59.999
	} {
		id := newApplicationID(at)
		if !validApplicationID(id) || id <= prev {
			t.Fatalf("id %q at %v does not sort after %q", id, at, prev)
		}
		prev = id
	}
	for _, bad := range []string{"", "KB", "KB20261127abcdefghijklmnop", "XX20261127ABCDEFGHIJKLMNOP", "KB2026112AABCDEFGHIJKLMNOP", "KB20261127ABCDEFGHIJKLMNO1"} {
		if validApplicationID(bad) {
			t.Errorf("validApplicationID(%q) = true", bad)
		}
	}
}

func TestSealedTokenOpensOnlyForTheSameRequest(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	key, err := sealKey(secret, "key-1", "hash-1")
	if err != nil {
		t.Fatal(err)
	}
	tok := newAccessToken()
	sealed, err := sealToken(key, "KB1", tok)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := openToken(key, "KB1", sealed); err != nil || got != tok {
		t.Fatalf("open = %q, %v", got, err)
	}
	other := func(s []byte, k, h string) []byte { b, _ := sealKey(s, k, h); return b }
	for name, k := range map[string][]byte{
		"other idempotency key": other(secret, "key-2", "hash-1"),
		"other body":            other(secret, "key-1", "hash-2"),
		"other secret":          other([]byte("another secret of thirty-two b!!"), "key-1", "hash-1"),
	} {
		if _, err := openToken(k, "KB1", sealed); err == nil {
			t.Errorf("%s opened the sealed token", name)
		}
	}
	if _, err := openToken(key, "KB2", sealed); err == nil {
		t.Error("sealed token opened for another application")
	}
	if _, err := openToken(key, "KB1", sealed[:5]); err == nil {
		t.Error("truncated seal opened")
	}
}
