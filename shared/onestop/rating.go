package onestop

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/logging"
	"github.com/kaiban/kaiban/shared/notify"
	"github.com/kaiban/kaiban/shared/validate"
	"github.com/kaiban/kaiban/shared/workdays"
)

// FollowUpWorkingDays is how long supervisors have to follow up a bad
// rating.
const FollowUpWorkingDays = 5

// RatingRequest is the body of POST /v1/applications/{id}/rating.
type RatingRequest struct {
	Score   int      `json:"score"`
	Tags    []string `json:"tags"`
	Comment string   `json:"comment"`
}

// RatingStatus is the rating part of the status page: present once the
// application has ended.
type RatingStatus struct {
	// Open is true while the applicant may still rate.
	Open bool `json:"open"`
	// Tags are the tags to choose from, labelled in the request's language.
	Tags  []RatingTagView `json:"tags"`
	Given *RatingView     `json:"given,omitempty"`
}

// RatingTagView is one tag with its label.
type RatingTagView struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// RatingView is a rating as its applicant reads it, with the follow-up of
// a bad one.
type RatingView struct {
	Score    int           `json:"score"`
	Tags     []string      `json:"tags"`
	Comment  string        `json:"comment"`
	RatedAt  time.Time     `json:"ratedAt"`
	FollowUp *FollowUpView `json:"followUp,omitempty"`
}

// FollowUpView is a bad rating's follow-up as the applicant sees it: its
// deadline and, once a supervisor has closed it, the outcome.
type FollowUpView struct {
	Status   kaiban.TaskStatus `json:"status"`
	Deadline time.Time         `json:"deadline"`
	ClosedAt *time.Time        `json:"closedAt,omitempty"`
	Outcome  string            `json:"outcome,omitempty"`
}

// ratingFieldMessages are the texts of the rating's field errors.
var ratingFieldMessages = map[string][2]string{
	"score/range":   {fmt.Sprintf("评分须为 %d 至 %d 的整数", kaiban.MinRatingScore, kaiban.MaxRatingScore), fmt.Sprintf("score must be a whole number from %d to %d", kaiban.MinRatingScore, kaiban.MaxRatingScore)},
	"tags/oneof":    {"标签须从给出的标签中选择", "tags must be chosen from the tags offered"},
	"tags/max":      {fmt.Sprintf("标签最多 %d 个", kaiban.MaxRatingTags), fmt.Sprintf("at most %d tags", kaiban.MaxRatingTags)},
	"comment/max":   {fmt.Sprintf("评价内容不能超过 %d 个字符", kaiban.MaxRatingComment), fmt.Sprintf("comment must be at most %d characters", kaiban.MaxRatingComment)},
	"days/range":    {fmt.Sprintf("days 须为 1 至 %d 的整数", kaiban.MaxStatsDays), fmt.Sprintf("days must be a whole number from 1 to %d", kaiban.MaxStatsDays)},
	"note/required": {"关闭差评回访须填写回访情况（将告知申请人）", "closing a follow-up needs a note (the applicant is told)"},
}

func ratingFieldError(field, code string, lang validate.Lang) kaiban.FieldError {
	m := ratingFieldMessages[field+"/"+code]
	msg := m[0]
	if lang == validate.LangEN {
		msg = m[1]
	}
	return kaiban.FieldError{Field: field, Code: code, Message: msg}
}

func (q *RatingRequest) check(lang validate.Lang) error {
	var bad []kaiban.FieldError
	if q.Score < kaiban.MinRatingScore || q.Score > kaiban.MaxRatingScore {
		bad = append(bad, ratingFieldError("score", "range", lang))
	}
	switch {
	case len(q.Tags) > kaiban.MaxRatingTags:
		bad = append(bad, ratingFieldError("tags", "max", lang))
	case slices.ContainsFunc(q.Tags, func(t string) bool {
		return !slices.ContainsFunc(kaiban.RatingTags, func(rt kaiban.RatingTag) bool { return rt.Code == t })
	}):
		bad = append(bad, ratingFieldError("tags", "oneof", lang))
	}
	if !utf8.ValidString(q.Comment) || utf8.RuneCountInString(q.Comment) > kaiban.MaxRatingComment {
		bad = append(bad, ratingFieldError("comment", "max", lang))
	}
	if len(bad) > 0 {
		return &kaiban.Error{Name: kaiban.ErrValidation, Message: "bad rating", Fields: bad}
	}
	return nil
}

func (s *Service) ratingsOrErr() (kaiban.Ratings, error) {
	if s.ratings == nil {
		return nil, kaiban.Errorf(kaiban.ErrNotFound, "ratings are not kept here")
	}
	return s.ratings, nil
}

// Rate records the applicant's one rating of an ended application, with
// its audit event. A 1–2 rating opens a RATING_FOLLOWUP task for
// supervisors, due FollowUpWorkingDays working days later. A second
// rating is kaiban.ErrRatingExists, a running application
// kaiban.ErrRatingNotEnded (both 409).
func (s *Service) Rate(ctx context.Context, id, token string, q RatingRequest, lang validate.Lang) (RatingView, error) {
	ratings, err := s.ratingsOrErr()
	if err != nil {
		return RatingView{}, err
	}
	if !validApplicationID(id) {
		return RatingView{}, kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	if err := s.store.CheckAccessToken(ctx, id, token); err != nil {
		return RatingView{}, notFoundIfInput(err)
	}
	if err := q.check(lang); err != nil {
		return RatingView{}, err
	}
	app, err := s.store.GetApplication(ctx, id)
	if err != nil {
		return RatingView{}, err
	}
	if !app.Status.Terminal() {
		return RatingView{}, kaiban.Errorf(kaiban.ErrRatingNotEnded, "an application is rated once it has ended")
	}
	now := s.now().UTC()
	r := kaiban.Rating{ApplicationID: id, Score: q.Score, Tags: slices.Compact(slices.Sorted(slices.Values(q.Tags))),
		Comment: logging.Mask(strings.TrimSpace(q.Comment)), RatedAt: now}
	after := map[string]any{"score": r.Score, "tags": r.Tags, "comment": r.Comment}
	if kaiban.BadRating(r.Score) {
		after["followUpTaskId"] = kaiban.RatingFollowUpID(id)
	}
	b, err := encodeAudit(after)
	if err != nil {
		return RatingView{}, err
	}
	e := kaiban.AuditEvent{ApplicationID: id, Time: now, Actor: "applicant", Action: "application.rated", After: b}
	stored, err := ratings.CreateRatingWithAudit(ctx, r, e)
	if kaiban.IsName(err, kaiban.ErrRatingExists) {
		// A bad rating whose follow-up was not opened (the opening
		// failed after the rating was stored) gets it now.
		if prev, gerr := ratings.GetRating(ctx, id); gerr == nil && kaiban.BadRating(prev.Score) {
			if _, ferr := s.openFollowUp(ctx, app, prev); ferr != nil {
				s.logFor(ctx, id).WithError(ferr).Warn("rating: follow-up not opened")
			}
		}
		return RatingView{}, err
	}
	if err != nil {
		return RatingView{}, err
	}
	s.count(ctx, id, stored.RatedAt, kaiban.RatingCounters(stored.Score))
	v := RatingView{Score: stored.Score, Tags: stored.Tags, Comment: stored.Comment, RatedAt: stored.RatedAt}
	if kaiban.BadRating(stored.Score) {
		task, err := s.openFollowUp(ctx, app, stored)
		if err != nil {
			// The rating stands; asking again (a 409) opens the follow-up.
			return RatingView{}, err
		}
		v.FollowUp = followUpView(task)
	}
	return v, nil
}

// openFollowUp opens the supervisors' task of a bad rating, with its
// audit event, once: its ID is the application's, so a second opening
// finds the first task.
func (s *Service) openFollowUp(ctx context.Context, app *kaiban.Application, r kaiban.Rating) (kaiban.ClerkTask, error) {
	now := s.now().UTC()
	data, err := json.Marshal(map[string]any{"score": r.Score, "tags": r.Tags, "comment": r.Comment, "ratedAt": r.RatedAt})
	if err != nil {
		return kaiban.ClerkTask{}, kaiban.Wrap(kaiban.ErrInternal, err, "cannot encode the follow-up")
	}
	reason := fmt.Sprintf("差评 %d/5，请在 %d 个工作日内回访申请人", r.Score, FollowUpWorkingDays)
	task := kaiban.ClerkTask{
		ID: kaiban.RatingFollowUpID(app.ID), ApplicationID: app.ID, Track: kaiban.TaskSubjectRating, Kind: kaiban.TaskRatingFollowUp,
		Status: kaiban.TaskOpen, Reason: reason, Deadline: workdays.Add(r.RatedAt, FollowUpWorkingDays), CreatedAt: now, Data: data,
	}
	b, err := encodeAudit(map[string]any{"taskId": task.ID, "track": task.Track, "kind": task.Kind, "reason": reason, "deadline": task.Deadline})
	if err != nil {
		return kaiban.ClerkTask{}, err
	}
	e := kaiban.AuditEvent{ApplicationID: app.ID, Time: now, Actor: "system", Action: "task.opened", After: b}
	if err := e.Record(kaiban.AuditSet{Task: &kaiban.TaskSet{ID: task.ID, Status: kaiban.TaskOpen}}); err != nil {
		return kaiban.ClerkTask{}, err
	}
	created, err := s.store.CreateClerkTaskWithAudit(ctx, task, e)
	if err != nil {
		return kaiban.ClerkTask{}, err
	}
	return created.ClerkTask, nil
}

func followUpView(t kaiban.ClerkTask) *FollowUpView {
	v := &FollowUpView{Status: t.Status, Deadline: t.Deadline}
	if t.Status == kaiban.TaskResolved {
		v.ClosedAt, v.Outcome = t.ResolvedAt, t.Note
	}
	return v
}

// ratingStatus is the status page's rating part for app; nil while the
// application runs or where ratings are not kept.
func (s *Service) ratingStatus(ctx context.Context, app *kaiban.Application, lang validate.Lang) (*RatingStatus, error) {
	if s.ratings == nil || !app.Status.Terminal() {
		return nil, nil
	}
	out := &RatingStatus{Tags: make([]RatingTagView, len(kaiban.RatingTags))}
	for i, t := range kaiban.RatingTags {
		out.Tags[i] = RatingTagView{Code: t.Code, Label: t.Label(langCode(lang))}
	}
	r, err := s.ratings.GetRating(ctx, app.ID)
	if kaiban.IsName(err, kaiban.ErrNotFound) {
		out.Open = true
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	out.Given = &RatingView{Score: r.Score, Tags: r.Tags, Comment: r.Comment, RatedAt: r.RatedAt}
	if kaiban.BadRating(r.Score) {
		t, err := s.store.GetClerkTask(ctx, kaiban.RatingFollowUpID(app.ID))
		switch {
		case err == nil:
			out.Given.FollowUp = followUpView(t)
		case !kaiban.IsName(err, kaiban.ErrNotFound):
			return nil, err
		}
	}
	return out, nil
}

// supervisorsOnly refuses a clerk who is not a supervisor a task only
// supervisors handle (a bad rating's follow-up).
func supervisorsOnly(t kaiban.ClerkTask, c ClerkIdentity) error {
	if t.Kind == kaiban.TaskRatingFollowUp && !c.Supervisor() {
		return kaiban.Errorf(kaiban.ErrForbidden, "only supervisors follow up bad ratings")
	}
	return nil
}

// tellFollowUpOutcome sends the applicant the outcome of their bad
// rating's follow-up (the supervisor's note). The follow-up is closed
// whatever the sending does; a failure is logged.
func (s *Service) tellFollowUpOutcome(ctx context.Context, t kaiban.ClerkTask) {
	app, err := s.store.GetApplication(ctx, t.ApplicationID)
	if err != nil {
		s.logFor(ctx, t.ApplicationID).WithError(err).Warn("rating: follow-up outcome not sent")
		return
	}
	_ = s.notify.Notify(ctx, app, notify.Event{Milestone: notify.RatingFollowedUp, TaskID: t.ID, Note: t.Note})
}

// count adds c to the dashboard's aggregates; a failure is logged (the
// change it counts stands).
func (s *Service) count(ctx context.Context, appID string, at time.Time, c kaiban.Counters) {
	if err := kaiban.CountStats(ctx, s.stats, at, c); err != nil {
		s.logFor(ctx, appID).WithError(err).Warn("stats: not counted")
	}
}
