package kaiban_test

import (
	"reflect"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

func TestConfirmersOncePerPersonWithAllRoles(t *testing.T) {
	f := storetest.Form()
	f.LegalRepresentative.IDNumber = "11010519491231002x" // same person, lower-case check character
	got := kaiban.Confirmers(f)
	type person struct {
		name, id, mobile string
		roles            []kaiban.PersonRole
	}
	want := []person{
		{"张三", storetest.PII[0], storetest.PII[4], []kaiban.PersonRole{
			{Role: kaiban.RoleLegalRepresentative, Holder: -1}, {Role: kaiban.RoleShareholder, Holder: 0}, {Role: kaiban.RoleDirector, Holder: -1}}},
		{"刘洋", storetest.PII[7], storetest.PII[6], []kaiban.PersonRole{{Role: kaiban.RoleHolderRepresentative, Holder: 1}}},
		{"李四", storetest.PII[1], storetest.PII[5], []kaiban.PersonRole{{Role: kaiban.RoleSupervisor, Holder: -1}}},
		{"王五", storetest.PII[2], storetest.PII[6], []kaiban.PersonRole{{Role: kaiban.RoleManager, Holder: -1}, {Role: kaiban.RoleLiaison, Holder: -1}}},
		{"赵六", storetest.PII[3], storetest.PII[5], []kaiban.PersonRole{{Role: kaiban.RoleFinanceOfficer, Holder: -1}, {Role: kaiban.RoleTaxHandler, Holder: -1}}},
	}
	if len(got) != len(want) {
		t.Fatalf("%d confirmers, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Seq != i || g.Name != w.name || g.IDNumber != w.id || g.Mobile != w.mobile || !reflect.DeepEqual(g.Roles, w.roles) {
			t.Errorf("confirmer %d = %+v, want %+v", i, g, w)
		}
	}
	if got[0].Email != "zhang@example.com" {
		t.Errorf("legal representative's e-mail %q", got[0].Email)
	}
}

// The identity step verifies an enterprise shareholder's representative
// like every other natural person the form names.
func TestPersonsIncludeTheHolderRepresentative(t *testing.T) {
	f := storetest.Form()
	var ids []string
	for _, p := range f.Persons() {
		ids = append(ids, p.IDNumber)
	}
	want := []string{storetest.PII[0], storetest.PII[7], storetest.PII[1], storetest.PII[2], storetest.PII[3]}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("persons %v, want %v", ids, want)
	}
}
