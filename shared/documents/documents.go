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
	// Filename is an ASCII file name for downloads and archives, unique
	// within an application's bundle: license.pdf, seal-OFFICIAL.svg, …
	Filename string
	Body     []byte
}

// filename names r for downloads: its kind, the key of a seal, and the
// extension of its media type.
func filename(r Rendered) string {
	ext := ".pdf"
	if r.MediaType == mediaSVG {
		ext = ".svg"
	}
	if r.Key != "" {
		return string(r.Kind) + "-" + r.Key + ext
	}
	return string(r.Kind) + ext
}

// named fills in the file names.
func named(rs []Rendered) []Rendered {
	for i := range rs {
		rs[i].Filename = filename(rs[i])
	}
	return rs
}

// Media types of the rendered documents.
const (
	mediaPDF = "application/pdf"
	mediaSVG = "image/svg+xml"
)

// ForSubmission renders the documents the founders sign before
// registration starts: the articles of association and the shareholders'
// decision appointing the officers. They are generated for a limited
// liability company only; for another type it returns none.
func ForSubmission(in Input) ([]Rendered, error) {
	if in.App.Form.Company.Type != kaiban.CompanyLLC {
		return nil, nil
	}
	art, err := renderArticles(in)
	if err != nil {
		return nil, err
	}
	dec, err := renderDecision(in)
	if err != nil {
		return nil, err
	}
	return named([]Rendered{art, dec}), nil
}

// ForTrack renders the documents a finished track yields: the licence for
// the licence track, one e-seal per seal for the seal track, the notice or
// slip of the others. in.App carries the track's result; a track without
// one is refused (ErrInput).
func ForTrack(in Input, track kaiban.TrackName) ([]Rendered, error) {
	if !track.Valid() {
		return nil, kaiban.Errorf(kaiban.ErrInput, "no documents for track %q", track)
	}
	if t := in.App.Track(track); t == nil || len(t.Result) == 0 {
		return nil, kaiban.Errorf(kaiban.ErrInput, "track %q has no result to render", track)
	}
	var r Rendered
	var err error
	switch track {
	case kaiban.TrackLicense:
		r, err = renderLicense(in)
	case kaiban.TrackSeal:
		seals, err := renderSeals(in)
		if err != nil {
			return nil, err
		}
		return named(seals), nil
	case kaiban.TrackTax:
		r, err = renderTaxNotice(in)
	case kaiban.TrackSocialInsurance, kaiban.TrackMedicalInsurance, kaiban.TrackHousingFund:
		r, err = renderEmployerNotice(in, track)
	case kaiban.TrackBank:
		r, err = renderBankAppointment(in)
	}
	if err != nil {
		return nil, err
	}
	return named([]Rendered{r}), nil
}
