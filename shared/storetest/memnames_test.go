package storetest

import (
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
)

func TestMemNameIndexContract(t *testing.T) {
	RunNameIndexContract(t, func(*testing.T) kaiban.NameIndex { return NewMemNameIndex() })
}
