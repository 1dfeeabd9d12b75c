package tracks

import "github.com/kaiban/kaiban/shared/kaiban"

// Step is one function of the service besides the API: a state the
// workflow invokes, or the scheduled watchdog. Steps is the one list of
// them; the workflow definition, the template's function resources, the
// local engine's registry and the step bootstrap (functions/step, which
// picks its handler by KAIBAN_STEP) are all derived from it.
type Step struct {
	// Name is the handler's name: the KAIBAN_STEP value the template sets,
	// the local engine's function name and the infra/events fixture's name.
	Name string
	// LogicalID is the function's resource in template.yaml; the
	// definition's placeholder for its ARN is LogicalID + "Arn".
	LogicalID string
	// Track is the registration the step carries out, "" for the others.
	// A track step's handler is Service.Track(Track) and its branch in the
	// definition is generated from this entry.
	Track kaiban.TrackName
	// Agency is the agency the step calls most, "" for none.
	Agency kaiban.AgencyKind
	// Summary describes the function (the template's Description).
	Summary string
	// Scheduled steps are run by a schedule, not by the workflow.
	Scheduled bool
	// Bootstrap is the functions/<Bootstrap> program the step's function
	// runs: BootstrapStep (the default, "") picks its handler by
	// KAIBAN_STEP from this catalog; another bootstrap carries its own
	// handler and dependencies (the documents step's fonts and PDF
	// library, which the step bootstrap's size budget has no room for),
	// so Service.Handlers has none for it.
	Bootstrap string
	// handler picks the step's handler; nil for track steps.
	handler func(*Service) Handler
}

// The bootstraps a step can run (Step.Bootstrap).
const (
	BootstrapStep      = "step"
	BootstrapDocuments = "documents"
)

// FnDocuments renders, signs and stores an application's documents: the
// submission's before the founders sign, each track's after it succeeded.
const FnDocuments = "documents"

// Steps lists every step function, in the order the workflow reaches them.
var Steps = []Step{
	{Name: FnIdentity, LogicalID: "IdentityFunction", Agency: kaiban.AgencyIdentity,
		Summary: "Verifies the applicant's identity once (the VerifyIdentity state).",
		handler: func(s *Service) Handler { return s.Identity }},
	{Name: FnDocuments, LogicalID: "DocumentsFunction", Bootstrap: BootstrapDocuments,
		Summary: "Renders, signs and stores an application's documents (the articles and shareholders' decision the founders sign, then each track's once it succeeded)."},
	{Name: FnConfirm, LogicalID: "ConfirmFunction",
		Summary: "Sends every founder their confirmation link, reminds them and closes the 3-day window; registration waits for all signatures.",
		handler: func(s *Service) Handler { return s.Confirm }},
	{Name: FnReserve, LogicalID: "ReserveFunction", Agency: kaiban.AgencyMarket,
		Summary: "Checks and reserves the company name and assigns the credit code (ReserveName).",
		handler: func(s *Service) Handler { return s.Reserve }},
	{Name: FnLicense, LogicalID: "LicenseFunction", Track: kaiban.TrackLicense, Agency: kaiban.AgencyMarket,
		Summary: "Business licence track (营业执照)."},
	{Name: FnSeal, LogicalID: "SealFunction", Track: kaiban.TrackSeal, Agency: kaiban.AgencySeal,
		Summary: "Official seal carving track (公章刻制)."},
	{Name: FnTax, LogicalID: "TaxFunction", Track: kaiban.TrackTax, Agency: kaiban.AgencyTax,
		Summary: "Tax registration and invoices track (税务登记)."},
	{Name: FnSocial, LogicalID: "SocialFunction", Track: kaiban.TrackSocialInsurance, Agency: kaiban.AgencySocial,
		Summary: "Social insurance registration track (社保登记)."},
	{Name: FnMedical, LogicalID: "MedicalFunction", Track: kaiban.TrackMedicalInsurance, Agency: kaiban.AgencyMedical,
		Summary: "Medical insurance registration track (医保登记)."},
	{Name: FnHousingFund, LogicalID: "HousingFundFunction", Track: kaiban.TrackHousingFund, Agency: kaiban.AgencyFund,
		Summary: "Housing provident fund registration track (公积金缴存登记)."},
	{Name: FnBank, LogicalID: "BankFunction", Track: kaiban.TrackBank, Agency: kaiban.AgencyBank,
		Summary: "Bank account appointment track (银行预约开户)."},
	{Name: FnEscalate, LogicalID: "EscalateFunction",
		Summary: "Opens a clerk task for a branch that needs a person; the branch waits on its task token.",
		handler: func(s *Service) Handler { return s.Escalate }},
	{Name: FnCompensate, LogicalID: "CompensateFunction",
		Summary: "Undoes the tracks that completed when an application is rejected.",
		handler: func(s *Service) Handler { return s.Compensate }},
	{Name: FnFinalize, LogicalID: "FinalizeFunction",
		Summary: "Closes the application and publishes its completion time.",
		handler: func(s *Service) Handler { return s.Finalize }},
	{Name: FnWatchdog, LogicalID: "WatchdogFunction", Scheduled: true,
		Summary: "SLA watchdog, run every five minutes by EventBridge.",
		handler: func(s *Service) Handler { return s.WatchdogHandler }},
}

// StepNamed returns the step called name.
func StepNamed(name string) (Step, bool) {
	for _, st := range Steps {
		if st.Name == name {
			return st, true
		}
	}
	return Step{}, false
}

// TrackSteps returns the steps that carry a track, in catalog order.
func TrackSteps() []Step {
	var out []Step
	for _, st := range Steps {
		if st.Track != "" {
			out = append(out, st)
		}
	}
	return out
}

// Program is the bootstrap the step's function runs (BootstrapStep unless
// the step names another).
func (st Step) Program() string {
	if st.Bootstrap == "" {
		return BootstrapStep
	}
	return st.Bootstrap
}

// Own reports whether the step bootstrap (functions/step) runs the step,
// so Service.Handlers has its handler.
func (st Step) Own() bool { return st.Program() == BootstrapStep }

// ArnPlaceholder is the definition's placeholder (and the template's
// DefinitionSubstitutions key) for the step's function ARN.
func (st Step) ArnPlaceholder() string { return st.LogicalID + "Arn" }

// handlerOn returns the step's handler on s.
// Logic is the step's own handler on s, without the error policy that
// Service.Handlers adds; infra/sam reads which code it runs.
func (st Step) Logic(s *Service) Handler { return st.handlerOn(s) }

func (st Step) handlerOn(s *Service) Handler {
	if !st.Own() {
		return nil
	}
	if st.Track != "" {
		return s.Track(st.Track)
	}
	return st.handler(s)
}
