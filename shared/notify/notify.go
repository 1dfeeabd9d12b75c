// Package notify turns an application's milestones into the messages its
// applicant receives (an SMS to the legal representative's and the
// liaison's mobiles, an e-mail where the form gives one) and sends them
// through a kaiban.Notifier: the local outbox, or Amazon SNS and SES.
//
// Each message's key names the application, the milestone, what it is
// about (a track, a clerk task) and the recipient, so a step that runs
// again sends nothing twice. The key holds a digest of the recipient, not
// the number or address. Texts and links are never logged: a link carries
// the access token.
package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Milestone is a moment of an application its applicant is told about.
type Milestone string

const (
	// Submitted: the application is stored; the message carries the
	// status link with the access token.
	Submitted Milestone = "submitted"
	// AwaitingSignatures: some founders have not signed half an hour
	// after their links went out; registration waits for every signature.
	AwaitingSignatures Milestone = "awaiting_signatures"
	// Accepted: the last founder signed (受理); the half-day promise runs
	// from now.
	Accepted Milestone = "accepted"
	// ActionRequired: a clerk needs the applicant (one per clerk task).
	ActionRequired Milestone = "action_required"
	// CertificateReady: a track finished with a result the applicant
	// keeps (the licence, the seals, the tax registration, …).
	CertificateReady Milestone = "certificate_ready"
	// Completed: every track is done.
	Completed Milestone = "completed"
	// CorrectionRequired: a clerk or an agency asks the applicant to
	// correct some fields in place (one per request); the message
	// carries the status page's link.
	CorrectionRequired Milestone = "correction_required"
	// Rejected: the application ends without registration (or with every
	// registration cancelled); the message gives the reason.
	Rejected Milestone = "rejected"
	// RatingFollowedUp: a supervisor closed the follow-up of the
	// applicant's bad rating; the message gives the outcome (the note).
	RatingFollowedUp Milestone = "rating_followed_up"
)

// Event is one milestone of one application.
type Event struct {
	Milestone Milestone
	// Track is the finished track of CertificateReady.
	Track kaiban.TrackName
	// TaskID is the clerk task of ActionRequired.
	TaskID string
	// Link is the status link of Submitted (StatusLink), the documents
	// link of CertificateReady (DocumentsLink, "" for none).
	Link string
	// Note is the supervisor's outcome of RatingFollowedUp.
	Note string
}

// StatusLink is the link that opens the application's status page on any
// device: the access token travels in the fragment, which browsers never
// send to the server, so it stays out of every request line and log.
// base is the public base URL (scheme and host, with an optional path).
func StatusLink(base, applicationID, token string) string {
	return strings.TrimRight(base, "/") + "/status/" + url.PathEscape(applicationID) + "#token=" + url.QueryEscape(token)
}

// PageLink is the link to the application's status page without the
// access token, for messages sent when the token is not at hand (only its
// hash is stored): the page asks for the token the applicant kept, or
// finds it in the browser that submitted.
func PageLink(base, applicationID string) string {
	return strings.TrimRight(base, "/") + "/status/" + url.PathEscape(applicationID)
}

// CorrectionEvent is the CorrectionRequired milestone of correction c,
// keyed by the time it was asked, with the status page's link when base
// is known ("" sends the text without a link).
func CorrectionEvent(base, applicationID string, c kaiban.Correction) Event {
	ev := Event{Milestone: CorrectionRequired, TaskID: c.AskedAt.UTC().Format("20060102T150405")}
	if base != "" {
		ev.Link = PageLink(base, applicationID)
	}
	return ev
}

// recipient is one address a milestone goes to.
type recipient struct {
	to      string
	channel kaiban.Channel
}

// recipients are the legal representative's mobile and e-mail and the
// liaison's mobile, each once.
func recipients(f *kaiban.Form) []recipient {
	var out []recipient
	seen := map[string]bool{}
	add := func(to string, ch kaiban.Channel) {
		if to = strings.TrimSpace(to); to != "" && !seen[string(ch)+to] {
			seen[string(ch)+to] = true
			out = append(out, recipient{to: to, channel: ch})
		}
	}
	add(f.LegalRepresentative.Mobile, kaiban.ChannelSMS)
	add(f.LegalRepresentative.Email, kaiban.ChannelEmail)
	add(f.Liaison.Mobile, kaiban.ChannelSMS)
	return out
}

// Messages are the messages of ev for app, one per recipient, in the
// application's language.
func Messages(app *kaiban.Application, ev Event) []kaiban.Message {
	text := render(app, ev)
	var detail string
	switch ev.Milestone {
	case CertificateReady:
		detail = "/" + string(ev.Track)
	case ActionRequired, RatingFollowedUp, CorrectionRequired:
		detail = "/" + ev.TaskID
	}
	var out []kaiban.Message
	for _, r := range recipients(&app.Form) {
		sum := sha256.Sum256([]byte(r.to))
		out = append(out, kaiban.Message{
			Key:           app.ID + "/" + string(ev.Milestone) + detail + "/" + string(r.channel) + "/" + hex.EncodeToString(sum[:8]),
			ApplicationID: app.ID,
			To:            r.to,
			Channel:       r.channel,
			Kind:          string(ev.Milestone),
			Text:          text,
			Link:          ev.Link,
		})
	}
	return out
}

// Sender sends milestones through a Notifier. A nil Notifier sends
// nothing.
type Sender struct {
	n   kaiban.Notifier
	now func() time.Time
	log *logrus.Logger
}

// NewSender returns a Sender; now stamps the messages (the engine's clock
// in the day simulation), log receives one line per failed message with
// the application, the milestone and the error's name only.
func NewSender(n kaiban.Notifier, now func() time.Time, log *logrus.Logger) *Sender {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = logrus.New()
		log.SetOutput(io.Discard)
	}
	return &Sender{n: n, now: now, log: log}
}

// Notify sends ev's messages. Every recipient is tried; the error joins
// the failures. The milestone has happened whatever Notify returns, so
// callers log and carry on: the step that runs again (if any) sends only
// what is missing.
func (s *Sender) Notify(ctx context.Context, app *kaiban.Application, ev Event) error {
	if s == nil || s.n == nil || app == nil {
		return nil
	}
	var errs []error
	now := s.now().UTC()
	for _, m := range Messages(app, ev) {
		m.SentAt = now
		if err := s.n.Send(ctx, m); err != nil {
			s.log.WithFields(logrus.Fields{
				"applicationId": app.ID, "milestone": ev.Milestone, "channel": m.Channel, "error": kaiban.ErrorName(err),
			}).Warn("notification not sent")
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// DraftResume is the message that sends a draft's resume link to the
// mobile the draft names (the legal representative's), once per draft and
// number. en picks English.
func DraftResume(draftID, mobile, link string, en bool) kaiban.Message {
	sum := sha256.Sum256([]byte(mobile))
	text := "【开办】您的开办申请草稿已保存（30 天内有效），在任何设备上继续填写：" + link
	if en {
		text = "[Kaiban] Your draft application is saved for 30 days. Continue on any device: " + link
	}
	return kaiban.Message{
		Key: "draft/" + draftID + "/resume/sms/" + hex.EncodeToString(sum[:8]), To: mobile, Channel: kaiban.ChannelSMS,
		Kind: "draft_resume", Text: text, Link: link,
	}
}

// DraftLink is the link that resumes a draft on any device; like the
// status link, the token travels in the fragment.
func DraftLink(base, draftID, token string) string {
	return strings.TrimRight(base, "/") + "/drafts/" + url.PathEscape(draftID) + "#token=" + url.QueryEscape(token)
}

// SendOne sends m, logging a failure without its text or link.
func (s *Sender) SendOne(ctx context.Context, m kaiban.Message) error {
	if s == nil || s.n == nil {
		return nil
	}
	m.SentAt = s.now().UTC()
	err := s.n.Send(ctx, m)
	if err != nil {
		s.log.WithFields(logrus.Fields{"milestone": m.Kind, "channel": m.Channel, "error": kaiban.ErrorName(err)}).Warn("notification not sent")
	}
	return err
}
