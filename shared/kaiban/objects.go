package kaiban

import (
	"context"
	"strings"
	"time"
)

// Objects is where documents' bytes are kept: an S3 bucket on AWS
// (shared/aws/s3objects), a folder of the data directory locally
// (infra/stack/folder). Keys are slash-separated paths of letters,
// digits and "-_.", never "." or ".." segments.
type Objects interface {
	// PutObject stores body under key, replacing what was there; a reader
	// sees the old bytes or the new, never a part.
	PutObject(ctx context.Context, key, mediaType string, body []byte) error
	// GetObject returns the bytes under key, or ErrNotFound.
	GetObject(ctx context.Context, key string) ([]byte, error)
	// DownloadURL returns a link that serves the object (as mediaType,
	// saved as filename) to anyone holding it until ttl has passed: a
	// pre-signed URL on AWS, a signed one served by the API locally.
	DownloadURL(ctx context.Context, key, mediaType, filename string, ttl time.Duration) (string, error)
}

// MaxDownloadTTL bounds how long a download link lives: S3 refuses
// pre-signed links beyond seven days, and the links are handed out for
// the page being shown, not to be kept.
const MaxDownloadTTL = 7 * 24 * time.Hour

// CheckObjectKey reports why key cannot name an object, or nil.
func CheckObjectKey(key string) error {
	if key == "" || len(key) > MaxKeyLen {
		return Errorf(ErrInput, "an object key is 1 to %d bytes", MaxKeyLen)
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return Errorf(ErrInput, "object key %q has an empty, . or .. segment", key)
		}
		for _, r := range seg {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
				return Errorf(ErrInput, "object key %q has a character other than letters, digits and -_.", key)
			}
		}
	}
	return nil
}
