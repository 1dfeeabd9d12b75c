package stack

import (
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/json"
	"net/url"
	"path/filepath"

	"github.com/kaiban/kaiban/infra/stack/folder"
	"github.com/kaiban/kaiban/shared/docissue"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/onestop"
)

// documentsDir is the folder of the data directory that holds the issued
// documents' bytes (the local stand-in for the S3 bucket).
const documentsDir = "documents"

// objectContentPath is the API route that serves the folder's download
// links.
const objectContentPath = "/v1/objects/content"

// derive is a key for purpose derived from the token secret, so one
// secret configures them all and none reveals another.
func derive(secret []byte, purpose string) []byte {
	k, err := hkdf.Key(sha256.New, secret, nil, purpose, 32)
	if err != nil {
		panic(err) // only for lengths hkdf refuses; 32 is not one
	}
	return k
}

// documentsDeps wires the documents: the store's documents part, the
// folder <data>/documents with links signed by a key derived from the
// token secret, the platform's signing key (sign.key, the confirmations'
// key) and the issuer the stack runs for the documents step.
func (s *Stack) documentsDeps(cfg Config, tokenSecret []byte) (*onestop.DocumentsDeps, *docissue.Issuer, error) {
	store, ok := s.Store.(kaiban.Documents)
	if !ok {
		return nil, nil, kaiban.Errorf(kaiban.ErrConfig, "the %s store keeps no documents", cfg.Store)
	}
	signer, err := loadSigner(cfg.DataDir)
	if err != nil {
		return nil, nil, err
	}
	f, err := folder.New(filepath.Join(cfg.DataDir, documentsDir), derive(tokenSecret, "kaiban download links v1"), objectContentPath)
	if err != nil {
		return nil, nil, err
	}
	f = f.WithClock(s.clock.Now)
	deps := &onestop.DocumentsDeps{Store: store, Objects: f, Public: signer.Public(),
		ServeLink: func(ctx context.Context, q url.Values) (onestop.Download, error) {
			d, err := f.Open(ctx, q)
			return onestop.Download(d), err
		}}
	issuer := &docissue.Issuer{Apps: s.Store, Store: store, Objects: f, Signer: signer,
		IDSecret: docissue.IDSecret(tokenSecret), VerifyBase: cfg.PublicBaseURL, Clock: s.clock.Now}
	return deps, issuer, nil
}

// passThrough is the documents step of a stack that issues none
// (Config.NoDocuments): the definition discards the step's result
// (ResultPath null), so it answers an empty object.
func passThrough(context.Context, json.RawMessage) (json.RawMessage, error) {
	return json.RawMessage(`{}`), nil
}
