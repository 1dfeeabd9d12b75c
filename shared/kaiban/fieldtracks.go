package kaiban

import "slices"

// FieldTracks is the field → track map of corrections: the form fields an
// applicant may be asked to correct (their JSON paths, as error responses
// name them) and the tracks whose agency request carries each (see
// agencyreq.go). A clerk or an agency may ask only for these fields.
//
// A correction re-runs only the track whose branch waits for it. Tracks
// already finished keep their results and attempts: their agencies hold
// the previous value, and the correction's audit event and answer list
// them as staleTracks for a clerk to follow up (CorrectionStale). Tracks
// not yet run read the corrected form when they run.
var FieldTracks = map[string][]TrackName{
	"company.address.detail":         {TrackLicense, TrackSeal, TrackTax, TrackSocialInsurance, TrackMedicalInsurance, TrackHousingFund},
	"company.address.postalCode":     {TrackLicense, TrackTax, TrackSocialInsurance, TrackMedicalInsurance, TrackHousingFund},
	"seals.carvingShop":              {TrackSeal},
	"legalRepresentative.mobile":     {TrackTax, TrackBank},
	"financeOfficer.mobile":          {TrackTax},
	"taxHandler.mobile":              {TrackTax},
	"liaison.mobile":                 {TrackSocialInsurance, TrackMedicalInsurance, TrackHousingFund},
	"employment.socialInsuranceFrom": {TrackSocialInsurance, TrackMedicalInsurance, TrackHousingFund},
	"bank.branchCode":                {TrackBank},
	"bank.appointmentDate":           {TrackBank},
	"bank.slot":                      {TrackBank},
}

// CorrectableFields lists the keys of FieldTracks in order.
func CorrectableFields() []string {
	out := make([]string, 0, len(FieldTracks))
	for f := range FieldTracks {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}

// Correctable reports whether field may be asked for.
func Correctable(field string) bool { _, ok := FieldTracks[field]; return ok }

// CorrectionStale returns the tracks other than waiting that carry one of
// fields and have already finished (SUCCEEDED), in track order: their
// registrations keep the previous value.
func CorrectionStale(app *Application, fields []string, waiting TrackName) []TrackName {
	var out []TrackName
	for _, t := range app.Tracks {
		if t.Name == waiting || t.Status != TrackSucceeded {
			continue
		}
		for _, f := range fields {
			if slices.Contains(FieldTracks[f], t.Name) {
				out = append(out, t.Name)
				break
			}
		}
	}
	return out
}
