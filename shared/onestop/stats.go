package onestop

import (
	"context"
	"strconv"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/validate"
)

// DefaultStatsDays is the dashboard's window when none is asked for.
const DefaultStatsDays = 30

// Stats answers the public dashboard for the last days days (today, in
// China Standard Time, and the days before): one read of at most
// kaiban.MaxStatsDays daily aggregates, never of the applications.
// days is as the client sent it ("" for the default); anything but a
// whole number 1–90 is a 400 on field days.
func (s *Service) Stats(ctx context.Context, days string, lang validate.Lang) (kaiban.Dashboard, error) {
	if s.stats == nil {
		return kaiban.Dashboard{}, kaiban.Errorf(kaiban.ErrNotFound, "no figures are kept here")
	}
	n := DefaultStatsDays
	if days != "" {
		v, err := strconv.Atoi(days)
		if err != nil || v < 1 || v > kaiban.MaxStatsDays {
			return kaiban.Dashboard{}, &kaiban.Error{Name: kaiban.ErrValidation, Message: "bad days", Fields: []kaiban.FieldError{ratingFieldError("days", "range", lang)}}
		}
		n = v
	}
	to := kaiban.StatsDay(s.now())
	end, _ := time.Parse(time.DateOnly, to)
	from := end.AddDate(0, 0, -(n - 1)).Format(time.DateOnly)
	rows, err := s.stats.StatsDays(ctx, from, to)
	if err != nil {
		return kaiban.Dashboard{}, err
	}
	return kaiban.Summarize(rows, from, to, n), nil
}
