package kaiban

import (
	"context"
	"slices"
	"time"
	"unicode/utf8"
)

// A rating (好差评) is the applicant's verdict on an application that has
// ended (COMPLETED or REJECTED): a score of 1–5, tags from RatingTags and
// an optional comment. Each application is rated once. A bad rating
// (BadRating) opens a RATING_FOLLOWUP task that only supervisors handle.
type Rating struct {
	ApplicationID string    `json:"applicationId"`
	Score         int       `json:"score"`
	Tags          []string  `json:"tags"`
	Comment       string    `json:"comment"`
	RatedAt       time.Time `json:"ratedAt"`
}

// Stable names of the rating's refusals; both answer 409.
const (
	ErrRatingExists   = "Rating.AlreadyRated" // the application has its one rating
	ErrRatingNotEnded = "Rating.NotEnded"     // the application is still running
)

// Rating limits.
const (
	MinRatingScore   = 1
	MaxRatingScore   = 5
	MaxRatingComment = 500 // runes
	MaxRatingTags    = 8
)

// BadRating reports whether score is a 差评 (1 or 2), which a supervisor
// follows up.
func BadRating(score int) bool { return score >= MinRatingScore && score <= 2 }

// Ratings is the store part of ratings, implemented by each store beside
// kaiban.Store.
type Ratings interface {
	// CreateRatingWithAudit stores the application's rating and appends e
	// (its audit event) in one write: both or neither. A second rating is
	// ErrRatingExists and writes nothing; an unknown application is
	// ErrNotFound.
	CreateRatingWithAudit(ctx context.Context, r Rating, e AuditEvent) (Rating, error)
	// GetRating returns the application's rating, ErrNotFound when it has
	// none.
	GetRating(ctx context.Context, applicationID string) (Rating, error)
}

// CheckRating reports why r cannot be stored (ErrInput), or nil. The
// application service checks the same rules field by field first, for
// the applicant's error messages.
func CheckRating(r Rating) error {
	if err := CheckKey("application id", r.ApplicationID); err != nil {
		return err
	}
	switch {
	case r.Score < MinRatingScore || r.Score > MaxRatingScore:
		return Errorf(ErrInput, "a rating's score is %d–%d", MinRatingScore, MaxRatingScore)
	case len(r.Tags) > MaxRatingTags:
		return Errorf(ErrInput, "a rating has at most %d tags", MaxRatingTags)
	case !utf8.ValidString(r.Comment) || utf8.RuneCountInString(r.Comment) > MaxRatingComment:
		return Errorf(ErrInput, "a rating's comment is at most %d characters", MaxRatingComment)
	case CheckTime("rating time", r.RatedAt) != nil:
		return Errorf(ErrInput, "a rating needs its time")
	}
	for _, t := range r.Tags {
		if !slices.ContainsFunc(RatingTags, func(rt RatingTag) bool { return rt.Code == t }) {
			return Errorf(ErrInput, "unknown rating tag %q", t)
		}
	}
	return nil
}

// RatingFollowUpID is the ID of the follow-up task of an application's bad
// rating: one per application, so a retried opening finds the task.
func RatingFollowUpID(applicationID string) string { return "R" + applicationID }
