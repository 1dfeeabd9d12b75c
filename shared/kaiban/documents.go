package kaiban

import (
	"cmp"
	"context"
	"encoding/hex"
	"slices"
	"time"
)

// DocumentRecord is what the platform keeps of one issued document: which
// application and kind it is, where its bytes are (ObjectKey in the
// Objects store), their SHA-256 and the platform's signature of it, so
// anyone holding the bytes can ask whether the platform issued them.
type DocumentRecord struct {
	ID            string
	ApplicationID string
	Kind          DocumentKind
	// Key tells documents of one kind apart (the seal type), "" for the
	// kinds an application has one of. (ApplicationID, Kind, Key) names
	// one slot: a document is issued into it once.
	Key       string
	Title     string // Chinese title
	TitleEN   string // English title
	MediaType string
	Size      int64
	SHA256    string // lowercase hex of the bytes' SHA-256
	Signature []byte // DER ECDSA signature of the digest (SignatureAlgorithm)
	KeyID     string // the signing key (Signer.KeyID)
	ObjectKey string
	IssuedAt  time.Time
	// RevokedAt is when the document was revoked (the application was
	// compensated), zero while it stands.
	RevokedAt time.Time
}

// Revoked says whether the document has been revoked.
func (d DocumentRecord) Revoked() bool { return !d.RevokedAt.IsZero() }

// Documents is the store part of issued documents, implemented by each
// store beside kaiban.Store.
type Documents interface {
	// PutDocument stores d unless its slot (ApplicationID, Kind, Key)
	// already holds a document; either way it returns the slot's record,
	// so a retried issuing step never issues a second licence. An ID
	// already taken by another slot is ErrIdempotencyConflict.
	PutDocument(ctx context.Context, d DocumentRecord) (DocumentRecord, error)
	// ListDocuments returns the application's documents in the order of
	// DocumentKinds, then by key; none is an empty list, not an error.
	ListDocuments(ctx context.Context, applicationID string) ([]DocumentRecord, error)
	// GetDocument returns the document id, or ErrNotFound.
	GetDocument(ctx context.Context, id string) (DocumentRecord, error)
	// FindDocumentsByDigest returns the documents whose SHA256 is sha256
	// (lowercase hex), usually one; none is an empty list.
	FindDocumentsByDigest(ctx context.Context, sha256 string) ([]DocumentRecord, error)
	// RevokeDocuments sets RevokedAt to at on each of the application's
	// documents not revoked yet and returns how many it revoked.
	RevokeDocuments(ctx context.Context, applicationID string, at time.Time) (int, error)
}

// CheckDocument reports why d cannot be stored, or nil.
func CheckDocument(d DocumentRecord) error {
	for _, f := range []struct{ what, v string }{{"document id", d.ID}, {"application id", d.ApplicationID},
		{"document kind", string(d.Kind)}, {"object key", d.ObjectKey}, {"media type", d.MediaType}, {"key id", d.KeyID}} {
		if err := CheckKey(f.what, f.v); err != nil {
			return err
		}
	}
	if d.Key != "" {
		if err := CheckKey("document key", d.Key); err != nil {
			return err
		}
	}
	if !KnownDocumentKind(d.Kind) {
		return Errorf(ErrInput, "unknown document kind %q", d.Kind)
	}
	if b, err := hex.DecodeString(d.SHA256); err != nil || len(b) != 32 || hex.EncodeToString(b) != d.SHA256 {
		return Errorf(ErrInput, "a document's sha256 is 64 lowercase hex digits")
	}
	if len(d.Signature) == 0 || d.IssuedAt.IsZero() || d.Size < 0 {
		return Errorf(ErrInput, "a document needs its signature and issue time")
	}
	return nil
}

// KnownDocumentKind says whether k is one of DocumentKinds.
func KnownDocumentKind(k DocumentKind) bool { return DocumentKindRank(k) >= 0 }

// DocumentKindRank is k's position in DocumentKinds, -1 if unknown: the
// order documents are listed in.
func DocumentKindRank(k DocumentKind) int {
	for i, x := range DocumentKinds {
		if x == k {
			return i
		}
	}
	return -1
}

// SortDocuments orders ds as ListDocuments returns them: by kind in the
// order of DocumentKinds, then by key.
func SortDocuments(ds []DocumentRecord) {
	slices.SortStableFunc(ds, func(a, b DocumentRecord) int {
		if c := cmp.Compare(DocumentKindRank(a.Kind), DocumentKindRank(b.Kind)); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
}
