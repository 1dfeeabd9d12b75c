package storetest

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// ConfirmationStore is a store with the confirmations part.
type ConfirmationStore interface {
	kaiban.Store
	kaiban.Confirmations
}

// PersonKeySecret keys the fixtures' person keys.
var PersonKeySecret = []byte("person-key-of-the-contract-suite")

// Confirmations returns the PENDING confirmations of application id
// created at created: one per person of Form, token Token(id)+"."+seq.
func Confirmations(id string, created time.Time) []kaiban.Confirmation {
	var out []kaiban.Confirmation
	for _, p := range kaiban.Confirmers(Form()) {
		out = append(out, kaiban.Confirmation{
			ApplicationID: id, Seq: p.Seq, PersonKey: kaiban.PersonKey(PersonKeySecret, p.IDNumber),
			Roles: p.Roles, TokenHash: kaiban.HashToken(ConfirmationToken(id, p.Seq)), State: kaiban.ConfirmPending,
			CreatedAt: created, ExpiresAt: created.Add(kaiban.ConfirmWindow),
		})
	}
	return out
}

// ConfirmationToken is the token the fixtures hash for a confirmation.
func ConfirmationToken(id string, seq int) string {
	return kaiban.ConfirmToken([]byte("token-secret-of-the-contract-suite"), id, seq)
}

// Signature returns a signature record for the fixtures.
func Signature(id string) *kaiban.SignatureRecord {
	return &kaiban.SignatureRecord{Statement: []byte(`{"applicationId":"` + id + `"}`), Algorithm: "ECDSA_SHA_256", KeyID: "test", Value: []byte{0x30, 0x01, 0x02}}
}

func confirmEvent(id, action string, at time.Time) kaiban.AuditEvent {
	return kaiban.AuditEvent{ApplicationID: id, Time: at, Actor: "person", Action: action}
}

// RunConfirmationsContract checks the kaiban.Confirmations part of a store.
// open must return a new, empty store for each call.
func RunConfirmationsContract(t *testing.T, open func(t *testing.T) ConfirmationStore) {
	ctx := t.Context
	newApp := func(t *testing.T, s ConfirmationStore, id string) []kaiban.Confirmation {
		t.Helper()
		if _, err := s.CreateApplication(ctx(), Request(id, T0)); err != nil {
			t.Fatal(err)
		}
		got, err := s.CreateConfirmations(ctx(), Confirmations(id, T0))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}

	t.Run("CreateAndRead", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		want := Confirmations("KBCONF1", T0)
		got := newApp(t, s, "KBCONF1")
		if len(got) != len(want) {
			t.Fatalf("created %d, want %d", len(got), len(want))
		}
		list, err := s.ListConfirmations(ctx(), "KBCONF1")
		if err != nil {
			t.Fatal(err)
		}
		for i, w := range want {
			checkConfirmation(t, list[i], w)
		}
		one, err := s.GetConfirmation(ctx(), "KBCONF1", 2)
		if err != nil {
			t.Fatal(err)
		}
		checkConfirmation(t, one, want[2])
		if _, err := s.GetConfirmation(ctx(), "KBCONF1", 99); !kaiban.IsName(err, kaiban.ErrNotFound) {
			t.Errorf("unknown seq: %v, want NotFound", err)
		}
		if _, err := s.GetConfirmation(ctx(), "KBNONE", 0); !kaiban.IsName(err, kaiban.ErrNotFound) {
			t.Errorf("unknown application: %v, want NotFound", err)
		}
		if l, err := s.ListConfirmations(ctx(), "KBNONE"); err != nil || len(l) != 0 {
			t.Errorf("unknown application lists %v, %v", l, err)
		}
	})

	t.Run("CreateAgainKeepsTheFirst", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		first := newApp(t, s, "KBCONF2")
		again := Confirmations("KBCONF2", T0.Add(time.Hour))
		again[0].TokenHash = kaiban.HashToken("another")
		got, err := s.CreateConfirmations(ctx(), again)
		if err != nil {
			t.Fatal(err)
		}
		for i := range first {
			checkConfirmation(t, got[i], first[i])
		}
	})

	t.Run("RefusesBadInput", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		dup := Confirmations("KBCONF3", T0)
		dup[1].Seq = 0
		for name, cs := range map[string][]kaiban.Confirmation{"none": nil, "duplicate seq": dup} {
			if _, err := s.CreateConfirmations(ctx(), cs); !kaiban.IsName(err, kaiban.ErrInput) {
				t.Errorf("%s: %v, want Input.Invalid", name, err)
			}
		}
	})

	t.Run("VerifyThenSign", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		newApp(t, s, "KBCONF4")
		at := T0.Add(time.Minute)
		if _, err := s.DecideConfirmation(ctx(), "KBCONF4", 0, kaiban.ConfirmDecision{Sign: true, At: at, Signature: Signature("KBCONF4")},
			confirmEvent("KBCONF4", "confirmation.signed", at)); !kaiban.IsName(err, kaiban.ErrConfirmationUnverified) {
			t.Fatalf("signing unverified: %v, want %s", err, kaiban.ErrConfirmationUnverified)
		}
		c, err := s.VerifyConfirmation(ctx(), "KBCONF4", 0, at, confirmEvent("KBCONF4", "confirmation.verified", at))
		if err != nil {
			t.Fatal(err)
		}
		if c.State != kaiban.ConfirmVerified || c.VerifiedAt == nil || !c.VerifiedAt.Equal(at) {
			t.Fatalf("verified: %+v", c)
		}
		if _, err := s.VerifyConfirmation(ctx(), "KBCONF4", 0, at.Add(time.Second), confirmEvent("KBCONF4", "confirmation.verified", at)); err != nil {
			t.Fatalf("verifying again: %v", err)
		}
		signAt := at.Add(time.Minute)
		c, err = s.DecideConfirmation(ctx(), "KBCONF4", 0, kaiban.ConfirmDecision{Sign: true, At: signAt, Signature: Signature("KBCONF4")},
			confirmEvent("KBCONF4", "confirmation.signed", signAt))
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.GetConfirmation(ctx(), "KBCONF4", 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range []kaiban.Confirmation{c, got} {
			if g.State != kaiban.ConfirmSigned || g.DecidedAt == nil || !g.DecidedAt.Equal(signAt) || g.Signature == nil ||
				!bytes.Equal(g.Signature.Value, Signature("").Value) || !bytes.Equal(g.Signature.Statement, Signature("KBCONF4").Statement) ||
				g.Signature.KeyID != "test" || g.Signature.Algorithm != "ECDSA_SHA_256" {
				t.Errorf("signed: %+v", g)
			}
		}
		if _, err := s.VerifyConfirmation(ctx(), "KBCONF4", 0, at, confirmEvent("KBCONF4", "confirmation.verified", at)); !kaiban.IsName(err, kaiban.ErrConfirmationDecided) {
			t.Errorf("verifying a signed confirmation: %v", err)
		}
		trail, err := s.ListAudit(ctx(), "KBCONF4")
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range trail {
			actions = append(actions, e.Action)
		}
		if n := len(actions); n < 2 || actions[n-2] != "confirmation.verified" || actions[n-1] != "confirmation.signed" {
			t.Errorf("audit trail ends %v, want one verified and one signed event", actions)
		}
		if err := s.VerifyAudit(ctx(), "KBCONF4"); err != nil {
			t.Errorf("trail does not verify: %v", err)
		}
	})

	t.Run("DeclineKeepsTheReason", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		newApp(t, s, "KBCONF5")
		if _, err := s.VerifyConfirmation(ctx(), "KBCONF5", 1, T0, confirmEvent("KBCONF5", "confirmation.verified", T0)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DecideConfirmation(ctx(), "KBCONF5", 1, kaiban.ConfirmDecision{Reason: "出资额不对", At: T0},
			confirmEvent("KBCONF5", "confirmation.declined", T0)); err != nil {
			t.Fatal(err)
		}
		c, err := s.GetConfirmation(ctx(), "KBCONF5", 1)
		if err != nil || c.State != kaiban.ConfirmDeclined || c.DeclineReason != "出资额不对" || c.Signature != nil {
			t.Errorf("declined: %+v, %v", c, err)
		}
		if _, err := s.DecideConfirmation(ctx(), "KBCONF5", 1, kaiban.ConfirmDecision{Reason: "", At: T0},
			confirmEvent("KBCONF5", "confirmation.declined", T0)); !kaiban.IsName(err, kaiban.ErrInput) {
			t.Errorf("decline without reason: %v, want Input.Invalid", err)
		}
	})

	t.Run("ConcurrentDecisionsOneWins", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		newApp(t, s, "KBCONF6")
		if _, err := s.VerifyConfirmation(ctx(), "KBCONF6", 0, T0, confirmEvent("KBCONF6", "confirmation.verified", T0)); err != nil {
			t.Fatal(err)
		}
		const n = 6
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				d := kaiban.ConfirmDecision{Sign: i%2 == 0, Reason: "不同意", At: T0, Signature: Signature("KBCONF6")}
				_, errs[i] = s.DecideConfirmation(ctx(), "KBCONF6", 0, d, confirmEvent("KBCONF6", "confirmation.decided", T0))
			})
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !kaiban.IsName(err, kaiban.ErrConfirmationDecided):
				t.Errorf("losing decision: %v, want %s", err, kaiban.ErrConfirmationDecided)
			}
		}
		if won != 1 {
			t.Errorf("%d decisions won, want exactly 1", won)
		}
		trail, _ := s.ListAudit(ctx(), "KBCONF6")
		decided := 0
		for _, e := range trail {
			if e.Action == "confirmation.decided" {
				decided++
			}
		}
		if decided != 1 {
			t.Errorf("%d decision events in the trail, want 1", decided)
		}
	})

	t.Run("WaiterTokenIsReplaced", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		newApp(t, s, "KBCONF7")
		if _, err := s.ConfirmationWaiter(ctx(), "KBCONF7"); !kaiban.IsName(err, kaiban.ErrNotFound) {
			t.Fatalf("no waiter yet: %v, want NotFound", err)
		}
		for _, tok := range []string{"token-1", "token-2"} {
			if err := s.SetConfirmationWaiter(ctx(), "KBCONF7", tok); err != nil {
				t.Fatal(err)
			}
			if got, err := s.ConfirmationWaiter(ctx(), "KBCONF7"); err != nil || got != tok {
				t.Errorf("waiter %q, %v, want %q", got, err, tok)
			}
		}
		if err := s.SetConfirmationWaiter(ctx(), "KBNONE", "t"); !kaiban.IsName(err, kaiban.ErrNotFound) {
			t.Errorf("waiter of an unknown application: %v, want NotFound", err)
		}
	})

	t.Run("AcceptMovesTheDeadline", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		newApp(t, s, "KBCONF8")
		accepted := T0.Add(26 * time.Hour)
		if err := s.AcceptApplication(ctx(), "KBCONF8", accepted, confirmEvent("KBCONF8", "application.accepted", accepted)); err != nil {
			t.Fatal(err)
		}
		app, err := s.GetApplication(ctx(), "KBCONF8")
		if err != nil || !app.Deadline.Equal(accepted.Add(kaiban.DeadlineAfterSubmission)) || !app.SubmittedAt.Equal(T0) {
			t.Fatalf("deadline %v (submitted %v), %v, want the acceptance plus %v", app.Deadline, app.SubmittedAt, err, kaiban.DeadlineAfterSubmission)
		}
		// The watchdog sees the new deadline, not the old one.
		risky, err := s.ListAtRisk(ctx(), T0.Add(24*time.Hour), 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range risky {
			if a.ID == "KBCONF8" {
				t.Error("an application accepted later is at risk by its submission's deadline")
			}
		}
		if err := s.VerifyAudit(ctx(), "KBCONF8"); err != nil {
			t.Errorf("trail: %v", err)
		}
		if _, err := s.UpdateApplication(ctx(), "KBCONF8", kaiban.ApplicationUpdate{Status: kaiban.AppRejected, UpdatedAt: accepted}); err != nil {
			t.Fatal(err)
		}
		if err := s.AcceptApplication(ctx(), "KBCONF8", accepted, confirmEvent("KBCONF8", "application.accepted", accepted)); !kaiban.IsName(err, kaiban.ErrInput) {
			t.Errorf("accepting a rejected application: %v, want Input.Invalid", err)
		}
	})

	t.Run("IdentityRememberedThirtyDays", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		person := kaiban.PersonKey(PersonKeySecret, PII[0])
		if _, err := s.RecentIdentity(ctx(), person, T0); !kaiban.IsName(err, kaiban.ErrNotFound) {
			t.Fatalf("never verified: %v, want NotFound", err)
		}
		if err := s.RememberIdentity(ctx(), kaiban.IdentityVerification{PersonKey: person, VerifiedAt: T0}); err != nil {
			t.Fatal(err)
		}
		// An older verification does not replace a newer one.
		if err := s.RememberIdentity(ctx(), kaiban.IdentityVerification{PersonKey: person, VerifiedAt: T0.Add(-48 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name string
			now  time.Time
			ok   bool
		}{
			{"a day later", T0.Add(24 * time.Hour), true},
			{"29 days later", T0.Add(29 * 24 * time.Hour), true},
			{"30 days later", T0.Add(kaiban.IdentityReuse), false},
		}
		for _, c := range cases {
			v, err := s.RecentIdentity(ctx(), person, c.now)
			switch {
			case c.ok && (err != nil || !v.VerifiedAt.Equal(T0)):
				t.Errorf("%s: %+v, %v, want the verification of T0", c.name, v, err)
			case !c.ok && !kaiban.IsName(err, kaiban.ErrNotFound):
				t.Errorf("%s: %+v, %v, want NotFound", c.name, v, err)
			}
		}
		if _, err := s.RecentIdentity(ctx(), kaiban.PersonKey(PersonKeySecret, PII[1]), T0); !kaiban.IsName(err, kaiban.ErrNotFound) {
			t.Errorf("another person: %v, want NotFound", err)
		}
	})
}

// checkConfirmation compares what a store returned with what was created.
func checkConfirmation(t *testing.T, got, want kaiban.Confirmation) {
	t.Helper()
	ok := got.ApplicationID == want.ApplicationID && got.Seq == want.Seq && got.PersonKey == want.PersonKey &&
		got.TokenHash == want.TokenHash && got.State == want.State && got.CreatedAt.Equal(want.CreatedAt) &&
		got.ExpiresAt.Equal(want.ExpiresAt) && len(got.Roles) == len(want.Roles)
	for i := 0; ok && i < len(want.Roles); i++ {
		ok = got.Roles[i] == want.Roles[i]
	}
	if !ok {
		t.Errorf("confirmation %d:\n got %+v\nwant %+v", want.Seq, got, want)
	}
}
