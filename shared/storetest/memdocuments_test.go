package storetest

import (
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
)

func TestMemDocumentsContract(t *testing.T) {
	RunDocumentsContract(t, func(*testing.T) kaiban.Documents { return NewMemDocuments() })
}
