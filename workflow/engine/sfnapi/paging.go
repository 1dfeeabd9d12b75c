package sfnapi

import (
	"encoding/base64"
	"encoding/json"
)

// AWS's paging limits for the List* and GetExecutionHistory actions.
const (
	defaultPageSize = 100
	maxPageSize     = 1000
	maxTokenLength  = 1024
)

// pageToken is the opaque nextToken. It names the last item returned rather
// than an offset, so new executions arriving at the head of a newest-first
// list do not shift the next page; Scope ties the token to the call that
// issued it, so it cannot be replayed against another execution or list.
type pageToken struct {
	Scope string `json:"s"`
	After string `json:"a"`
}

func (t pageToken) encode() string {
	b, _ := json.Marshal(t) // two strings: cannot fail
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodePageToken(s, scope string) (pageToken, error) {
	invalid := badRequest(codeInvalidToken, "Invalid Token: the nextToken was not issued for this request")
	if len(s) > maxTokenLength {
		return pageToken{}, invalid
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return pageToken{}, invalid
	}
	var t pageToken
	if err := json.Unmarshal(b, &t); err != nil || t.Scope != scope || t.After == "" {
		return pageToken{}, invalid
	}
	return t, nil
}

// pageSize validates maxResults (0 means the default).
func pageSize(maxResults int) (int, error) {
	switch {
	case maxResults == 0:
		return defaultPageSize, nil
	case maxResults < 0 || maxResults > maxPageSize:
		return 0, badRequest(codeValidation, "1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to %d and greater than or equal to 0", maxResults, maxPageSize)
	}
	return maxResults, nil
}

// page cuts one page out of items, which are in the order the caller wants
// them. key names an item for the token. It returns the page and the token
// for the next one ("" on the last page).
func page[T any](items []T, key func(T) string, scope, nextToken string, maxResults int) ([]T, string, error) {
	size, err := pageSize(maxResults)
	if err != nil {
		return nil, "", err
	}
	start := 0
	if nextToken != "" {
		tok, err := decodePageToken(nextToken, scope)
		if err != nil {
			return nil, "", err
		}
		start = -1
		for i, it := range items {
			if key(it) == tok.After {
				start = i + 1
				break
			}
		}
		if start < 0 {
			return nil, "", badRequest(codeInvalidToken, "Invalid Token: the item the nextToken points after no longer exists")
		}
	}
	end := min(start+size, len(items))
	out := items[start:end]
	if end == len(items) {
		return out, "", nil
	}
	return out, pageToken{Scope: scope, After: key(items[end-1])}.encode(), nil
}
