package kaiban

import "slices"

// TaskClass is what a clerk task asks for, and so which decisions close
// it. It follows from the task's kind and subject: a TRACK_EXCEPTION about
// compensation asks something else than one about a registration.
type TaskClass string

const (
	ClassNameReview     TaskClass = "NAME_REVIEW"
	ClassTrackException TaskClass = "TRACK_EXCEPTION"
	ClassCompensation   TaskClass = "COMPENSATION"
	ClassDeadlineRisk   TaskClass = "DEADLINE_RISK"
	ClassExecution      TaskClass = "EXECUTION"
	ClassRatingFollowUp TaskClass = "RATING_FOLLOWUP"
)

// ClassOf returns the class of a task of kind about subject
// (ClerkTask.Track), or "" for a kind no class covers.
func ClassOf(kind TaskKind, subject string) TaskClass {
	switch {
	case kind == TaskNameReview:
		return ClassNameReview
	case kind == TaskTrackException && subject == TaskSubjectCompensation:
		return ClassCompensation
	case kind == TaskTrackException && subject == TaskSubjectExecution:
		return ClassExecution
	case kind == TaskTrackException:
		return ClassTrackException
	case kind == TaskDeadlineRisk:
		return ClassDeadlineRisk
	case kind == TaskRatingFollowUp:
		return ClassRatingFollowUp
	}
	return ""
}

// Class is ClassOf the task.
func (t ClerkTask) Class() TaskClass { return ClassOf(t.Kind, t.Track) }

// DecisionRule is one decision a clerk may take on a class of task: the
// button the console shows and what happens when it is pressed.
type DecisionRule struct {
	Decision Decision
	LabelZH  string
	LabelEN  string
	// Effect says what the decision does, for the documentation.
	Effect string
	// Delivers is true when the decision is sent to the waiting workflow
	// (SendTaskSuccess with the task's token) and the definition's Choice
	// state routes on it; false when resolving the task is all it does.
	Delivers bool
	// TakesData is true when the decision carries the clerk's data (the
	// result of a registration done by hand).
	TakesData bool
	// TakesFields is true when the decision names form fields and a
	// reason code (a correction), which it carries as its data: the
	// branch then waits for the applicant, whose correction sends a retry.
	TakesFields bool
	// SetsStatus is the application status the decision sets itself, for
	// a task no workflow waits on (its execution is gone): carrying it out
	// is the decision's delivery (package delivery), so a failure is
	// retried by the same re-delivery.
	SetsStatus AppStatus
	// NeedsNote is true when the decision is refused without a note (the
	// note is what the applicant is told).
	NeedsNote bool
}

// Label is the decision's label in lang ("en", anything else is Chinese).
func (r DecisionRule) Label(lang string) string {
	if lang == "en" {
		return r.LabelEN
	}
	return r.LabelZH
}

// DecisionTable is the one list of what a clerk may decide per class of
// task. The API refuses any other decision, the console shows a button per
// rule, and the workflow definition's Choice states route exactly these
// (a test walks the definition to check).
var DecisionTable = map[TaskClass][]DecisionRule{
	ClassNameReview: {
		{Decision: DecisionComplete, LabelZH: "核准名称（继续办理）", LabelEN: "Approve the name", Delivers: true,
			Effect: "the name is reserved without another review and the registrations start"},
		{Decision: DecisionReject, LabelZH: "不予核准（驳回申请）", LabelEN: "Reject the name", Delivers: true,
			Effect: "the application is rejected (nothing is registered yet)"},
	},
	ClassTrackException: {
		{Decision: DecisionRetry, LabelZH: "重新办理（再次提交该部门）", LabelEN: "Retry (send to the agency again)", Delivers: true,
			Effect: "the track calls its agency again"},
		{Decision: DecisionComplete, LabelZH: "人工办结（录入办理结果）", LabelEN: "Complete by hand (enter the result)", Delivers: true, TakesData: true,
			Effect: "the track is recorded as done with the clerk's data as its result"},
		{Decision: DecisionReject, LabelZH: "不予办理（驳回申请）", LabelEN: "Reject the application", Delivers: true,
			Effect: "the application is rejected and every completed registration is cancelled"},
		{Decision: DecisionCorrect, LabelZH: "退回补正（申请人修改指定字段）", LabelEN: "Send back for correction", Delivers: true, TakesFields: true,
			Effect: "the applicant is asked to correct the named fields in place; the track waits and runs again with the corrected form"},
	},
	ClassCompensation: {
		{Decision: DecisionRetry, LabelZH: "再次撤销（重新提交各部门）", LabelEN: "Try the cancellations again", Delivers: true,
			Effect: "the agencies are asked again to cancel the completed registrations"},
		{Decision: DecisionComplete, LabelZH: "已人工撤销各项登记", LabelEN: "Cancelled by hand", Delivers: true,
			Effect: "the registrations are recorded as cancelled by the clerk and the application is rejected"},
	},
	ClassDeadlineRisk: {
		{Decision: DecisionAcknowledge, LabelZH: "已督办（关闭提醒）", LabelEN: "Chased (close the reminder)", Delivers: false,
			Effect: "closes the watchdog's task; the application's workflow carries on untouched"},
	},
	ClassExecution: {
		{Decision: DecisionComplete, LabelZH: "已人工办结全部事项", LabelEN: "Completed by hand", SetsStatus: AppCompleted,
			Effect: "the clerk finished what the stopped workflow could not; the application is marked completed"},
		{Decision: DecisionReject, LabelZH: "终止办理（驳回申请）", LabelEN: "End the application (reject)", SetsStatus: AppRejected,
			Effect: "the application is marked rejected; the clerk cancels any registration already made at its agency"},
	},
	ClassRatingFollowUp: {
		{Decision: DecisionAcknowledge, LabelZH: "已回访（关闭并告知申请人）", LabelEN: "Followed up (close and tell the applicant)", NeedsNote: true,
			Effect: "closes the bad rating's follow-up; the note is sent to the applicant and shown on the status page"},
	},
}

// DecisionsFor returns the rules of a class in the order the console
// shows them (nil for an unknown class).
func DecisionsFor(c TaskClass) []DecisionRule { return DecisionTable[c] }

// RuleFor returns the rule of decision d on class c, and whether d is
// allowed there at all.
func RuleFor(c TaskClass, d Decision) (DecisionRule, bool) {
	i := slices.IndexFunc(DecisionTable[c], func(r DecisionRule) bool { return r.Decision == d })
	if i < 0 {
		return DecisionRule{}, false
	}
	return DecisionTable[c][i], true
}

// NeedsToken reports whether some decision of class c is delivered to a
// workflow, so a task of that class is useless without a task token.
func NeedsToken(c TaskClass) bool {
	return slices.ContainsFunc(DecisionTable[c], func(r DecisionRule) bool { return r.Delivers })
}
