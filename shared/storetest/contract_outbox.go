package storetest

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// RunOutboxContract is the contract every kaiban.Outbox keeps: a message
// is stored once per key however often and however concurrently it is
// sent, reads back exactly, lists newest first, and bad input is refused
// without storing anything. open must return a new, empty outbox.
func RunOutboxContract(t *testing.T, open func(t *testing.T) kaiban.Outbox) {
	base := time.Date(2026, 12, 5, 9, 30, 0, 123456789, time.UTC)
	msg := func(key string, at time.Time) kaiban.Message {
		return kaiban.Message{
			Key: key, ApplicationID: "KB1", To: "13800138000", Channel: kaiban.ChannelSMS, Kind: "submitted",
			Text: "【开办】您的申请已提交 " + key, Link: "http://127.0.0.1:8080/status/KB1#token=abc", SentAt: at,
		}
	}
	t.Run("RoundTrip", func(t *testing.T) {
		t.Parallel()
		o := open(t)
		want := msg("KB1/submitted/sms", base)
		want.Channel, want.To = kaiban.ChannelEmail, "founder@example.com"
		if err := o.Send(t.Context(), want); err != nil {
			t.Fatal(err)
		}
		got, err := o.Messages(t.Context(), 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || !got[0].SentAt.Equal(want.SentAt) {
			t.Fatalf("messages = %+v, want exactly %+v", got, want)
		}
		got[0].SentAt = want.SentAt
		if got[0] != want {
			t.Fatalf("message read back as %+v, want %+v", got[0], want)
		}
	})
	t.Run("SentAtDefaultsToNow", func(t *testing.T) {
		t.Parallel()
		o := open(t)
		before := time.Now().Add(-time.Second)
		if err := o.Send(t.Context(), msg("k", time.Time{})); err != nil {
			t.Fatal(err)
		}
		got, err := o.Messages(t.Context(), 0)
		if err != nil || len(got) != 1 {
			t.Fatalf("messages = %v, %v", got, err)
		}
		if got[0].SentAt.Before(before) || got[0].SentAt.After(time.Now().Add(time.Second)) {
			t.Fatalf("sentAt = %v, want about now", got[0].SentAt)
		}
	})
	t.Run("SameKeyTwiceIsOneMessage", func(t *testing.T) {
		t.Parallel()
		o := open(t)
		first := msg("KB1/completed/sms", base)
		again := first
		again.Text, again.SentAt = "another text", base.Add(time.Minute)
		for _, m := range []kaiban.Message{first, again} {
			if err := o.Send(t.Context(), m); err != nil {
				t.Fatalf("send: %v (a repeated key is not an error)", err)
			}
		}
		got, err := o.Messages(t.Context(), 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Text != first.Text {
			t.Fatalf("messages = %+v, want only the first send", got)
		}
	})
	t.Run("ConcurrentSendsOfOneKey", func(t *testing.T) {
		t.Parallel()
		o := open(t)
		const n = 16
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				m := msg("KB1/rejected/sms", base.Add(time.Duration(i)*time.Second))
				m.Text = fmt.Sprintf("attempt %d", i)
				errs <- o.Send(t.Context(), m)
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("concurrent send: %v", err)
			}
		}
		got, err := o.Messages(t.Context(), 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			t.Fatalf("%d messages for one key sent %d times at once, want 1", len(got), n)
		}
	})
	t.Run("NewestFirstAndLimit", func(t *testing.T) {
		t.Parallel()
		o := open(t)
		for i := range 5 {
			if err := o.Send(t.Context(), msg(fmt.Sprintf("k%d", i), base.Add(time.Duration(i)*time.Minute))); err != nil {
				t.Fatal(err)
			}
		}
		got, err := o.Messages(t.Context(), 3)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, m := range got {
			keys = append(keys, m.Key)
		}
		if strings.Join(keys, ",") != "k4,k3,k2" {
			t.Fatalf("keys = %v, want k4,k3,k2 (newest first, limit 3)", keys)
		}
	})
	t.Run("BadInput", func(t *testing.T) {
		t.Parallel()
		o := open(t)
		long := strings.Repeat("x", kaiban.MaxMessageText+1)
		cases := []struct {
			name string
			edit func(*kaiban.Message)
		}{
			{"no key", func(m *kaiban.Message) { m.Key = "" }},
			{"no recipient", func(m *kaiban.Message) { m.To = "" }},
			{"unknown channel", func(m *kaiban.Message) { m.Channel = "fax" }},
			{"no text", func(m *kaiban.Message) { m.Text = "" }},
			{"text too long", func(m *kaiban.Message) { m.Text = long }},
			{"link too long", func(m *kaiban.Message) { m.Link = long }},
			{"key not UTF-8", func(m *kaiban.Message) { m.Key = "k\xff" }},
		}
		for _, c := range cases {
			m := msg("bad", base)
			c.edit(&m)
			if err := o.Send(t.Context(), m); !kaiban.IsName(err, kaiban.ErrInput) {
				t.Errorf("%s: err = %v, want %s", c.name, err, kaiban.ErrInput)
			}
		}
		got, err := o.Messages(t.Context(), 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 0 {
			t.Fatalf("refused messages were stored: %+v", got)
		}
	})
}
