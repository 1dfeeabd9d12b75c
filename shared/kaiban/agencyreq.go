package kaiban

// Builders of agency requests from the one form. They are the single place
// that decides which fields each agency receives (data minimisation), so a
// track handler cannot send an agency more than it needs by accident.

// Persons returns every natural person on the form in form order, each
// (name, ID number) once with the first role it appears in: a legal
// representative who is also a director and a shareholder is verified once.
func (f *Form) Persons() []Person {
	var out []Person
	seen := make(map[[2]string]bool)
	add := func(role, name, id string) {
		k := [2]string{name, id}
		if id == "" || seen[k] {
			return
		}
		seen[k] = true
		out = append(out, Person{Role: role, Name: name, IDNumber: id})
	}
	add("legalRepresentative", f.LegalRepresentative.Name, f.LegalRepresentative.IDNumber)
	for _, s := range f.Shareholders {
		switch {
		case s.Kind == HolderNaturalPerson:
			add("shareholder", s.Name, s.IDNumber)
		case s.Representative != nil:
			add("shareholderRepresentative", s.Representative.Name, s.Representative.IDNumber)
		}
	}
	for _, o := range f.Directors {
		add("director", o.Name, o.IDNumber)
	}
	for _, o := range f.Supervisors {
		add("supervisor", o.Name, o.IDNumber)
	}
	if f.Manager != nil {
		add("manager", f.Manager.Name, f.Manager.IDNumber)
	}
	add("financeOfficer", f.FinanceOfficer.Name, f.FinanceOfficer.IDNumber)
	add("taxHandler", f.TaxHandler.Name, f.TaxHandler.IDNumber)
	add("liaison", f.Liaison.Name, f.Liaison.IDNumber)
	return out
}

func newAgencyCall(applicationID, step string, f *Form) AgencyCall {
	return AgencyCall{
		IdempotencyKey: AgencyKey(applicationID, step),
		ApplicationID:  applicationID,
		RegionCode:     f.Company.Address.RegionCode,
	}
}

// NewIdentityRequest lists every person on the form for verification.
func NewIdentityRequest(applicationID string, f *Form) IdentityRequest {
	return IdentityRequest{AgencyCall: newAgencyCall(applicationID, StepIdentity, f), Persons: f.Persons()}
}

// NewNameCheckRequest proposes the company name.
func NewNameCheckRequest(applicationID string, f *Form) NameCheckRequest {
	return NameCheckRequest{
		AgencyCall:  newAgencyCall(applicationID, StepNameCheck, f),
		Name:        f.Company.Name,
		NameParts:   f.Company.NameParts,
		CompanyType: f.Company.Type,
	}
}

// NewNameReservationRequest reserves the checked name.
func NewNameReservationRequest(applicationID string, f *Form, attestationID string) NameReservationRequest {
	return NameReservationRequest{
		AgencyCall:    newAgencyCall(applicationID, StepReserve, f),
		Name:          f.Company.Name,
		NameParts:     f.Company.NameParts,
		CompanyType:   f.Company.Type,
		ApplicantName: f.LegalRepresentative.Name,
		AttestationID: attestationID,
	}
}

// NewCreditCodeRequest asks for the credit code of a reserved name.
func NewCreditCodeRequest(applicationID string, f *Form, reservationNumber string) CreditCodeRequest {
	return CreditCodeRequest{
		AgencyCall:        newAgencyCall(applicationID, StepCreditCode, f),
		ReservationNumber: reservationNumber,
		CompanyName:       f.Company.Name,
		CompanyType:       f.Company.Type,
	}
}

// NewLicenseRequest is the company registration: the company, its legal
// representative, investors and officers. Contact persons are not sent.
func NewLicenseRequest(applicationID string, f *Form, creditCode, attestationID, reservationNumber string) LicenseRequest {
	lr := f.LegalRepresentative
	return LicenseRequest{
		AgencyCall:          newAgencyCall(applicationID, string(TrackLicense), f),
		CreditCode:          creditCode,
		AttestationID:       attestationID,
		ReservationNumber:   reservationNumber,
		Company:             f.Company,
		LegalRepresentative: Person{Role: "legalRepresentative", Name: lr.Name, IDNumber: lr.IDNumber},
		Shareholders:        f.Shareholders,
		Directors:           f.Directors,
		Supervisors:         f.Supervisors,
		Manager:             f.Manager,
	}
}

// NewSealRequest orders the seals: company, address, seal types and shop,
// and the legal representative who answers for them.
func NewSealRequest(applicationID string, f *Form, creditCode, attestationID string) SealRequest {
	return SealRequest{
		AgencyCall:       newAgencyCall(applicationID, string(TrackSeal), f),
		CreditCode:       creditCode,
		AttestationID:    attestationID,
		CompanyName:      f.Company.Name,
		AddressDetail:    f.Company.Address.Detail,
		Types:            f.Seals.Types,
		CarvingShop:      f.Seals.CarvingShop,
		LegalRepName:     f.LegalRepresentative.Name,
		LegalRepIDNumber: f.LegalRepresentative.IDNumber,
	}
}

// NewTaxRequest registers the taxpayer with the persons responsible for tax.
func NewTaxRequest(applicationID string, f *Form, creditCode, attestationID string) TaxRequest {
	lr := f.LegalRepresentative
	return TaxRequest{
		AgencyCall:        newAgencyCall(applicationID, string(TrackTax), f),
		CreditCode:        creditCode,
		AttestationID:     attestationID,
		CompanyName:       f.Company.Name,
		CompanyType:       f.Company.Type,
		Address:           f.Company.Address,
		RegisteredCapital: f.Company.RegisteredCapital,
		BusinessScope:     f.Company.BusinessScope,
		TaxpayerType:      f.Tax.TaxpayerType,
		Invoices:          f.Tax.Invoices,
		LegalRep:          Contact{Name: lr.Name, IDNumber: lr.IDNumber, Mobile: lr.Mobile},
		FinanceOfficer:    f.FinanceOfficer,
		TaxHandler:        f.TaxHandler,
	}
}

// NewEmployerRequest registers the employer with the agency of track, which
// must be TrackSocialInsurance, TrackMedicalInsurance or TrackHousingFund;
// only the housing fund receives the contribution rate.
func NewEmployerRequest(track TrackName, applicationID string, f *Form, creditCode, attestationID string) EmployerRequest {
	r := EmployerRequest{
		AgencyCall:    newAgencyCall(applicationID, string(track), f),
		CreditCode:    creditCode,
		AttestationID: attestationID,
		CompanyName:   f.Company.Name,
		Address:       f.Company.Address,
		LegalRepName:  f.LegalRepresentative.Name,
		Contact:       f.Liaison,
		Employees:     f.Employment.Employees,
		StartDate:     f.Employment.SocialInsuranceFrom,
	}
	if track == TrackHousingFund {
		r.ContributionRate = f.Employment.HousingFundRate
	}
	return r
}

// NewBankRequest books the account-opening appointment. The bank gets no
// investors and no ID numbers.
func NewBankRequest(applicationID string, f *Form, creditCode, attestationID string) BankRequest {
	return BankRequest{
		AgencyCall:     newAgencyCall(applicationID, string(TrackBank), f),
		CreditCode:     creditCode,
		AttestationID:  attestationID,
		CompanyName:    f.Company.Name,
		LegalRepName:   f.LegalRepresentative.Name,
		LegalRepMobile: f.LegalRepresentative.Mobile,
		BankCode:       f.Bank.BankCode,
		BranchCode:     f.Bank.BranchCode,
		Date:           f.Bank.AppointmentDate,
		Slot:           f.Bank.Slot,
	}
}

// NewCancelRequest undoes the step of an application (compensation).
// reference is the record's number when the result is known.
func NewCancelRequest(applicationID, step string, f *Form, reference, reason string) CancelRequest {
	return CancelRequest{
		AgencyCall: AgencyCall{
			IdempotencyKey: CancelKey(applicationID, step),
			ApplicationID:  applicationID,
			RegionCode:     f.Company.Address.RegionCode,
		},
		Of:        AgencyKey(applicationID, step),
		Reference: reference,
		Reason:    reason,
	}
}
