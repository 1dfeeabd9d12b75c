package sim

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"

	"github.com/kaiban/kaiban/shared/agency"
	"github.com/kaiban/kaiban/shared/cnid"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// operations lists every simulated agency operation.
func operations() []op {
	ops := []op{
		create(kaiban.AgencyIdentity, agency.PathVerifications, true, verifyIdentity),
		create(kaiban.AgencyMarket, agency.PathNameChecks, false, checkName),
		create(kaiban.AgencyMarket, agency.PathReservations, false, reserveName),
		create(kaiban.AgencyMarket, agency.PathCreditCodes, false, assignCreditCode),
		create(kaiban.AgencyMarket, agency.PathLicenses, true, issueLicense),
		cancel(kaiban.AgencyMarket, agency.PathLicensesCancel),
		create(kaiban.AgencySeal, agency.PathSealFilings, true, carveSeals),
		cancel(kaiban.AgencySeal, agency.PathSealFilingsCancel),
		create(kaiban.AgencyTax, agency.PathTaxRegistrations, true, registerTaxpayer),
		cancel(kaiban.AgencyTax, agency.PathTaxCancel),
		create(kaiban.AgencyBank, agency.PathAppointments, true, bookAppointment),
		cancel(kaiban.AgencyBank, agency.PathAppointmentsCancel),
	}
	for _, k := range []kaiban.AgencyKind{kaiban.AgencySocial, kaiban.AgencyMedical, kaiban.AgencyFund} {
		ops = append(ops,
			create(k, agency.PathEmployers, true, registerEmployer(k)),
			cancel(k, agency.PathEmployersCancel))
	}
	return ops
}

// env is what an operation may use while deciding: the call, the region
// (validated), a generator for the numbers it issues and, because it runs
// with the ledger locked, the ledger itself.
type env struct {
	*call
	key    opKey
	region cnid.Region
	rng    *rand.Rand
	ledger *ledger
}

type request interface{ Call() kaiban.AgencyCall }

// create makes an idempotent operation: the first successful answer for a
// key is stored and returned for every repeat; error answers are not
// stored, so a rejected call may be tried again. primary operations create
// a record counted by LiveRecords and undone by the kind's cancel.
func create[Req request, Res any](kind kaiban.AgencyKind, path string, primary bool, decide func(e *env, req *Req) (Res, *apiError)) op {
	run := func(s *Server, c *call) (int, []byte) {
		var req Req
		if err := strictDecode(c.body, &req); err != nil {
			return badRequest("请求格式错误：" + jsonProblem(err)).encode()
		}
		meta := req.Call()
		region, e := checkCall(meta)
		if e != nil {
			return e.encode()
		}
		k := opKey{kind: kind, path: path, key: c.key}
		l := &s.ledger
		l.mu.Lock()
		defer l.mu.Unlock()
		if a, ok := l.answers[k]; ok {
			if a.hash != c.hash {
				return (&apiError{status: http.StatusConflict, code: agency.CodeIdempotencyConflict,
					message: "该幂等键已用于另一请求"}).encode()
			}
			return a.status, a.body
		}
		orig := origKey{kind: kind, key: c.key}
		if primary && l.tombstones[orig] {
			return rejected("该申请已撤销，不再办理").encode()
		}
		res, ae := decide(&env{call: c, key: k, region: region, rng: idRNG(k), ledger: l}, &req)
		if ae != nil {
			return ae.encode()
		}
		out, err := json.Marshal(res)
		if err != nil {
			return (&apiError{status: http.StatusInternalServerError, code: agency.CodeUnavailable, message: "内部错误"}).encode()
		}
		l.answers[k] = answer{hash: c.hash, status: http.StatusOK, body: out}
		if primary {
			r := &record{kind: kind, app: meta.ApplicationID, live: true}
			l.records[orig] = r
			l.byApp[meta.ApplicationID] = append(l.byApp[meta.ApplicationID], r)
			l.created++
		}
		return http.StatusOK, out
	}
	return op{kind: kind, path: path, run: run}
}

// cancel makes the cancellation of a kind's records: it ends the record the
// key in Of created (if any, and if it belongs to the application) and
// leaves a tombstone so a late-arriving registration with that key is
// refused. Cancellations are idempotent by their own key.
func cancel(kind kaiban.AgencyKind, path string) op {
	run := func(s *Server, c *call) (int, []byte) {
		var req kaiban.CancelRequest
		if err := strictDecode(c.body, &req); err != nil {
			return badRequest("请求格式错误：" + jsonProblem(err)).encode()
		}
		if _, e := checkCall(req.AgencyCall); e != nil {
			return e.encode()
		}
		if req.Of == "" {
			return badRequest("缺少要撤销的业务（of）").encode()
		}
		k := opKey{kind: kind, path: path, key: c.key}
		l := &s.ledger
		l.mu.Lock()
		defer l.mu.Unlock()
		if a, ok := l.answers[k]; ok {
			return a.status, a.body
		}
		orig := origKey{kind: kind, key: req.Of}
		n := 0
		if r := l.records[orig]; r != nil {
			if r.app != req.ApplicationID {
				return rejected("该业务不属于本申请").encode()
			}
			if r.live {
				r.live = false
				n = 1
			}
		}
		l.tombstones[orig] = true
		res := kaiban.Cancellation{
			Reference:   "CX" + strings.ToUpper(string(kind)) + c.now.Format("20060102") + digits(idRNG(k), 8),
			Records:     n,
			CancelledAt: c.now,
		}
		out, _ := json.Marshal(res) // plain struct: cannot fail
		l.answers[k] = answer{hash: c.hash, status: http.StatusOK, body: out}
		return http.StatusOK, out
	}
	return op{kind: kind, path: path, run: run}
}

// checkCall validates what every request carries: an application ID and a
// county-level region code of Liaoning.
func checkCall(c kaiban.AgencyCall) (cnid.Region, *apiError) {
	if c.ApplicationID == "" {
		return cnid.Region{}, badRequest("缺少申请编号（applicationId）")
	}
	r, ok := cnid.LookupRegion(c.RegionCode)
	if !ok {
		return cnid.Region{}, badRequest("行政区划代码（regionCode）不是辽宁省的县级区划")
	}
	return r, nil
}

// checkCompany validates the credit code and attestation every
// registration after the reservation carries.
func checkCompany(e *env, creditCode, attestationID string) *apiError {
	switch {
	case !cnid.ValidUSCC(creditCode):
		return badRequest("统一社会信用代码无效")
	case creditCode[2:8] != e.region.Code:
		return badRequest("统一社会信用代码与登记地不符")
	case attestationID == "":
		return badRequest("缺少实名核验凭证（attestationId）")
	}
	return nil
}

// validDate reports whether s is a YYYY-MM-DD date.
func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// jsonProblem describes a decoding error without echoing request data.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te):
		return "字段 " + te.Field + " 类型错误"
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return strings.TrimPrefix(err.Error(), "json: ")
	}
	return "不是有效的 JSON"
}
