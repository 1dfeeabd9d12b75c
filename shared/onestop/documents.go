package onestop

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"net/url"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/refdata"
	"github.com/kaiban/kaiban/shared/validate"
)

// DocumentsDeps is what the issued documents' routes need. Issuing them
// is the documents function's (shared/docissue); the service reads,
// verifies, links and revokes.
type DocumentsDeps struct {
	Store   kaiban.Documents
	Objects kaiban.Objects
	// Public is the key that verifies the platform's signatures: published
	// at the well-known URL and used by VerifyDocument.
	Public *ecdsa.PublicKey
	// LinkTTL is how long a download link lives; default
	// DefaultDocumentLinkTTL.
	LinkTTL time.Duration
	// ServeLink checks a download link the API serves itself (the local
	// folder's signed links) and returns what it serves; nil where links
	// are served elsewhere (S3's pre-signed links): the content route
	// answers 404.
	ServeLink func(ctx context.Context, q url.Values) (Download, error)
}

// Download is what a checked download link serves.
type Download struct {
	Body      []byte
	MediaType string
	Filename  string
}

// OpenDownloadLink serves a download link of the local stack (ServeLink).
func (s *Service) OpenDownloadLink(ctx context.Context, q url.Values) (Download, error) {
	docs, err := s.documents()
	if err != nil {
		return Download{}, err
	}
	if docs.ServeLink == nil {
		return Download{}, kaiban.Errorf(kaiban.ErrNotFound, "download links are not served here")
	}
	return docs.ServeLink(ctx, q)
}

// DefaultDocumentLinkTTL is how long a download link lives: long enough to
// click through a page that was just loaded, short enough that a link
// forwarded or left in a log is soon useless.
const DefaultDocumentLinkTTL = 15 * time.Minute

// MaxVerifyBytes bounds the body of a verification: the largest document
// of the bundle (the articles with their embedded font) with room to
// spare, and base64-encoded still under Lambda's 6 MB request payload.
const MaxVerifyBytes = 4 << 20

func (s *Service) documents() (*DocumentsDeps, error) {
	if s.docs == nil {
		return nil, kaiban.Errorf(kaiban.ErrNotFound, "documents are not configured")
	}
	return s.docs, nil
}

// DocumentView is one document as the applicant and the clerks see it.
type DocumentView struct {
	ID        string              `json:"id"`
	Kind      kaiban.DocumentKind `json:"kind"`
	Key       string              `json:"key,omitempty"`
	Title     string              `json:"title"`
	MediaType string              `json:"mediaType"`
	Size      int64               `json:"size"`
	SHA256    string              `json:"sha256"`
	IssuedAt  time.Time           `json:"issuedAt"`
	Revoked   bool                `json:"revoked"`
	// URL downloads the bytes whose SHA-256 is SHA256 until it expires.
	URL string `json:"url"`
}

// DocumentsView is the list of an application's documents.
type DocumentsView struct {
	Documents []DocumentView `json:"documents"`
}

// Documents lists the application's documents for the holder of its
// access token, each with a short-lived download link. A wrong token, an
// unknown and a malformed ID are the same ErrNotFound, as for Status.
func (s *Service) Documents(ctx context.Context, id, token string, lang validate.Lang) (DocumentsView, error) {
	if err := s.checkApplicant(ctx, id, token); err != nil {
		return DocumentsView{}, err
	}
	return s.documentViews(ctx, id, lang)
}

// ClerkDocuments lists the application's documents for a clerk (the
// clerk routes are authorised by the API).
func (s *Service) ClerkDocuments(ctx context.Context, id string, lang validate.Lang) (DocumentsView, error) {
	if !validApplicationID(id) {
		return DocumentsView{}, kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	return s.documentViews(ctx, id, lang)
}

func (s *Service) checkApplicant(ctx context.Context, id, token string) error {
	if !validApplicationID(id) {
		return kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	if err := s.store.CheckAccessToken(ctx, id, token); err != nil {
		return notFoundIfInput(err)
	}
	return nil
}

func documentTitle(d kaiban.DocumentRecord, lang validate.Lang) string {
	if lang == validate.LangEN && d.TitleEN != "" {
		return d.TitleEN
	}
	return d.Title
}

// documentFilename is the name a document is saved as: its kind, its key
// and the extension of its object.
func documentFilename(d kaiban.DocumentRecord) string {
	name := string(d.Kind)
	if d.Key != "" {
		name += "-" + d.Key
	}
	ext := ".bin"
	for i := len(d.ObjectKey) - 1; i >= 0 && d.ObjectKey[i] != '/'; i-- {
		if d.ObjectKey[i] == '.' {
			ext = d.ObjectKey[i:]
			break
		}
	}
	return name + ext
}

func (s *Service) documentViews(ctx context.Context, id string, lang validate.Lang) (DocumentsView, error) {
	docs, err := s.documents()
	if err != nil {
		return DocumentsView{}, err
	}
	recs, err := s.docs.Store.ListDocuments(ctx, id)
	if err != nil {
		return DocumentsView{}, err
	}
	ttl := docs.LinkTTL
	if ttl <= 0 {
		ttl = DefaultDocumentLinkTTL
	}
	out := DocumentsView{Documents: make([]DocumentView, 0, len(recs))}
	for _, d := range recs {
		u, err := s.docs.Objects.DownloadURL(ctx, d.ObjectKey, d.MediaType, documentFilename(d), ttl)
		if err != nil {
			return DocumentsView{}, err
		}
		out.Documents = append(out.Documents, DocumentView{ID: d.ID, Kind: d.Kind, Key: d.Key, Title: documentTitle(d, lang),
			MediaType: d.MediaType, Size: d.Size, SHA256: d.SHA256, IssuedAt: d.IssuedAt, Revoked: d.Revoked(), URL: u})
	}
	return out, nil
}

// DocumentsArchive is every document of the application in one zip (the
// "download all"), for the holder of its access token. Each object is
// checked against its record's SHA-256 first: the archive never carries
// bytes the platform did not sign.
func (s *Service) DocumentsArchive(ctx context.Context, id, token string) ([]byte, error) {
	if err := s.checkApplicant(ctx, id, token); err != nil {
		return nil, err
	}
	if _, err := s.documents(); err != nil {
		return nil, err
	}
	recs, err := s.docs.Store.ListDocuments(ctx, id)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, d := range recs {
		body, err := s.docs.Objects.GetObject(ctx, d.ObjectKey)
		if err != nil {
			return nil, err
		}
		if sum := sha256.Sum256(body); hex.EncodeToString(sum[:]) != d.SHA256 {
			return nil, kaiban.Errorf(kaiban.ErrStoreCorrupt, "document %s does not match its digest", d.ID)
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: documentFilename(d), Method: zip.Deflate, Modified: d.IssuedAt})
		if err != nil {
			return nil, kaiban.Wrap(kaiban.ErrInternal, err, "cannot write the archive")
		}
		if _, err := w.Write(body); err != nil {
			return nil, kaiban.Wrap(kaiban.ErrInternal, err, "cannot write the archive")
		}
	}
	if err := zw.Close(); err != nil {
		return nil, kaiban.Wrap(kaiban.ErrInternal, err, "cannot write the archive")
	}
	return buf.Bytes(), nil
}

// DocumentsPublicKey is the platform's document-signing public key, PEM
// (PKIX "PUBLIC KEY"), as published at the well-known URL.
func (s *Service) DocumentsPublicKey() ([]byte, error) {
	docs, err := s.documents()
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKIXPublicKey(docs.Public)
	if err != nil {
		return nil, kaiban.Wrap(kaiban.ErrConfig, err, "the documents' public key cannot be encoded")
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

// VerifyResult answers a verification.
type VerifyResult struct {
	Valid bool `json:"valid"`
	// Revoked is set when the document was issued and signed but its
	// application was later compensated: not valid any more.
	Revoked  bool              `json:"revoked,omitempty"`
	Document *VerifiedDocument `json:"document,omitempty"`
}

// VerifiedDocument is what a verification tells about the document.
type VerifiedDocument struct {
	ID         string              `json:"id"`
	Kind       kaiban.DocumentKind `json:"kind"`
	Company    string              `json:"company"`
	CreditCode string              `json:"creditCode"`
	IssuedAt   time.Time           `json:"issuedAt"`
}

// VerifyDocument says whether body is a document the platform issued: a
// record with its SHA-256 whose signature verifies with the platform's
// public key, and that is not revoked. Bytes nobody issued (one changed
// byte is enough) are valid:false without a document; a record whose
// signature does not verify (signed by another key) likewise.
func (s *Service) VerifyDocument(ctx context.Context, body []byte) (VerifyResult, error) {
	docs, err := s.documents()
	if err != nil {
		return VerifyResult{}, err
	}
	if len(body) == 0 {
		return VerifyResult{}, kaiban.Errorf(kaiban.ErrInput, "the document's bytes are the request's body")
	}
	if len(body) > MaxVerifyBytes {
		return VerifyResult{}, kaiban.Errorf(kaiban.ErrTooLarge, "a document is at most %d bytes", MaxVerifyBytes)
	}
	sum := sha256.Sum256(body)
	recs, err := s.docs.Store.FindDocumentsByDigest(ctx, hex.EncodeToString(sum[:]))
	if err != nil {
		return VerifyResult{}, err
	}
	for _, d := range recs {
		if !ecdsa.VerifyASN1(docs.Public, sum[:], d.Signature) {
			continue
		}
		vd, err := s.verifiedDocument(ctx, d)
		if err != nil {
			return VerifyResult{}, err
		}
		return VerifyResult{Valid: !d.Revoked(), Revoked: d.Revoked(), Document: vd}, nil
	}
	return VerifyResult{Valid: false}, nil
}

func (s *Service) verifiedDocument(ctx context.Context, d kaiban.DocumentRecord) (*VerifiedDocument, error) {
	app, err := s.store.GetApplication(ctx, d.ApplicationID)
	if err != nil {
		return nil, err
	}
	return &VerifiedDocument{ID: d.ID, Kind: d.Kind, Company: app.Form.Company.Name, CreditCode: app.CreditCode, IssuedAt: d.IssuedAt}, nil
}

// DocumentParticulars are the public particulars the verification page
// (/verify/{id}, the licence's QR code) shows: what a licence prints for
// anyone to read, never ID numbers or contacts.
type DocumentParticulars struct {
	ID                  string              `json:"id"`
	Kind                kaiban.DocumentKind `json:"kind"`
	Title               string              `json:"title"`
	Company             string              `json:"company"`
	CreditCode          string              `json:"creditCode"`
	LegalRepresentative string              `json:"legalRepresentative"`
	Authority           string              `json:"authority"`
	IssuedAt            time.Time           `json:"issuedAt"`
	// Valid is the stored bytes' digest matching the record, the record's
	// signature verifying with the platform's key, and no revocation.
	Valid   bool `json:"valid"`
	Revoked bool `json:"revoked"`
}

// DocumentParticulars answers the public verification page of document
// id; an unknown or malformed id is ErrNotFound.
func (s *Service) DocumentParticulars(ctx context.Context, id string, lang validate.Lang) (DocumentParticulars, error) {
	docs, err := s.documents()
	if err != nil {
		return DocumentParticulars{}, err
	}
	if kaiban.CheckKey("document id", id) != nil {
		return DocumentParticulars{}, kaiban.Errorf(kaiban.ErrNotFound, "document not found")
	}
	d, err := s.docs.Store.GetDocument(ctx, id)
	if err != nil {
		return DocumentParticulars{}, err
	}
	app, err := s.store.GetApplication(ctx, d.ApplicationID)
	if err != nil {
		return DocumentParticulars{}, err
	}
	body, err := s.docs.Objects.GetObject(ctx, d.ObjectKey)
	if err != nil && !kaiban.IsName(err, kaiban.ErrNotFound) {
		return DocumentParticulars{}, err
	}
	sum := sha256.Sum256(body)
	intact := err == nil && hex.EncodeToString(sum[:]) == d.SHA256 && ecdsa.VerifyASN1(docs.Public, sum[:], d.Signature)
	return DocumentParticulars{ID: d.ID, Kind: d.Kind, Title: documentTitle(d, lang), Company: app.Form.Company.Name,
		CreditCode: app.CreditCode, LegalRepresentative: app.Form.LegalRepresentative.Name,
		Authority: registrationAuthority(app.Form.Company.Address.RegionCode, lang), IssuedAt: d.IssuedAt,
		Valid: intact && !d.Revoked(), Revoked: d.Revoked()}, nil
}

// registrationAuthority is the market regulation bureau of the city of a
// county-level region code: the registry that issues the licence.
func registrationAuthority(regionCode string, lang validate.Lang) string {
	if len(regionCode) < 4 {
		return ""
	}
	for _, c := range refdata.Regions() {
		if c.Code == regionCode[:4] {
			if lang == validate.LangEN {
				return c.Name + " Administration for Market Regulation"
			}
			return c.Name + "市场监督管理局"
		}
	}
	return ""
}

// RevokeDocuments revokes the application's documents (its registration
// was compensated): they verify as revoked from now on. Documents off
// means nothing to revoke.
func (s *Service) RevokeDocuments(ctx context.Context, applicationID string) (int, error) {
	if s.docs == nil {
		return 0, nil
	}
	return s.docs.Store.RevokeDocuments(ctx, applicationID, s.now().UTC())
}
