package onestop_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/onestop"
	"github.com/kaiban/kaiban/shared/onestop/confirmtest"
	"github.com/kaiban/kaiban/shared/signing"
	"github.com/kaiban/kaiban/shared/storetest"
	"github.com/kaiban/kaiban/shared/validate"
)

type confirmEnv struct {
	*env
	notes    *confirmtest.Notifier
	identity *confirmtest.Identity
}

func newConfirmEnv(t *testing.T) *confirmEnv {
	t.Helper()
	e := &confirmEnv{env: &env{store: storetest.NewMemStore(), wf: &workflow{taken: map[string]onestop.ClerkDecision{}}, clock: now}}
	var cd *onestop.ConfirmDeps
	cd, e.notes, e.identity = confirmtest.Deps(e.store)
	deps := onestop.Deps{Store: e.store, Validator: validate.New(), Workflow: e.wf,
		Clock: func() time.Time { return e.clock }, TokenSecret: []byte("test secret that is long enough for hkdf"), Confirm: cd}
	if err := deps.Check(); err != nil {
		t.Fatal(err)
	}
	e.svc = onestop.New(deps)
	t.Cleanup(func() { _ = e.store.Close() })
	return e
}

// submitOpen submits body, which opens its confirmations, and returns
// them.
func (e *confirmEnv) submitOpen(t *testing.T, body []byte) (onestop.Submitted, []kaiban.Confirmation) {
	t.Helper()
	out, err := e.svc.Submit(t.Context(), onestop.SubmitRequest{Body: body})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := e.store.ListConfirmations(t.Context(), out.ID)
	if err != nil {
		t.Fatal(err)
	}
	return out, cs
}

var (
	yes = true
	no  = false
)

func live() onestop.IdentityInput {
	return onestop.IdentityInput{Liveness: &onestop.Liveness{Passed: true}}
}

// The example form names four people: 张伟 (legal representative,
// shareholder, director, liaison; with an e-mail), 李娜 (shareholder,
// supervisor), 王磊 (manager), 陈静 (finance officer, tax handler).
func TestEveryPersonGetsOneLinkWithAllRoles(t *testing.T) {
	e := newConfirmEnv(t)
	out, cs := e.submitOpen(t, form(t))
	if len(cs) != 4 {
		t.Fatalf("%d confirmations, want 4", len(cs))
	}
	wantRoles := [][]kaiban.ConfirmRole{
		{kaiban.RoleLegalRepresentative, kaiban.RoleShareholder, kaiban.RoleDirector, kaiban.RoleLiaison},
		{kaiban.RoleShareholder, kaiban.RoleSupervisor}, {kaiban.RoleManager}, {kaiban.RoleFinanceOfficer, kaiban.RoleTaxHandler},
	}
	for i, c := range cs {
		var got []kaiban.ConfirmRole
		for _, r := range c.Roles {
			got = append(got, r.Role)
		}
		if c.State != kaiban.ConfirmPending || strings.Join(roleStrings(got), ",") != strings.Join(roleStrings(wantRoles[i]), ",") {
			t.Errorf("person %d: %s %v, want PENDING %v", i, c.State, got, wantRoles[i])
		}
	}
	msgs := e.notes.Messages(out.ID, "confirm")
	type sent struct{ to, channel string }
	var got []sent
	for _, m := range msgs {
		got = append(got, sent{m.To, string(m.Channel)})
		if !strings.HasPrefix(m.Link, "/confirm#"+out.ID+".") || strings.Contains(m.Text, m.Link) {
			t.Errorf("link %q (the token travels in the fragment, the text does not repeat it)", m.Link)
		}
	}
	want := []sent{{"13840012345", "sms"}, {"zhangwei@example.com", "email"}, {"13940022468", "sms"}, {"13700033579", "sms"}, {"13998765432", "sms"}}
	if len(got) != len(want) {
		t.Fatalf("sent %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("message %d to %v, want %v", i, got[i], want[i])
		}
	}
	// A retried step sends nothing again and keeps the links.
	if _, err := e.svc.OpenConfirmations(t.Context(), out.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(e.notes.Messages(out.ID, "confirm")); n != len(want) {
		t.Errorf("%d messages after a retry, want %d", n, len(want))
	}
}

func roleStrings(rs []kaiban.ConfirmRole) []string {
	var out []string
	for _, r := range rs {
		out = append(out, string(r))
	}
	return out
}

func TestConfirmationViewAndTokens(t *testing.T) {
	e := newConfirmEnv(t)
	out, _ := e.submitOpen(t, form(t))
	tokens := e.notes.Tokens(out.ID)
	v, err := e.svc.Confirmation(t.Context(), tokens[1], validate.LangEN)
	if err != nil {
		t.Fatal(err)
	}
	app, _ := e.store.GetApplication(t.Context(), out.ID)
	if v.Company.Name != "沈阳云启软件科技有限公司" || v.Person.Name != "李娜" || v.Person.IDNumber != "210*************42" ||
		len(v.Roles) != 2 || v.Roles[0].Label != "shareholder" || v.Roles[0].Contribution == nil || v.Roles[0].Contribution.Amount != 400000 ||
		len(v.Documents) != 1 || v.Documents[0].SHA256 != kaiban.FormDigest(app.Form) || v.State != kaiban.ConfirmPending {
		t.Errorf("view %+v", v)
	}
	if b, _ := json.Marshal(v); bytes.Contains(b, []byte("210103198807260242")) || bytes.Contains(b, []byte("13940022468")) {
		t.Errorf("the view shows an ID or mobile number: %s", b)
	}
	tok := tokens[1]
	flipped := tok[:len(tok)-1] + string("AB"[0]+(tok[len(tok)-1]&1))
	cases := map[string]string{
		"wrong secret":        flipped,
		"another person":      strings.Replace(tok, out.ID+".1.", out.ID+".2.", 1),
		"unknown application": strings.Replace(tok, out.ID, "KB20261127AAAAAAAAAAAAAAAA", 1),
		"malformed":           "nonsense",
		"empty":               "",
	}
	for name, tk := range cases {
		if _, err := e.svc.Confirmation(t.Context(), tk, validate.LangEN); !kaiban.IsName(err, kaiban.ErrNotFound) {
			t.Errorf("%s: %v, want the same NotFound", name, err)
		}
	}
	e.clock = now.Add(kaiban.ConfirmWindow + time.Minute)
	if _, err := e.svc.Confirmation(t.Context(), tok, validate.LangEN); !kaiban.IsName(err, kaiban.ErrNotFound) {
		t.Errorf("expired link: %v, want NotFound", err)
	}
}

func TestVerifySignAndSecondDecision(t *testing.T) {
	e := newConfirmEnv(t)
	out, _ := e.submitOpen(t, form(t))
	tok := e.notes.Tokens(out.ID)[0]
	ctx := t.Context()
	if _, err := e.svc.Decide(ctx, tok, onestop.DecisionInput{Sign: &yes}, validate.LangEN); !kaiban.IsName(err, kaiban.ErrConfirmationUnverified) {
		t.Fatalf("signing before verifying: %v", err)
	}
	r, err := e.svc.VerifyIdentity(ctx, tok, onestop.IdentityInput{}, validate.LangEN)
	if err != nil || r.Verified || r.Reason == "" {
		t.Fatalf("no liveness: %+v %v, want not verified with a reason", r, err)
	}
	if r, err = e.svc.VerifyIdentity(ctx, tok, live(), validate.LangEN); err != nil || !r.Verified {
		t.Fatalf("verify: %+v %v", r, err)
	}
	d, err := e.svc.Decide(ctx, tok, onestop.DecisionInput{Sign: &yes}, validate.LangEN)
	if err != nil || d.State != kaiban.ConfirmSigned {
		t.Fatalf("sign: %+v %v", d, err)
	}
	if _, err := e.svc.Decide(ctx, tok, onestop.DecisionInput{Sign: &no, Reason: "改主意了"}, validate.LangEN); !kaiban.IsName(err, kaiban.ErrConfirmationDecided) ||
		kaiban.HTTPStatus(err) != 409 {
		t.Errorf("second decision: %v, want 409 %s", err, kaiban.ErrConfirmationDecided)
	}
	c, _ := e.store.GetConfirmation(ctx, out.ID, 0)
	if c.Signature == nil {
		t.Fatal("no signature recorded")
	}
	if err := signing.Verify(confirmtest.Signer().Public(), *c.Signature); err != nil {
		t.Errorf("the signature does not verify under the platform key: %v", err)
	}
	var st kaiban.SignedStatement
	app, _ := e.store.GetApplication(ctx, out.ID)
	if err := json.Unmarshal(c.Signature.Statement, &st); err != nil || st.ApplicationID != out.ID || st.Person != c.PersonKey ||
		len(st.Documents) != 1 || st.Documents[0].SHA256 != kaiban.FormDigest(app.Form) || !st.SignedAt.Equal(now) || st.Method == "" {
		t.Errorf("statement %+v %v", st, err)
	}
	trail, _ := e.store.ListAudit(ctx, out.ID)
	if last := trail[len(trail)-1]; last.Action != "confirmation.signed" || last.Actor != "person:0" {
		t.Errorf("last audit event %s by %s", last.Action, last.Actor)
	}
	if ver, err := kaiban.VerifyApplication(ctx, e.store, app); err != nil || !ver.Intact() {
		t.Errorf("audit trail: %+v %v", ver, err)
	}
}

func TestDecisionInputAndDecline(t *testing.T) {
	e := newConfirmEnv(t)
	out, _ := e.submitOpen(t, form(t))
	tok := e.notes.Tokens(out.ID)[2]
	ctx := t.Context()
	for name, in := range map[string]onestop.DecisionInput{
		"no choice":            {},
		"decline, no reason":   {Sign: &no, Reason: "  "},
		"decline, long reason": {Sign: &no, Reason: strings.Repeat("长", 501)},
	} {
		_, err := e.svc.Decide(ctx, tok, in, validate.LangEN)
		var ke *kaiban.Error
		if !kaiban.IsName(err, kaiban.ErrValidation) || !errorsAs(err, &ke) || len(ke.Fields) != 1 || ke.Fields[0].Message == "" {
			t.Errorf("%s: %v, want one field error", name, err)
		}
	}
	if r, err := e.svc.VerifyIdentity(ctx, tok, live(), validate.LangZH); err != nil || !r.Verified {
		t.Fatal(r, err)
	}
	if _, err := e.svc.Decide(ctx, tok, onestop.DecisionInput{Sign: &no, Reason: "我没有同意担任经理"}, validate.LangZH); err != nil {
		t.Fatal(err)
	}
	st, err := e.svc.Status(ctx, out.ID, out.AccessToken, validate.LangZH)
	if err != nil {
		t.Fatal(err)
	}
	if st.AcceptedAt != nil || len(st.Confirmations) != 4 {
		t.Fatalf("status %+v", st)
	}
	c := st.Confirmations[2]
	if c.Name != "王*" || c.Role != kaiban.RoleManager || c.RoleLabel != "经理" || c.State != kaiban.ConfirmDeclined || c.Reason != "我没有同意担任经理" {
		t.Errorf("declined person in the status: %+v", c)
	}
}

func errorsAs(err error, ke **kaiban.Error) bool {
	e, ok := err.(*kaiban.Error)
	*ke = e
	return ok
}

func TestImpostorFailsIdentity(t *testing.T) {
	e := newConfirmEnv(t)
	body := bytes.ReplaceAll(form(t), []byte("王磊"), []byte("冒用磊"))
	out, _ := e.submitOpen(t, body)
	r, err := e.svc.VerifyIdentity(t.Context(), e.notes.Tokens(out.ID)[2], live(), validate.LangEN)
	if err != nil || r.Verified || r.Reason == "" {
		t.Errorf("impostor: %+v %v, want not verified with a reason", r, err)
	}
	c, _ := e.store.GetConfirmation(t.Context(), out.ID, 2)
	if c.State != kaiban.ConfirmPending {
		t.Errorf("impostor's confirmation is %s", c.State)
	}
}

func TestAllSignAcceptsAndVerifiedYesterdayIsNotAskedAgain(t *testing.T) {
	e := newConfirmEnv(t)
	ctx := t.Context()
	first, _ := e.submitOpen(t, form(t))
	e.clock = now.Add(10 * time.Minute)
	if err := confirmtest.SignAll(ctx, e.svc, e.notes, first.ID); err != nil {
		t.Fatal(err)
	}
	st, err := e.svc.Status(ctx, first.ID, first.AccessToken, validate.LangEN)
	if err != nil || st.AcceptedAt == nil || !st.AcceptedAt.Equal(now.Add(10*time.Minute)) || !st.SubmittedAt.Equal(now) {
		t.Fatalf("status after all signed: accepted %v submitted %v %v", st.AcceptedAt, st.SubmittedAt, err)
	}
	calls := e.identity.Calls()
	if calls != 4 {
		t.Errorf("%d identity checks for four people, want 4", calls)
	}

	// The same four found another company the next day.
	e.clock = now.Add(24 * time.Hour)
	body := bytes.ReplaceAll(form(t), []byte("云启"), []byte("云帆"))
	second, cs := e.submitOpen(t, body)
	for _, c := range cs {
		if c.State != kaiban.ConfirmVerified {
			t.Errorf("person %d verified yesterday is %s, want VERIFIED at once", c.Seq, c.State)
		}
	}
	if err := confirmtest.SignAll(ctx, e.svc, e.notes, second.ID); err != nil {
		t.Fatal(err)
	}
	if got := e.identity.Calls(); got != calls {
		t.Errorf("identity agency asked %d more times, want 0", got-calls)
	}
	// 31 days later they are asked again.
	e.clock = now.Add(31 * 24 * time.Hour)
	body = bytes.ReplaceAll(form(t), []byte("云启"), []byte("云海"))
	body = bytes.ReplaceAll(body, []byte("2027-01-06"), []byte("2027-01-07"))
	_, cs = e.submitOpen(t, body)
	if cs[0].State != kaiban.ConfirmPending {
		t.Errorf("a month later: %s, want PENDING", cs[0].State)
	}
}

// rawWorkflow records what each task token was sent.
type rawWorkflow struct {
	*workflow
	mu   sync.Mutex
	sent map[string]kaiban.ConfirmOutcome
}

func (w *rawWorkflow) SendTaskSuccess(_ context.Context, token string, output json.RawMessage) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	var o kaiban.ConfirmOutcome
	if err := json.Unmarshal(output, &o); err != nil {
		return err
	}
	w.sent[token] = o
	return nil
}

func (w *rawWorkflow) outcome(token string) (kaiban.ConfirmOutcome, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	o, ok := w.sent[token]
	return o, ok
}

func newWaitEnv(t *testing.T) (*confirmEnv, *rawWorkflow) {
	t.Helper()
	e := &confirmEnv{env: &env{store: storetest.NewMemStore(), clock: now}}
	raw := &rawWorkflow{workflow: &workflow{taken: map[string]onestop.ClerkDecision{}}, sent: map[string]kaiban.ConfirmOutcome{}}
	var cd *onestop.ConfirmDeps
	cd, e.notes, e.identity = confirmtest.Deps(e.store)
	e.svc = onestop.New(onestop.Deps{Store: e.store, Validator: validate.New(), Workflow: raw,
		Clock: func() time.Time { return e.clock }, TokenSecret: []byte("test secret that is long enough for hkdf"), Confirm: cd})
	return e, raw
}

// The last signature accepts the application (the 4-hour deadline starts
// then, with an audit event) and hands the waiting workflow the outcome.
func TestLastSignatureAcceptsAndTellsTheWaitingWorkflow(t *testing.T) {
	e, wf := newWaitEnv(t)
	ctx := t.Context()
	out, _ := e.submitOpen(t, form(t))
	if o, err := e.svc.AwaitConfirmations(ctx, out.ID, "wait-1"); err != nil || o.Outcome != kaiban.OutcomePending {
		t.Fatalf("await: %+v %v", o, err)
	}
	e.clock = now.Add(2 * time.Hour)
	if err := confirmtest.SignAll(ctx, e.svc, e.notes, out.ID); err != nil {
		t.Fatal(err)
	}
	o, ok := wf.outcome("wait-1")
	if !ok || o.Outcome != kaiban.OutcomeSigned || o.AcceptedAt == nil || !o.AcceptedAt.Equal(e.clock) {
		t.Fatalf("the waiting workflow got %+v (sent %v)", o, ok)
	}
	app, _ := e.store.GetApplication(ctx, out.ID)
	if !app.Deadline.Equal(e.clock.Add(kaiban.DeadlineAfterSubmission)) || !app.SubmittedAt.Equal(now) {
		t.Errorf("deadline %v, want the acceptance plus 4 h (submitted %v)", app.Deadline, app.SubmittedAt)
	}
	trail, _ := e.store.ListAudit(ctx, out.ID)
	accepted := 0
	for _, ev := range trail {
		if ev.Action == "application.accepted" {
			accepted++
		}
	}
	if accepted != 1 {
		t.Errorf("%d acceptance events, want 1", accepted)
	}
	// Reading the outcome again (a retried step) accepts nothing twice.
	if o, err := e.svc.ConfirmationOutcome(ctx, out.ID); err != nil || o.Outcome != kaiban.OutcomeSigned {
		t.Fatalf("outcome again: %+v %v", o, err)
	}
	if after, _ := e.store.ListAudit(ctx, out.ID); len(after) != len(trail) {
		t.Errorf("reading the outcome again wrote %d events", len(after)-len(trail))
	}
	if ver, err := kaiban.VerifyApplication(ctx, e.store, app); err != nil || !ver.Intact() {
		t.Errorf("audit trail: %+v %v", ver, err)
	}
}

// One decline settles the confirmations: the waiting workflow gets the
// person (role, masked name) and their reason, nobody is accepted.
func TestDeclineTellsTheWaitingWorkflowWhoAndWhy(t *testing.T) {
	e, wf := newWaitEnv(t)
	ctx := t.Context()
	out, _ := e.submitOpen(t, form(t))
	if _, err := e.svc.AwaitConfirmations(ctx, out.ID, "wait-1"); err != nil {
		t.Fatal(err)
	}
	tok := e.notes.Tokens(out.ID)[2]
	if r, err := e.svc.VerifyIdentity(ctx, tok, live(), validate.LangZH); err != nil || !r.Verified {
		t.Fatal(r, err)
	}
	if _, err := e.svc.Decide(ctx, tok, onestop.DecisionInput{Sign: &no, Reason: "我没有同意担任经理"}, validate.LangZH); err != nil {
		t.Fatal(err)
	}
	o, ok := wf.outcome("wait-1")
	if !ok || o.Outcome != kaiban.OutcomeDeclined || !strings.Contains(o.Cause, "经理王*") || !strings.Contains(o.Cause, "我没有同意担任经理") {
		t.Fatalf("the waiting workflow got %+v", o)
	}
	if text, code := kaiban.LocalizeNotice(o.Cause, true); code != kaiban.NoticeConfirmationDeclined || !strings.Contains(text, "declined") {
		t.Errorf("the cause in English: %q (%s)", text, code)
	}
	if st, _ := e.svc.Status(ctx, out.ID, out.AccessToken, validate.LangEN); st.AcceptedAt != nil {
		t.Errorf("accepted at %v after a decline", st.AcceptedAt)
	}
}
