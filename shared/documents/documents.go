// Package documents renders the bundle a new company keeps — the
// e-licence, its e-seals, the articles of association, the shareholders'
// decision and the agencies' notices — from the form and the tracks'
// results. Rendering is pure and deterministic: the same Input gives the
// same bytes, so a document's SHA-256 can be signed before it is stored
// and checked again later.
package documents

import (
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Input is what a document is rendered from.
type Input struct {
	App kaiban.Application
	// VerifyURL is the public verification page of the document being
	// rendered (the licence's QR code opens it).
	VerifyURL string
	// IssuedAt is the issue time printed on the document and used as the
	// PDF's creation date.
	IssuedAt time.Time
}

// Rendered is one rendered document.
type Rendered struct {
	Kind kaiban.DocumentKind
	// Key tells documents of one kind apart: the seal type for seals, ""
	// for the others.
	Key       string
	Title     string // Chinese title
	TitleEN   string // English title
	MediaType string // application/pdf or image/svg+xml
	Body      []byte
}

// ForSubmission renders the documents the founders sign before
// registration starts: the articles of association and the shareholders'
// decision appointing the officers.
func ForSubmission(in Input) ([]Rendered, error) {
	return placeholder(in, kaiban.DocArticles, kaiban.DocShareholderDecision)
}

// ForTrack renders the documents a finished track yields: the licence for
// the licence track, one e-seal per seal for the seal track, the notice or
// slip of the others. in.App carries the track's result.
func ForTrack(in Input, track kaiban.TrackName) ([]Rendered, error) {
	switch track {
	case kaiban.TrackLicense:
		return placeholder(in, kaiban.DocLicense)
	case kaiban.TrackSeal:
		var out []Rendered
		for _, t := range in.App.Form.Seals.Types {
			r, err := placeholder(in, kaiban.DocSeal)
			if err != nil {
				return nil, err
			}
			r[0].Key = string(t)
			out = append(out, r...)
		}
		return out, nil
	case kaiban.TrackTax:
		return placeholder(in, kaiban.DocTaxNotice)
	case kaiban.TrackSocialInsurance:
		return placeholder(in, kaiban.DocSocialInsuranceNotice)
	case kaiban.TrackMedicalInsurance:
		return placeholder(in, kaiban.DocMedicalInsuranceNotice)
	case kaiban.TrackHousingFund:
		return placeholder(in, kaiban.DocHousingFundNotice)
	case kaiban.TrackBank:
		return placeholder(in, kaiban.DocBankAppointment)
	}
	return nil, kaiban.Errorf(kaiban.ErrInput, "no documents for track %q", track)
}
