package agency_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/shared/agency"
	"github.com/kaiban/kaiban/shared/cnid"
	"github.com/kaiban/kaiban/shared/kaiban"
)

func TestHappyPathEveryAgency(t *testing.T) {
	s := startSim(t, sim.Instant())
	c := clientsFor(t, s, 5*time.Second)
	f := testForm()
	co := prepare(t, c, "app-happy", &f)

	if co.attestation.Persons != 6 {
		t.Errorf("attestation covers %d persons, want the 6 distinct persons of the form", co.attestation.Persons)
	}
	if strings.Contains(co.attestation.Digest, idLegalRep) || strings.Contains(co.attestation.ID, idLegalRep) {
		t.Error("attestation echoes an ID number")
	}
	if !cnid.ValidUSCC(co.creditCode) || co.creditCode[2:8] != "210102" {
		t.Errorf("credit code %q: want a valid GB 32100 code for 210102", co.creditCode)
	}

	results := make(map[kaiban.TrackName]any)
	for _, op := range trackOps {
		r, err := op.register(t.Context(), c, "app-happy", &f, co)
		if err != nil {
			t.Fatalf("%s: %v", op.track, err)
		}
		results[op.track] = r
	}

	lic := results[kaiban.TrackLicense].(kaiban.License)
	if lic.CreditCode != co.creditCode || lic.CompanyName != f.Company.Name || !strings.HasPrefix(lic.LicenseNumber, "210102") {
		t.Errorf("licence %+v does not match the company", lic)
	}
	seal := results[kaiban.TrackSeal].(kaiban.SealFiling)
	if len(seal.Seals) != 3 {
		t.Fatalf("seal filing has %d seals, want 3", len(seal.Seals))
	}
	codes := map[string]bool{}
	for i, r := range seal.Seals {
		if r.Type != f.Seals.Types[i] || len(r.FilingCode) != 17 || !strings.HasPrefix(r.FilingCode, "210102") || codes[r.FilingCode] {
			t.Errorf("seal %d = %+v: want type %s with its own 17-digit filing code for 210102", i, r, f.Seals.Types[i])
		}
		codes[r.FilingCode] = true
	}
	tax := results[kaiban.TrackTax].(kaiban.TaxRegistration)
	wantGrants := []kaiban.InvoiceGrant{
		{Kind: kaiban.InvoiceOrdinaryVAT, MonthlyQuantity: 50, MaxAmount: 100_000},
		{Kind: kaiban.InvoiceSpecialVAT, MonthlyQuantity: 10, MaxAmount: 50_000},
	}
	if tax.TaxpayerID != co.creditCode || !reflect.DeepEqual(tax.Invoices, wantGrants) || !strings.Contains(tax.TaxOffice, "和平区") {
		t.Errorf("tax registration %+v: want taxpayer ID = credit code, grants capped at the first-grant limits, the district office", tax)
	}
	accounts := map[string]bool{}
	for _, tr := range []kaiban.TrackName{kaiban.TrackSocialInsurance, kaiban.TrackMedicalInsurance, kaiban.TrackHousingFund} {
		a := results[tr].(kaiban.EmployerAccount)
		if len(a.AccountNumber) < 12 || accounts[a.AccountNumber] || a.StartDate != "2030-07" {
			t.Errorf("%s account %+v: want a distinct account number from 2030-07", tr, a)
		}
		accounts[a.AccountNumber] = true
	}
	bank := results[kaiban.TrackBank].(kaiban.BankAppointment)
	if bank.Date != "2030-06-03" || bank.Slot != "AM" || !strings.HasPrefix(bank.Reference, "BA20300603") {
		t.Errorf("bank appointment %+v does not match the request", bank)
	}

	want := map[string]int{"identity": 1, "market": 1, "seal": 1, "tax": 1, "social": 1, "medical": 1, "fund": 1, "bank": 1}
	if got := s.LiveRecords("app-happy"); !reflect.DeepEqual(got, want) {
		t.Errorf("LiveRecords = %v, want %v", got, want)
	}
}

func TestCreditCodeDeterministicPerApplication(t *testing.T) {
	f := testForm()
	var codes []string
	for range 2 {
		s := startSim(t, sim.Instant())
		codes = append(codes, prepare(t, clientsFor(t, s, 5*time.Second), "app-det", &f).creditCode)
	}
	other := prepare(t, clientsFor(t, startSim(t, sim.Instant()), 5*time.Second), "app-other", &f).creditCode
	if codes[0] != codes[1] {
		t.Errorf("same application got %s and %s from two simulators", codes[0], codes[1])
	}
	if other == codes[0] {
		t.Errorf("two applications got the same credit code %s", other)
	}
}

func TestRepeatedKeyReturnsFirstRecord(t *testing.T) {
	s := startSim(t, sim.Instant())
	c := clientsFor(t, s, 5*time.Second)
	f := testForm()
	co := prepare(t, c, "app-idem", &f)
	again := prepare(t, c, "app-idem", &f)
	if again != co {
		t.Errorf("repeating the first steps gave %+v, first %+v", again, co)
	}
	for _, op := range trackOps {
		t.Run(string(op.track), func(t *testing.T) {
			first, err := op.register(t.Context(), c, "app-idem", &f, co)
			if err != nil {
				t.Fatal(err)
			}
			before := s.TotalRecords()
			second, err := op.register(t.Context(), c, "app-idem", &f, co)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(first, second) {
				t.Errorf("repeat returned %+v, first %+v", second, first)
			}
			if got := s.LiveRecords("app-idem")[op.kind()]; got != 1 {
				t.Errorf("live %s records = %d, want 1", op.kind(), got)
			}
			if s.TotalRecords() != before {
				t.Errorf("repeat created a record: total %d → %d", before, s.TotalRecords())
			}
		})
	}
}

func TestCancelUndoesEveryTrack(t *testing.T) {
	s := startSim(t, sim.Instant())
	c := clientsFor(t, s, 5*time.Second)
	f := testForm()
	co := prepare(t, c, "app-cancel", &f)
	for _, op := range trackOps {
		t.Run(string(op.track), func(t *testing.T) {
			if _, err := op.register(t.Context(), c, "app-cancel", &f, co); err != nil {
				t.Fatal(err)
			}
			req := kaiban.NewCancelRequest("app-cancel", string(op.track), &f, "", "application rejected")
			first, err := op.cancel(t.Context(), c, req)
			if err != nil {
				t.Fatal(err)
			}
			if first.Records != 1 {
				t.Errorf("cancellation ended %d records, want 1", first.Records)
			}
			if got := s.LiveRecords("app-cancel")[op.kind()]; got != 0 {
				t.Errorf("live %s records after cancel = %d, want 0", op.kind(), got)
			}
			second, err := op.cancel(t.Context(), c, req)
			if err != nil || !reflect.DeepEqual(first, second) {
				t.Errorf("repeated cancel = %+v, %v; want the first receipt %+v", second, err, first)
			}
		})
	}
	if got := s.LiveRecords("app-cancel"); !reflect.DeepEqual(got, map[string]int{"identity": 1}) {
		t.Errorf("after compensation LiveRecords = %v, want only the identity verification", got)
	}
}

func TestCancelBeforeRegistrationBlocksLateRegistration(t *testing.T) {
	s := startSim(t, sim.Instant())
	c := clientsFor(t, s, 5*time.Second)
	f := testForm()
	co := prepare(t, c, "app-late", &f)
	receipt, err := c.Seal.CancelSeals(t.Context(), kaiban.NewCancelRequest("app-late", string(kaiban.TrackSeal), &f, "", "rejected"))
	if err != nil {
		t.Fatal(err)
	}
	if receipt.Records != 0 {
		t.Errorf("cancelling nothing ended %d records", receipt.Records)
	}
	_, err = c.Seal.CarveSeals(t.Context(), kaiban.NewSealRequest("app-late", &f, co.creditCode, co.attestation.ID))
	wantErr(t, err, kaiban.ErrAgencyRejected)
	if got := s.LiveRecords("app-late")["seal"]; got != 0 {
		t.Errorf("a registration arriving after its cancellation left %d live seal records", got)
	}
}

func TestCancelOfAnotherApplicationsRecordIsRefused(t *testing.T) {
	s := startSim(t, sim.Instant())
	c := clientsFor(t, s, 5*time.Second)
	f := testForm()
	co := prepare(t, c, "app-a", &f)
	if _, err := c.Bank.BookAppointment(t.Context(), kaiban.NewBankRequest("app-a", &f, co.creditCode, co.attestation.ID)); err != nil {
		t.Fatal(err)
	}
	req := kaiban.NewCancelRequest("app-b", string(kaiban.TrackBank), &f, "", "x")
	req.Of = kaiban.AgencyKey("app-a", string(kaiban.TrackBank))
	_, err := c.Bank.CancelAppointment(t.Context(), req)
	wantErr(t, err, kaiban.ErrAgencyRejected)
	if got := s.LiveRecords("app-a")["bank"]; got != 1 {
		t.Errorf("app-a's appointment was cancelled by app-b: live = %d", got)
	}
}

func TestTransientFailuresMapToUnavailable(t *testing.T) {
	tests := []struct {
		name      string
		fault     func(s *sim.Server)
		committed bool // the agency did the work although the client saw an error
	}{
		{"agency down", func(s *sim.Server) { s.SetDown(kaiban.AgencySeal, true) }, false},
		{"503", func(s *sim.Server) { s.FailNext(kaiban.AgencySeal, sim.Fail5xx, 1) }, false},
		{"dropped connection", func(s *sim.Server) { s.FailNext(kaiban.AgencySeal, sim.FailDrop, 1) }, true},
		{"stall past the timeout", func(s *sim.Server) { s.FailNext(kaiban.AgencySeal, sim.FailStall, 1) }, true},
		{"malformed answer", func(s *sim.Server) { s.SetMalformed(kaiban.AgencySeal, true) }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startSim(t, sim.Instant())
			c := clientsFor(t, s, 300*time.Millisecond)
			f := testForm()
			co := prepare(t, c, "app-t", &f)
			req := kaiban.NewSealRequest("app-t", &f, co.creditCode, co.attestation.ID)

			tt.fault(s)
			// A fresh client, so the call runs on a new connection: on a
			// reused one net/http itself retries a request that carries an
			// Idempotency-Key when the connection drops (see
			// TestDropOnReusedConnectionIsRetriedTransparently).
			_, err := clientsFor(t, s, 300*time.Millisecond).Seal.CarveSeals(t.Context(), req)
			wantErr(t, err, kaiban.ErrAgencyUnavailable)
			if got, want := s.LiveRecords("app-t")["seal"], map[bool]int{true: 1}[tt.committed]; got != want {
				t.Errorf("after the failure live seal records = %d, want %d", got, want)
			}

			s.SetDown(kaiban.AgencySeal, false)
			s.SetMalformed(kaiban.AgencySeal, false)
			filing, err := c.Seal.CarveSeals(t.Context(), req)
			if err != nil {
				t.Fatalf("retry: %v", err)
			}
			if len(filing.Seals) != len(f.Seals.Types) {
				t.Errorf("retry returned %d seals", len(filing.Seals))
			}
			if got := s.LiveRecords("app-t")["seal"]; got != 1 {
				t.Errorf("after the retry live seal records = %d, want exactly 1", got)
			}
		})
	}
}

func TestDropOnReusedConnectionIsRetriedTransparently(t *testing.T) {
	s := startSim(t, sim.Instant())
	c := clientsFor(t, s, 5*time.Second)
	f := testForm()
	co := prepare(t, c, "app-drop", &f) // leaves an idle keep-alive connection
	s.FailNext(kaiban.AgencyFund, sim.FailDrop, 1)
	if _, err := c.HousingFund.RegisterEmployer(t.Context(), kaiban.NewEmployerRequest(kaiban.TrackHousingFund, "app-drop", &f, co.creditCode, co.attestation.ID)); err != nil {
		t.Fatalf("RegisterEmployer: %v", err)
	}
	if got := s.Calls(kaiban.AgencyFund); got != 2 {
		t.Errorf("fund agency saw %d calls, want the dropped one and the transport's retry", got)
	}
	if got := s.LiveRecords("app-drop")["fund"]; got != 1 {
		t.Errorf("live fund records = %d, want 1", got)
	}
}

func TestTimeoutHonoured(t *testing.T) {
	s := startSim(t, sim.Instant())
	f := testForm()
	co := prepare(t, clientsFor(t, s, 5*time.Second), "app-slow", &f)
	s.SetSlow(kaiban.AgencyTax, time.Hour)
	req := kaiban.NewTaxRequest("app-slow", &f, co.creditCode, co.attestation.ID)

	t.Run("caller's context", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		defer cancel()
		_, err := clientsFor(t, s, time.Hour).Tax.RegisterTaxpayer(ctx, req)
		wantErr(t, err, kaiban.ErrAgencyUnavailable)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("error %v does not wrap context.DeadlineExceeded", err)
		}
	})
	t.Run("configured timeout", func(t *testing.T) {
		_, err := clientsFor(t, s, 100*time.Millisecond).Tax.RegisterTaxpayer(t.Context(), req)
		ke := wantErr(t, err, kaiban.ErrAgencyUnavailable)
		if !strings.Contains(ke.Message, "in time") {
			t.Errorf("message %q does not say the agency was too slow", ke.Message)
		}
	})
	t.Run("cancelled context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := clientsFor(t, s, time.Hour).Tax.RegisterTaxpayer(ctx, req)
		wantErr(t, err, kaiban.ErrAgencyUnavailable)
	})
	if got := s.LiveRecords("app-slow")["tax"]; got != 0 {
		t.Errorf("calls abandoned before the agency acted left %d tax records", got)
	}
}

func TestDeterministicTriggers(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(f *kaiban.Form)
		call   func(ctx context.Context, c *agency.Clients, f *kaiban.Form) error
		want   string
		reason string // part of the client-safe message
	}{
		{
			name: "trade name 拒绝 is rejected",
			edit: func(f *kaiban.Form) {
				f.Company.NameParts.TradeName = "拒绝"
				f.Company.Name = "沈阳拒绝科技有限公司"
			},
			call: func(ctx context.Context, c *agency.Clients, f *kaiban.Form) error {
				_, err := c.Market.CheckName(ctx, kaiban.NewNameCheckRequest("app-trig", f))
				return err
			},
			want: kaiban.ErrAgencyRejected, reason: "名称",
		},
		{
			name: "trade name 审核 needs review",
			edit: func(f *kaiban.Form) {
				f.Company.NameParts.TradeName = "审核"
				f.Company.Name = "沈阳审核科技有限公司"
			},
			call: func(ctx context.Context, c *agency.Clients, f *kaiban.Form) error {
				_, err := c.Market.CheckName(ctx, kaiban.NewNameCheckRequest("app-trig", f))
				return err
			},
			want: kaiban.ErrNameNeedsReview, reason: "人工审核",
		},
		{
			name: "impostor 冒用 fails identity",
			edit: func(f *kaiban.Form) { f.Supervisors[0].Name = "冒用者" },
			call: func(ctx context.Context, c *agency.Clients, f *kaiban.Form) error {
				_, err := c.Identity.VerifyIdentity(ctx, kaiban.NewIdentityRequest("app-trig", f))
				return err
			},
			want: kaiban.ErrIdentityFailed, reason: "监事",
		},
		{
			name: "invalid ID number fails identity",
			edit: func(f *kaiban.Form) { f.Liaison.IDNumber = "210102199306060060" },
			call: func(ctx context.Context, c *agency.Clients, f *kaiban.Form) error {
				_, err := c.Identity.VerifyIdentity(ctx, kaiban.NewIdentityRequest("app-trig", f))
				return err
			},
			want: kaiban.ErrIdentityFailed, reason: "联络员",
		},
		{
			name: "bank branch 999 is unavailable",
			edit: func(f *kaiban.Form) { f.Bank.BranchCode = "102221000999" },
			call: func(ctx context.Context, c *agency.Clients, f *kaiban.Form) error {
				_, err := c.Bank.BookAppointment(ctx, kaiban.NewBankRequest("app-trig", f, fixtureCreditCode, "IDV1"))
				return err
			},
			want: kaiban.ErrAgencyUnavailable,
		},
		{
			name: "address 封存 is rejected by the seal system",
			edit: func(f *kaiban.Form) { f.Company.Address.Detail = "南京北街1号（封存）" },
			call: func(ctx context.Context, c *agency.Clients, f *kaiban.Form) error {
				_, err := c.Seal.CarveSeals(ctx, kaiban.NewSealRequest("app-trig", f, fixtureCreditCode, "IDV1"))
				return err
			},
			want: kaiban.ErrAgencyRejected, reason: "封存",
		},
		{
			name: "address 查封 asks for the address to be corrected",
			edit: func(f *kaiban.Form) { f.Company.Address.Detail = "南京北街1号（查封）" },
			call: func(ctx context.Context, c *agency.Clients, f *kaiban.Form) error {
				_, err := c.Seal.CarveSeals(ctx, kaiban.NewSealRequest("app-trig", f, fixtureCreditCode, "IDV1"))
				return err
			},
			want: kaiban.ErrAgencyNeedsCorrection, reason: "[correct: company.address.detail; reason: ADDRESS_UNUSABLE]",
		},
		{
			name: "invalid appointment date is rejected",
			edit: func(f *kaiban.Form) { f.Bank.AppointmentDate = "2030-02-30" },
			call: func(ctx context.Context, c *agency.Clients, f *kaiban.Form) error {
				_, err := c.Bank.BookAppointment(ctx, kaiban.NewBankRequest("app-trig", f, fixtureCreditCode, "IDV1"))
				return err
			},
			want: kaiban.ErrAgencyRejected, reason: "日期",
		},
	}
	s := startSim(t, sim.Instant())
	c := clientsFor(t, s, 5*time.Second)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := testForm()
			tt.edit(&f)
			ke := wantErr(t, tt.call(t.Context(), c, &f), tt.want)
			if !strings.Contains(ke.Message, tt.reason) {
				t.Errorf("message %q does not give the reason (%q)", ke.Message, tt.reason)
			}
			for _, p := range f.Persons() {
				if strings.Contains(ke.Message, p.IDNumber) {
					t.Errorf("message %q leaks an ID number", ke.Message)
				}
			}
		})
	}
	if n := s.TotalRecords(); n != 0 {
		t.Errorf("failed calls created %d records", n)
	}
}

func TestRejectionThenClerkRetrySucceeds(t *testing.T) {
	s := startSim(t, sim.Instant())
	c := clientsFor(t, s, 5*time.Second)
	f := testForm()
	co := prepare(t, c, "app-retry", &f)
	req := kaiban.NewTaxRequest("app-retry", &f, co.creditCode, co.attestation.ID)

	s.SetRejecting(kaiban.AgencyTax, true)
	ke := wantErr(t, errOnly(c.Tax.RegisterTaxpayer(t.Context(), req)), kaiban.ErrAgencyRejected)
	if ke.Message == "" {
		t.Error("rejection carries no reason")
	}
	s.SetRejecting(kaiban.AgencyTax, false)
	if _, err := c.Tax.RegisterTaxpayer(t.Context(), req); err != nil {
		t.Fatalf("retry with the same key after the rejection: %v", err)
	}
	if got := s.LiveRecords("app-retry")["tax"]; got != 1 {
		t.Errorf("live tax records = %d, want 1", got)
	}
}

func errOnly[T any](_ T, err error) error { return err }

func TestKeyReusedForAnotherRequestIsAConflict(t *testing.T) {
	s := startSim(t, sim.Instant())
	c := clientsFor(t, s, 5*time.Second)
	f := testForm()
	co := prepare(t, c, "app-conf", &f)
	req := kaiban.NewBankRequest("app-conf", &f, co.creditCode, co.attestation.ID)
	if _, err := c.Bank.BookAppointment(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	req.Slot = "PM"
	wantErr(t, errOnly(c.Bank.BookAppointment(t.Context(), req)), kaiban.ErrIdempotencyConflict)
}

func TestUnusableIdempotencyKeyIsNotSent(t *testing.T) {
	s := startSim(t, sim.Instant())
	c := clientsFor(t, s, 5*time.Second)
	f := testForm()
	for _, key := range []string{"", "has space", strings.Repeat("k", 201), "键"} {
		req := kaiban.NewIdentityRequest("app-key", &f)
		req.IdempotencyKey = key
		wantErr(t, errOnly(c.Identity.VerifyIdentity(t.Context(), req)), kaiban.ErrInput)
	}
	if n := s.Calls(kaiban.AgencyIdentity); n != 0 {
		t.Errorf("the identity agency received %d calls with unusable keys", n)
	}
}

func TestUnreachableAgencyIsUnavailable(t *testing.T) {
	s := startSim(t, sim.Instant())
	endpoints := s.Endpoints()
	s.Close()
	c, err := agency.NewClients(agency.Config{Default: endpoints, Timeout: time.Second}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := testForm()
	wantErr(t, errOnly(c.Identity.VerifyIdentity(t.Context(), kaiban.NewIdentityRequest("app-x", &f))), kaiban.ErrAgencyUnavailable)
}

func TestConcurrentCallsWithOneKeyCreateOneRecord(t *testing.T) {
	s := startSim(t, sim.Instant())
	c := clientsFor(t, s, 5*time.Second)
	f := testForm()
	co := prepare(t, c, "app-conc", &f)
	req := kaiban.NewBankRequest("app-conc", &f, co.creditCode, co.attestation.ID)
	const n = 8
	type outcome struct {
		a   kaiban.BankAppointment
		err error
	}
	out := make(chan outcome, n)
	for range n {
		go func() {
			a, err := c.Bank.BookAppointment(t.Context(), req)
			out <- outcome{a, err}
		}()
	}
	first := <-out
	if first.err != nil {
		t.Fatal(first.err)
	}
	for range n - 1 {
		if o := <-out; o.err != nil || o.a != first.a {
			t.Errorf("concurrent call returned %+v, %v; first %+v", o.a, o.err, first.a)
		}
	}
	if got := s.LiveRecords("app-conc")["bank"]; got != 1 {
		t.Errorf("live bank records = %d, want 1", got)
	}
}

func TestRandomRejectionsCarryAReason(t *testing.T) {
	clean := startSim(t, sim.Instant())
	f := testForm()
	co := prepare(t, clientsFor(t, clean, 5*time.Second), "app-rej", &f)

	p := sim.Instant()
	for _, k := range kaiban.AgencyKinds {
		p.Agencies[k] = sim.Behaviour{RejectionRate: 1}
	}
	s := startSim(t, p)
	c := clientsFor(t, s, 5*time.Second)
	wantErr(t, errOnly(c.Identity.VerifyIdentity(t.Context(), kaiban.NewIdentityRequest("app-rej", &f))), kaiban.ErrIdentityFailed)
	for _, op := range trackOps {
		t.Run(string(op.track), func(t *testing.T) {
			ke := wantErr(t, errOnly(op.register(t.Context(), c, "app-rej", &f, co)), kaiban.ErrAgencyRejected)
			if ke.Message == "" || strings.HasPrefix(ke.Message, "rejected by") {
				t.Errorf("rejection message %q gives no reason", ke.Message)
			}
		})
	}
	if n := s.TotalRecords(); n != 0 {
		t.Errorf("rejections created %d records", n)
	}
}

func TestResultsAreStampedWithTheInjectedClock(t *testing.T) {
	at := time.Date(2030, 6, 3, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))
	s := startSim(t, sim.Instant(), sim.WithClock(func() time.Time { return at }))
	c := clientsFor(t, s, 5*time.Second)
	f := testForm()
	co := prepare(t, c, "app-clock", &f)
	lic, err := c.Market.IssueLicense(t.Context(), kaiban.NewLicenseRequest("app-clock", &f, co.creditCode, co.attestation.ID, co.reservation.ReservationNumber))
	if err != nil {
		t.Fatal(err)
	}
	if !co.attestation.VerifiedAt.Equal(at) || !lic.IssuedAt.Equal(at) || !co.reservation.ExpiresAt.Equal(at.Add(30*24*time.Hour)) {
		t.Errorf("times %v, %v, %v: want the injected clock %v", co.attestation.VerifiedAt, lic.IssuedAt, co.reservation.ExpiresAt, at)
	}
	if !strings.Contains(co.reservation.ReservationNumber, "[2030]") || !strings.HasPrefix(lic.LicenseNumber, "2101022030") {
		t.Errorf("numbers %q, %q do not carry the year of the injected clock", co.reservation.ReservationNumber, lic.LicenseNumber)
	}
}

func TestAgenciesRefuseRequestsMissingWhatTheyNeed(t *testing.T) {
	s := startSim(t, sim.Instant())
	c := clientsFor(t, s, 5*time.Second)
	f := testForm()
	co := prepare(t, c, "app-bad", &f)
	ctx := t.Context()
	tests := []struct {
		name string
		call func() error
	}{
		{"licence without attestation", func() error {
			return errOnly(c.Market.IssueLicense(ctx, kaiban.NewLicenseRequest("app-bad", &f, co.creditCode, "", "")))
		}},
		{"licence with another region's credit code", func() error {
			return errOnly(c.Market.IssueLicense(ctx, kaiban.NewLicenseRequest("app-bad", &f, creditCodeFor(t, "210202"), "IDV1", "")))
		}},
		{"reservation without attestation", func() error {
			return errOnly(c.Market.ReserveName(ctx, kaiban.NewNameReservationRequest("app-fresh", &f, "")))
		}},
		{"credit code without reservation", func() error {
			return errOnly(c.Market.AssignCreditCode(ctx, kaiban.NewCreditCodeRequest("app-fresh", &f, "")))
		}},
		{"fund rate out of range", func() error {
			g := f
			g.Employment.HousingFundRate = 15
			return errOnly(c.HousingFund.RegisterEmployer(ctx, kaiban.NewEmployerRequest(kaiban.TrackHousingFund, "app-bad", &g, co.creditCode, "IDV1")))
		}},
		{"social start date not a date", func() error {
			g := f
			g.Employment.SocialInsuranceFrom = "next month"
			return errOnly(c.SocialInsurance.RegisterEmployer(ctx, kaiban.NewEmployerRequest(kaiban.TrackSocialInsurance, "app-bad", &g, co.creditCode, "IDV1")))
		}},
		{"duplicate seal type", func() error {
			g := f
			g.Seals.Types = []kaiban.SealType{kaiban.SealOfficial, kaiban.SealOfficial}
			return errOnly(c.Seal.CarveSeals(ctx, kaiban.NewSealRequest("app-bad", &g, co.creditCode, "IDV1")))
		}},
		{"unknown taxpayer type", func() error {
			g := f
			g.Tax.TaxpayerType = "HUGE"
			return errOnly(c.Tax.RegisterTaxpayer(ctx, kaiban.NewTaxRequest("app-bad", &g, co.creditCode, "IDV1")))
		}},
		{"bank slot neither AM nor PM", func() error {
			g := f
			g.Bank.Slot = "NIGHT"
			return errOnly(c.Bank.BookAppointment(ctx, kaiban.NewBankRequest("app-bad", &g, co.creditCode, "IDV1")))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantErr(t, tt.call(), kaiban.ErrAgencyRejected)
		})
	}
	if got := s.LiveRecords("app-bad"); len(got) != 1 {
		t.Errorf("refused requests left records: %v", got)
	}
}
