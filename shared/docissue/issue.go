// Package docissue issues an application's documents: it renders them
// (shared/documents), signs each one's SHA-256 with the platform's key,
// stores the bytes as an object and the record in the store, once per
// slot (application, kind, key). It is the documents function's work, kept
// out of the api and step functions: rendering carries the fonts and the
// PDF library, several megabytes.
package docissue

import (
	"context"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/kaiban/kaiban/shared/documents"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// Issuer issues documents.
type Issuer struct {
	Apps    kaiban.Store     // reads the application the documents are rendered from
	Store   kaiban.Documents // keeps the records
	Objects kaiban.Objects   // keeps the bytes
	Signer  kaiban.Signer    // the platform's key
	// IDSecret keys the documents' IDs (DocumentID); at least 32 bytes.
	IDSecret []byte
	// VerifyBase is put before "/verify/<id>" in the link a licence's QR
	// code opens (the portal's origin).
	VerifyBase string
	Clock      func() time.Time // default time.Now
}

func (is *Issuer) now() time.Time {
	if is.Clock != nil {
		return is.Clock()
	}
	return time.Now()
}

// IDSecret is the key of DocumentID, derived from the token secret (the
// same on every function), so one secret configures both and neither
// reveals the other.
func IDSecret(tokenSecret []byte) []byte {
	k, err := hkdf.Key(sha256.New, tokenSecret, nil, "kaiban document id v1", 32)
	if err != nil {
		panic(err) // only for lengths hkdf refuses; 32 is not one
	}
	return k
}

// DocumentID is the ID of the document in a slot: an HMAC of the slot, so
// a retried issue renders the same verification link into the licence,
// and IDs cannot be enumerated from the public verification page.
func DocumentID(secret []byte, applicationID string, kind kaiban.DocumentKind, key string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("kaiban document id v1\x00" + applicationID + "\x00" + string(kind) + "\x00" + key))
	return "DOC" + strings.ToUpper(hex.EncodeToString(m.Sum(nil)[:10]))
}

// VerifyURL is the public verification page of document id.
func (is *Issuer) VerifyURL(id string) string {
	return strings.TrimRight(is.VerifyBase, "/") + "/verify/" + id
}

// ForSubmission issues the documents the founders sign (articles,
// shareholders' decision) and returns the application's records of them.
func (is *Issuer) ForSubmission(ctx context.Context, applicationID string) ([]kaiban.DocumentRecord, error) {
	return is.issue(ctx, applicationID, func(in documents.Input) ([]documents.Rendered, error) { return documents.ForSubmission(in) })
}

// ForTrack issues the documents a succeeded track yields.
func (is *Issuer) ForTrack(ctx context.Context, applicationID string, track kaiban.TrackName) ([]kaiban.DocumentRecord, error) {
	if !track.Valid() {
		return nil, kaiban.Errorf(kaiban.ErrInput, "unknown track %q", track)
	}
	return is.issue(ctx, applicationID, func(in documents.Input) ([]documents.Rendered, error) { return documents.ForTrack(in, track) })
}

// ForCompleted issues every document of the submission and of each
// succeeded track with a result that is still missing, and returns the
// application's records of them.
func (is *Issuer) ForCompleted(ctx context.Context, applicationID string) ([]kaiban.DocumentRecord, error) {
	out, err := is.ForSubmission(ctx, applicationID)
	if err != nil {
		return nil, err
	}
	app, err := is.Apps.GetApplication(ctx, applicationID)
	if err != nil {
		return nil, err
	}
	for _, t := range app.Tracks {
		if t.Status != kaiban.TrackSucceeded || len(t.Result) == 0 {
			continue
		}
		ds, err := is.ForTrack(ctx, applicationID, t.Name)
		if err != nil {
			return nil, err
		}
		out = append(out, ds...)
	}
	return out, nil
}

// issue renders, and issues each rendered document whose slot is still
// empty. The records returned are the slots' (the first issue's, when a
// retry finds them taken).
func (is *Issuer) issue(ctx context.Context, applicationID string, render func(documents.Input) ([]documents.Rendered, error)) ([]kaiban.DocumentRecord, error) {
	app, err := is.Apps.GetApplication(ctx, applicationID)
	if err != nil {
		return nil, err
	}
	have, err := is.Store.ListDocuments(ctx, applicationID)
	if err != nil {
		return nil, err
	}
	issuedAt := is.now().UTC().Truncate(time.Second)
	licence := DocumentID(is.IDSecret, app.ID, kaiban.DocLicense, "")
	rs, err := render(documents.Input{App: *app, VerifyURL: is.VerifyURL(licence), IssuedAt: issuedAt})
	if err != nil {
		return nil, err
	}
	var out []kaiban.DocumentRecord
	for _, r := range rs {
		if d, ok := inSlot(have, r.Kind, r.Key); ok {
			out = append(out, d)
			continue
		}
		d, err := is.issueOne(ctx, app.ID, r, issuedAt)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

func inSlot(ds []kaiban.DocumentRecord, kind kaiban.DocumentKind, key string) (kaiban.DocumentRecord, bool) {
	for _, d := range ds {
		if d.Kind == kind && d.Key == key {
			return d, true
		}
	}
	return kaiban.DocumentRecord{}, false
}

// issueOne signs, stores the object, then the record: a record always
// names bytes that are there. The object's key carries the digest, so a
// retry that lost the slot's race leaves the winner's object alone.
func (is *Issuer) issueOne(ctx context.Context, applicationID string, r documents.Rendered, issuedAt time.Time) (kaiban.DocumentRecord, error) {
	sum := sha256.Sum256(r.Body)
	sig, err := is.Signer.Sign(ctx, sum[:])
	if err != nil {
		return kaiban.DocumentRecord{}, kaiban.Wrap(kaiban.ErrAgencyUnavailable, err, "the document could not be signed")
	}
	digest := hex.EncodeToString(sum[:])
	name := string(r.Kind)
	if r.Key != "" {
		name += "-" + strings.ToLower(r.Key)
	}
	objectKey := "documents/" + applicationID + "/" + name + "-" + digest[:16] + Extension(r.MediaType)
	if err := is.Objects.PutObject(ctx, objectKey, r.MediaType, r.Body); err != nil {
		return kaiban.DocumentRecord{}, err
	}
	return is.Store.PutDocument(ctx, kaiban.DocumentRecord{
		ID: DocumentID(is.IDSecret, applicationID, r.Kind, r.Key), ApplicationID: applicationID, Kind: r.Kind, Key: r.Key,
		Title: r.Title, TitleEN: r.TitleEN, MediaType: r.MediaType, Size: int64(len(r.Body)), SHA256: digest,
		Signature: sig, KeyID: is.Signer.KeyID(), ObjectKey: objectKey, IssuedAt: issuedAt,
	})
}

// Extension is the file name extension of a media type.
func Extension(mediaType string) string {
	switch strings.TrimSpace(strings.Split(mediaType, ";")[0]) {
	case "application/pdf":
		return ".pdf"
	case "image/svg+xml":
		return ".svg"
	case "text/plain":
		return ".txt"
	}
	return ".bin"
}
