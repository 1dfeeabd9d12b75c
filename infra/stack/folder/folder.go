// Package folder is kaiban.Objects on the local disk: a directory of the
// data directory (<data>/documents), each object a file written to a
// temporary file beside it and renamed into place, so a reader sees the
// old bytes or the new, never a part. Download links are URLs of the
// API's content route carrying the key, the media type, the file name and
// an expiry, signed with HMAC-SHA-256 (the local stand-in for S3's
// pre-signed URLs); Open checks them.
package folder

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Folder stores objects under a directory.
type Folder struct {
	dir    string
	secret []byte
	base   string
	now    func() time.Time
}

var _ kaiban.Objects = (*Folder)(nil)

// New returns a Folder on dir (created 0700 if missing) whose links point
// at base (the content route's path, "/v1/objects/content") and are
// signed with secret (at least 32 bytes).
func New(dir string, secret []byte, base string) (*Folder, error) {
	if len(secret) < 32 {
		return nil, kaiban.Errorf(kaiban.ErrConfig, "the download link secret needs at least 32 bytes")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, kaiban.Wrap(kaiban.ErrConfig, err, "cannot create the documents folder")
	}
	return &Folder{dir: dir, secret: secret, base: base, now: time.Now}, nil
}

// WithClock returns f reading the time from now (tests).
func (f *Folder) WithClock(now func() time.Time) *Folder {
	c := *f
	c.now = now
	return &c
}

func (f *Folder) path(key string) (string, error) {
	if err := kaiban.CheckObjectKey(key); err != nil {
		return "", err
	}
	return filepath.Join(f.dir, filepath.FromSlash(key)), nil
}

// PutObject implements kaiban.Objects: a temporary file in the target's
// directory, synced, then renamed over the target and the directory
// synced, so a crash leaves the old object or the new one.
func (f *Folder) PutObject(ctx context.Context, key, mediaType string, body []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p, err := f.path(key)
	if err != nil {
		return err
	}
	dir := filepath.Dir(p)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return kaiban.Wrap(kaiban.ErrStoreUnavailable, err, "cannot create the object's folder")
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return kaiban.Wrap(kaiban.ErrStoreUnavailable, err, "cannot write the object")
	}
	defer os.Remove(tmp.Name()) // after the rename there is nothing to remove
	_, err = tmp.Write(body)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), p)
	}
	if err == nil {
		err = syncDir(dir)
	}
	if err != nil {
		return kaiban.Wrap(kaiban.ErrStoreUnavailable, err, "cannot write the object")
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// GetObject implements kaiban.Objects.
func (f *Folder) GetObject(ctx context.Context, key string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p, err := f.path(key)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, kaiban.Errorf(kaiban.ErrNotFound, "object not found")
	}
	if err != nil {
		return nil, kaiban.Wrap(kaiban.ErrStoreUnavailable, err, "cannot read the object")
	}
	return b, nil
}

// mac signs a link's parameters, each length-prefixed so no two sets of
// parameters sign alike.
func (f *Folder) mac(key, mediaType, filename string, exp int64) []byte {
	h := hmac.New(sha256.New, f.secret)
	for _, s := range []string{key, mediaType, filename, strconv.FormatInt(exp, 10)} {
		h.Write([]byte(strconv.Itoa(len(s)) + ":" + s))
	}
	return h.Sum(nil)
}

// DownloadURL implements kaiban.Objects.
func (f *Folder) DownloadURL(ctx context.Context, key, mediaType, filename string, ttl time.Duration) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if err := kaiban.CheckObjectKey(key); err != nil {
		return "", err
	}
	if ttl <= 0 || ttl > kaiban.MaxDownloadTTL {
		return "", kaiban.Errorf(kaiban.ErrInput, "a download link lives up to %v", kaiban.MaxDownloadTTL)
	}
	exp := f.now().Add(ttl).Unix()
	q := url.Values{"key": {key}, "type": {mediaType}, "name": {filename}, "exp": {strconv.FormatInt(exp, 10)},
		"sig": {base64.RawURLEncoding.EncodeToString(f.mac(key, mediaType, filename, exp))}}
	return f.base + "?" + q.Encode(), nil
}

// Download is what a checked link serves.
type Download struct {
	Body      []byte
	MediaType string
	Filename  string
}

// Open checks a link's query (its signature in constant time, then its
// expiry) and returns what it serves. A link altered, signed with another
// secret or expired is ErrForbidden; its object gone, ErrNotFound.
func (f *Folder) Open(ctx context.Context, q url.Values) (Download, error) {
	key, mt, name := q.Get("key"), q.Get("type"), q.Get("name")
	exp, err := strconv.ParseInt(q.Get("exp"), 10, 64)
	sig, serr := base64.RawURLEncoding.DecodeString(q.Get("sig"))
	if err != nil || serr != nil || !hmac.Equal(sig, f.mac(key, mt, name, exp)) {
		return Download{}, kaiban.Errorf(kaiban.ErrForbidden, "the download link is not valid")
	}
	if f.now().Unix() >= exp {
		return Download{}, kaiban.Errorf(kaiban.ErrForbidden, "the download link has expired")
	}
	b, err := f.GetObject(ctx, key)
	if err != nil {
		return Download{}, err
	}
	return Download{Body: b, MediaType: mt, Filename: name}, nil
}
