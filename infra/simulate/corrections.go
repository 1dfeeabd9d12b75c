package simulate

import (
	"bytes"
	"time"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// The corrections model (补正): who is asked to correct what, and when the
// applicant answers. No bureau publishes these shares, so they are
// assumptions, stated so they can be argued with:
//
//   - Seized addresses: 2 % of applicants give a registered address the
//     seal system refuses as seized (查封) and asks the applicant to change
//     (Agency.NeedsCorrection, no clerk). The address is the field market
//     regulation most often sends back; a seized or otherwise unusable
//     property is the one case the registries' own checks catch after
//     the licence (the simulator knows a seized address by the word 查封
//     in it, infra/sim).
//   - Clerks' send-backs: an agency's rejection that names the
//     applicant's own choice is sent back to the applicant in a share of
//     cases instead of being retried (after a phone call) or refused: the
//     seal engraver that stopped taking orders (60 %: the applicant picks
//     another), the bank slot that is full (60 %: the other half-day), the
//     tax office's failed address check (30 %: usually a clerk's call
//     settles it; otherwise the applicant gives a fuller address). Other
//     rejections (licence scope, the social registries' employer check)
//     name nothing the applicant can change in the form, and are retried
//     or refused as before.
//   - Answers: the applicant gets an SMS and answers on the status page.
//     75 % within the working day (lognormal median 40 min, p95 3 h: like
//     the founders, between two tasks or after a meeting), 20 % the next
//     morning (uniform 07:30–10:30: saw it late), 5 % never (the company
//     is given up, or the applicant does not understand what to change):
//     their correction expires after 5 working days and the application
//     ends REJECTED with its registrations cancelled. An answer drawn at
//     night moves to the next morning. The applicant reads what is asked
//     from the status (the fields and their current values) and sends a
//     valid change that removes the problem (correctedValue).
var correctionAnswer = sim.Latency{Median: 40 * time.Minute, P95: 3 * time.Hour}

// CorrectionRates are the shares of the corrections model; zero values
// are the documented ones (DefaultCorrectionRates).
type CorrectionRates struct {
	Seized   float64 // applications with a seized address
	Clerk    map[kaiban.TrackName]float64
	NextDay  float64 // answers the next morning
	Never    float64 // corrections never answered
	Disabled bool    // no corrections at all (Seized and Clerk ignored)
}

// DefaultCorrectionRates are the model's documented shares.
func DefaultCorrectionRates() CorrectionRates {
	return CorrectionRates{
		Seized: 0.02,
		Clerk: map[kaiban.TrackName]float64{
			kaiban.TrackSeal: 0.60, kaiban.TrackBank: 0.60, kaiban.TrackTax: 0.30,
		},
		NextDay: 0.20,
		Never:   0.05,
	}
}

func (c Config) correctionRates() CorrectionRates {
	if c.Corrections != nil {
		return *c.Corrections
	}
	return DefaultCorrectionRates()
}

// clerkAsk is what a clerk sends back to the applicant for an agency's
// rejection on a track: the field and the reason (kaiban.FieldTracks,
// kaiban.CorrectionReasons).
type clerkAsk struct {
	field, reason, note string
}

var clerkAsks = map[kaiban.TrackName]clerkAsk{
	kaiban.TrackSeal: {"seals.carvingShop", "SEAL_ENGRAVER_UNAVAILABLE", "所选刻章企业暂停承接业务，请另选本市刻章企业"},
	kaiban.TrackBank: {"bank.slot", "BANK_BRANCH_UNAVAILABLE", "所选网点该时段已约满，请改选其他时段"},
	kaiban.TrackTax:  {"company.address.detail", "ADDRESS_UNCLEAR", "经营地址核查未通过，请填写完整的门牌号和房间号"},
}

// The base form's address and engraver, and what an applicant changes
// them to: a seized address for the seal system's refusal, and the
// corrected values (another address of the same district, another
// engraver registered in Shenyang).
const (
	baseDetail      = "沈阳市浑南区创新路196号2门1203室"
	seizedDetail    = "沈阳市浑南区创新路查封房产196号2门1203室"
	correctedDetail = "沈阳市浑南区智慧二街16号3门502室"
	baseEngraver    = "沈阳市浑南区诚信印章刻制有限公司"
	otherEngraver   = "沈阳市和平区诚信刻章社"
)

// withSeizedAddress returns form with the seized address when application
// i draws one.
func withSeizedAddress(rates CorrectionRates, seed uint64, i int, form []byte) []byte {
	if rates.Disabled || rng(seed, i, "address").Float64() >= rates.Seized {
		return form
	}
	return bytes.Replace(form, []byte(baseDetail), []byte(seizedDetail), 1)
}

// correctedValue is the applicant's new value of field, whose current
// value is cur; ok is false for a field the day's applicants are never
// asked for.
func correctedValue(field, cur string) (string, bool) {
	switch field {
	case "company.address.detail":
		return correctedDetail, true
	case "seals.carvingShop":
		if cur == otherEngraver {
			return baseEngraver, true
		}
		return otherEngraver, true
	case "bank.slot":
		if cur == "PM" {
			return "AM", true
		}
		return "PM", true
	}
	return "", false
}
