package dynamodb

import (
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

func TestDocumentsContract(t *testing.T) {
	storetest.RunDocumentsContract(t, func(t *testing.T) kaiban.Documents { return MustOpen(t) })
}
