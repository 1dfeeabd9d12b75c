package kaiban

import (
	"context"
	"time"
)

// ErrNameTaken is returned by NameIndex.ReserveName when a name with the
// same identical key blocks the reservation (another applicant won the
// race, or the name is registered). Stable, like the names in error.go.
const ErrNameTaken = "Name.Taken"

// NameStatus is where a name stands in the registry.
type NameStatus string

// The statuses of the registered-names index, as the registry files carry
// them.
const (
	NameRegistered   NameStatus = "REGISTERED"
	NameReserved     NameStatus = "RESERVED"
	NameDeregistered NameStatus = "DEREGISTERED"
	NameRevoked      NameStatus = "REVOKED"
)

// NameBlockAfterRemoval is how long a deregistered or revoked company's
// name still blocks the same and similar names (企业名称登记管理规定:
// one year).
const NameBlockAfterRemoval = 365 * 24 * time.Hour

// NameRecord is one name of the registered-names index.
type NameRecord struct {
	Name      string     // the full name, the record's identity
	Registry  string     // the registration authority: the Liaoning city code (2101 …), or 21 for the province
	Status    NameStatus //
	ChangedAt time.Time  // when Status last changed
	// ReservedUntil ends a RESERVED name's reservation period; Holder is
	// who reserved it (an application ID), so a retried reservation by the
	// same holder succeeds.
	ReservedUntil time.Time
	Holder        string
	// Keys are the look-up keys the name check computes (shared/names):
	// the first is the identical key, on which reservations are exclusive.
	Keys []string
}

// BlocksAt says whether the record still stands in the way of other names
// at now: registered names always, reservations within their period,
// deregistered and revoked names for NameBlockAfterRemoval.
func (r NameRecord) BlocksAt(now time.Time) bool {
	switch r.Status {
	case NameRegistered:
		return true
	case NameReserved:
		return now.Before(r.ReservedUntil)
	case NameDeregistered, NameRevoked:
		return now.Before(r.ChangedAt.Add(NameBlockAfterRemoval))
	}
	return false
}

// NameIndex is the registered-names index behind the name check. Look-ups
// go by the normalised keys a record carries, never by scanning.
type NameIndex interface {
	// PutNames inserts or replaces records by Name (seeding the local
	// registry, registry updates).
	PutNames(ctx context.Context, recs []NameRecord) error
	// FindNames returns every record carrying any of keys, each once, in
	// no particular order.
	FindNames(ctx context.Context, keys []string) ([]NameRecord, error)
	// ReserveName stores rec (Status RESERVED) unless a record sharing its
	// identical key (rec.Keys[0]) blocks at now and is not held by
	// rec.Holder; then it fails with ErrNameTaken. Of applicants racing for
	// one name exactly one succeeds.
	ReserveName(ctx context.Context, rec NameRecord, now time.Time) error
}

// Check refuses a record no index stores: one without a name, registry or
// keys, with an unknown status, or (reservation) a reservation without a
// holder or an end.
func (r NameRecord) Check(reservation bool) error {
	switch {
	case r.Name == "" || r.Registry == "" || len(r.Keys) == 0:
		return Errorf(ErrInput, "name record needs a name, a registry and keys")
	case r.Status != NameRegistered && r.Status != NameReserved && r.Status != NameDeregistered && r.Status != NameRevoked:
		return Errorf(ErrInput, "name record status %q", r.Status)
	case reservation && (r.Status != NameReserved || r.Holder == "" || r.ReservedUntil.IsZero()):
		return Errorf(ErrInput, "a reservation needs status RESERVED, a holder and its end")
	}
	return nil
}
