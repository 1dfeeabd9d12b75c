package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// T0 is the base time of every fixture. It carries nanoseconds so a store
// that truncates times is caught.
var T0 = time.Date(2026, 3, 2, 9, 0, 0, 123456789, time.UTC)

// PII lists the resident ID numbers and mobile numbers Form puts in the
// form, so a test can look for them in what a store wrote to disk.
var PII = []string{
	"11010519491231002X", "34052419800101001X", "370101190102039973",
	"110101199003074514", "13800138000", "13912345678", "15011112222",
	"21010519800101001X",
}

// Form returns a complete form with ID numbers and mobiles in every place
// the form has them.
func Form() kaiban.Form {
	return kaiban.Form{
		Company: kaiban.Company{
			Name:              "沈阳市云帆信息技术有限公司",
			NameParts:         kaiban.NameParts{Region: "沈阳市", TradeName: "云帆", Industry: "信息技术", OrgForm: "有限公司"},
			Type:              kaiban.CompanyLLC,
			Address:           kaiban.Address{RegionCode: "210102", Detail: "和平区南京北街1号", PostalCode: "110001"},
			RegisteredCapital: 1_000_000,
			BusinessScope:     []string{"I6510", "I6520"},
		},
		LegalRepresentative: kaiban.LegalRep{Name: "张三", IDNumber: PII[0], Mobile: PII[4], Email: "zhang@example.com"},
		Shareholders: []kaiban.Shareholder{
			{Kind: kaiban.HolderNaturalPerson, Name: "张三", IDNumber: PII[0], Mobile: PII[4], Contribution: kaiban.Contribution{Amount: 600_000, Method: "CURRENCY", DueDate: "2030-01-01"}},
			{Kind: kaiban.HolderEnterprise, Name: "沈阳某某有限公司", CreditCode: "91440300708461136T",
				Representative: &kaiban.Representative{Name: "刘洋", IDNumber: PII[7], Mobile: PII[6]}, Contribution: kaiban.Contribution{Amount: 400_000, Method: "CURRENCY", DueDate: "2030-01-01"}},
		},
		Directors:      []kaiban.Officer{{Name: "张三", IDNumber: PII[0], Mobile: PII[4], Role: "执行董事"}},
		Supervisors:    []kaiban.Officer{{Name: "李四", IDNumber: PII[1], Mobile: PII[5], Role: "监事"}},
		Manager:        &kaiban.Officer{Name: "王五", IDNumber: PII[2], Mobile: PII[6], Role: "经理"},
		FinanceOfficer: kaiban.Contact{Name: "赵六", IDNumber: PII[3], Mobile: PII[5]},
		TaxHandler:     kaiban.Contact{Name: "赵六", IDNumber: PII[3], Mobile: PII[5]},
		Liaison:        kaiban.Contact{Name: "王五", IDNumber: PII[2], Mobile: PII[6]},
		Seals:          kaiban.Seals{Types: []kaiban.SealType{kaiban.SealOfficial, kaiban.SealFinance}, CarvingShop: "和平刻章店"},
		Tax:            kaiban.Tax{TaxpayerType: "SMALL_SCALE", Invoices: []kaiban.Invoice{{Kind: kaiban.InvoiceOrdinaryVAT, MonthlyQuantity: 25, MaxAmount: 10_000}}},
		Employment:     kaiban.Employment{Employees: 5, SocialInsuranceFrom: "2026-04", HousingFundRate: 12, Medical: true},
		Bank:           kaiban.Bank{BankCode: "ICBC", BranchCode: "0701", AppointmentDate: "2026-03-03", Slot: "AM"},
		Consent:        kaiban.Consent{Truthful: true, DataSharing: true},
	}
}

// Token returns the access token the fixtures use for application id.
func Token(id string) string { return "token-of-" + id }

// Request returns a create request for a new application id submitted at
// submitted, with the token Token(id) and no idempotency key.
func Request(id string, submitted time.Time) kaiban.CreateRequest {
	return kaiban.CreateRequest{
		Application: kaiban.Application{
			ID:          id,
			Status:      kaiban.AppSubmitted,
			Form:        Form(),
			SubmittedAt: submitted,
			Deadline:    submitted.Add(kaiban.DeadlineAfterSubmission),
			Tracks:      kaiban.NewTracks(),
			UpdatedAt:   submitted,
		},
		AccessTokenHash: kaiban.HashToken(Token(id)),
	}
}

// Idempotent returns req with an idempotency key and the hash of body.
func Idempotent(req kaiban.CreateRequest, key, body string) kaiban.CreateRequest {
	sum := sha256.Sum256([]byte(body))
	req.IdempotencyKey = key
	req.BodyHash = hex.EncodeToString(sum[:])
	req.Sealed = []byte("sealed:" + req.Application.ID)
	return req
}

// MustCreate creates application id submitted at submitted, failing the
// test on error.
func MustCreate(tb testing.TB, s kaiban.Store, id string, submitted time.Time) *kaiban.Application {
	tb.Helper()
	res, err := s.CreateApplication(tb.Context(), Request(id, submitted))
	if err != nil {
		tb.Fatalf("create %s: %v", id, err)
	}
	return res.Application
}

// Task returns an OPEN task for application appID on track.
func Task(id, appID, track string, deadline time.Time, priority int) kaiban.ClerkTask {
	return kaiban.ClerkTask{
		ID:            id,
		ApplicationID: appID,
		Track:         track,
		Kind:          kaiban.TaskTrackException,
		Status:        kaiban.TaskOpen,
		ErrorName:     kaiban.ErrAgencyRejected,
		Reason:        "agency rejected the filing",
		TaskToken:     "sfn-token-" + id,
		Deadline:      deadline,
		Priority:      priority,
		CreatedAt:     T0,
		Data:          []byte(`{"agency":"tax"}`),
	}
}

// MustCreateTask creates t, failing the test on error.
func MustCreateTask(tb testing.TB, s kaiban.Store, t kaiban.ClerkTask) kaiban.ClerkTask {
	tb.Helper()
	out, err := s.CreateClerkTask(tb.Context(), t)
	if err != nil {
		tb.Fatalf("create task %s: %v", t.ID, err)
	}
	return out
}

// Event returns an audit event for application appID.
func Event(appID string, i int) kaiban.AuditEvent {
	return kaiban.AuditEvent{
		ApplicationID: appID,
		Time:          T0.Add(time.Duration(i) * time.Second),
		Actor:         "system",
		Action:        fmt.Sprintf("track.step%d", i),
		Before:        []byte(`{"status":"PENDING"}`),
		After:         []byte(fmt.Sprintf(`{"status":"RUNNING","n":%d}`, i)),
	}
}

// MustAppend appends n events to application appID.
func MustAppend(tb testing.TB, s kaiban.Store, appID string, n int) []kaiban.AuditEvent {
	tb.Helper()
	out := make([]kaiban.AuditEvent, 0, n)
	for i := 1; i <= n; i++ {
		e, err := s.AppendAudit(tb.Context(), Event(appID, i))
		if err != nil {
			tb.Fatalf("append audit %d: %v", i, err)
		}
		out = append(out, e)
	}
	return out
}

// WantName fails the test unless err is a *kaiban.Error named name.
func WantName(tb testing.TB, err error, name string) {
	tb.Helper()
	if !kaiban.IsName(err, name) {
		tb.Fatalf("got error %v (name %q), want %s", err, kaiban.ErrorName(err), name)
	}
}
