package stack

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/onestop"
	"github.com/kaiban/kaiban/shared/signing"
)

// signKeyFile is the platform's signing key in the data directory: the
// 32-byte private scalar of an ECDSA P-256 key, base64, like the other
// keys (KAIBAN_SIGN_KEY overrides it).
const signKeyFile = "sign.key"

// loadSigner reads the signing key, or creates it atomically (the same
// exclusive create-and-link as every key). Unlike the other keys it is
// also created beside existing databases: it protects no stored data, and
// the signatures made with a lost key still name it (KeyID).
func loadSigner(dir string) (*signing.Local, error) {
	var seed []byte
	if v := os.Getenv("KAIBAN_SIGN_KEY"); v != "" {
		k, err := decodeKey(v)
		if err != nil {
			return nil, fmt.Errorf("KAIBAN_SIGN_KEY: %w", err)
		}
		seed = k
	} else {
		k, err := readKey(filepath.Join(dir, signKeyFile))
		if errors.Is(err, fs.ErrNotExist) {
			k, err = createSignKey(dir)
		}
		if err != nil {
			return nil, err
		}
		seed = k
	}
	return signing.NewLocal(seed)
}

// createSignKey draws a new key and stores it; when another process
// stored one first, theirs is used.
func createSignKey(dir string) ([]byte, error) {
	k, err := signing.NewSeed()
	if err != nil {
		return nil, err
	}
	created, err := createExclusive(dir, signKeyFile, []byte(base64.StdEncoding.EncodeToString(k)+"\n"))
	if err != nil {
		return nil, fmt.Errorf("creating the signing key: %w", err)
	}
	if !created {
		return readKey(filepath.Join(dir, signKeyFile))
	}
	return k, nil
}

// confirmDeps assembles the founders' confirmations: the store's
// confirmations part, the notifier (the stack's: the outbox unless
// Config.Notifier says otherwise), the platform's key and the identity
// agency.
func (s *Stack) confirmDeps(cfg Config, n kaiban.Notifier, identity kaiban.IdentityVerifier) (*onestop.ConfirmDeps, error) {
	signer, err := loadSigner(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	store, ok := s.Store.(kaiban.Confirmations)
	if !ok {
		return nil, kaiban.Errorf(kaiban.ErrConfig, "the store keeps no confirmations")
	}
	return &onestop.ConfirmDeps{Store: store, Notifier: n, Signer: signer, Identity: identity}, nil
}
