package agency_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/shared/agency"
	"github.com/kaiban/kaiban/shared/kaiban"
)

func TestRoutingByCity(t *testing.T) {
	province := startSim(t, sim.Instant())
	dalian := startSim(t, sim.Instant())
	sealOnly := agency.Endpoints{Seal: dalian.Endpoints().Seal}
	tests := []struct {
		name       string
		cities     map[string]agency.Endpoints
		regionCode string
		kind       kaiban.AgencyKind
		wantDalian bool
	}{
		{"Dalian address goes to Dalian", map[string]agency.Endpoints{"2102": dalian.Endpoints()}, "210202", kaiban.AgencySeal, true},
		{"Shenyang address goes to the default", map[string]agency.Endpoints{"2102": dalian.Endpoints()}, "210102", kaiban.AgencySeal, false},
		{"agency the city does not override goes to the default", map[string]agency.Endpoints{"2102": sealOnly}, "210202", kaiban.AgencyBank, false},
		{"agency the city overrides goes to the city", map[string]agency.Endpoints{"2102": sealOnly}, "210202", kaiban.AgencySeal, true},
		{"no cities configured", nil, "210202", kaiban.AgencySeal, false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := agency.NewClients(agency.Config{Default: province.Endpoints(), Cities: tt.cities, Timeout: 5 * time.Second}, nil)
			if err != nil {
				t.Fatal(err)
			}
			f := testForm()
			f.Company.Address.RegionCode = tt.regionCode
			beforeP, beforeD := province.Calls(tt.kind), dalian.Calls(tt.kind)
			app := "app-route-" + string(rune('a'+i))
			cc := creditCodeFor(t, tt.regionCode)
			switch tt.kind {
			case kaiban.AgencySeal:
				_, err = c.Seal.CarveSeals(t.Context(), kaiban.NewSealRequest(app, &f, cc, "IDV1"))
			case kaiban.AgencyBank:
				_, err = c.Bank.BookAppointment(t.Context(), kaiban.NewBankRequest(app, &f, cc, "IDV1"))
			}
			if err != nil {
				t.Fatal(err)
			}
			gotD := dalian.Calls(tt.kind) - beforeD
			gotP := province.Calls(tt.kind) - beforeP
			if tt.wantDalian && (gotD != 1 || gotP != 0) || !tt.wantDalian && (gotD != 0 || gotP != 1) {
				t.Errorf("calls: Dalian %d, province %d; want the call at Dalian = %v", gotD, gotP, tt.wantDalian)
			}
		})
	}
}

// TestDataMinimisation runs every agency call and checks, on the bodies the
// agencies received, that each got only the ID numbers it needs.
func TestDataMinimisation(t *testing.T) {
	s := startSim(t, sim.Instant())
	c := clientsFor(t, s, 5*time.Second)
	f := testForm()
	co := prepare(t, c, "app-min", &f)
	for _, op := range trackOps {
		if _, err := op.register(t.Context(), c, "app-min", &f, co); err != nil {
			t.Fatalf("%s: %v", op.track, err)
		}
	}
	all := []string{idLegalRep, idShareholder, idSupervisor, idFinance, idTaxHandler, idLiaison, holderCreditCode}
	allowed := map[kaiban.AgencyKind][]string{
		kaiban.AgencyIdentity: {idLegalRep, idShareholder, idSupervisor, idFinance, idTaxHandler, idLiaison},
		kaiban.AgencyMarket:   {idLegalRep, idShareholder, idSupervisor, holderCreditCode},
		kaiban.AgencySeal:     {idLegalRep},
		kaiban.AgencyTax:      {idLegalRep, idFinance, idTaxHandler},
		kaiban.AgencySocial:   {idLiaison},
		kaiban.AgencyMedical:  {idLiaison},
		kaiban.AgencyFund:     {idLiaison},
		kaiban.AgencyBank:     nil,
	}
	for _, k := range kaiban.AgencyKinds {
		t.Run(string(k), func(t *testing.T) {
			bodies := s.Requests(k)
			if len(bodies) == 0 {
				t.Fatal("agency received no requests")
			}
			for _, b := range bodies {
				for _, id := range all {
					if strings.Contains(string(b), id) && !slices.Contains(allowed[k], id) {
						t.Errorf("%s agency received %s, which it does not need", k, id)
					}
				}
			}
		})
	}

	t.Run("bank gets exactly the appointment fields", func(t *testing.T) {
		bodies := s.Requests(kaiban.AgencyBank)
		var got map[string]any
		if err := json.Unmarshal(bodies[len(bodies)-1], &got); err != nil {
			t.Fatal(err)
		}
		var keys []string
		for k := range got {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		want := []string{"applicationId", "attestationId", "bankCode", "branchCode", "companyName", "creditCode", "date", "legalRepMobile", "legalRepName", "regionCode", "slot"}
		if !slices.Equal(keys, want) {
			t.Errorf("bank request fields = %v, want %v", keys, want)
		}
		body := string(bodies[len(bodies)-1])
		for _, s := range []string{"李娜", "辽宁远航投资有限公司", "王芳", f.FinanceOfficer.Mobile, f.Liaison.Mobile} {
			if strings.Contains(body, s) {
				t.Errorf("bank request contains %q", s)
			}
		}
	})
}
