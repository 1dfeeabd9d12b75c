package stack

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// keyBytes is the size of every local key (AES-256, HS256, token sealing).
const keyBytes = 32

func decodeKey(v string) ([]byte, error) {
	k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v))
	if err != nil || len(k) != keyBytes {
		return nil, fmt.Errorf("want a base64-encoded 32-byte key")
	}
	return k, nil
}
