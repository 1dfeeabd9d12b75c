package sqlite

import (
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

func TestNameIndexContract(t *testing.T) {
	storetest.RunNameIndexContract(t, func(t *testing.T) kaiban.NameIndex { return MustOpen(t) })
}
