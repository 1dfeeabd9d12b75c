package onestop

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"regexp"
	"strings"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/notify"
	"github.com/kaiban/kaiban/shared/validate"
)

// DraftCreated answers a new draft: its ID, the token that reads and saves
// it (shown once), and the link that resumes it on another device.
type DraftCreated struct {
	ID         string    `json:"id"`
	Token      string    `json:"token"`
	ResumeLink string    `json:"resumeLink"`
	ExpiresAt  time.Time `json:"expiresAt"`
}

// DraftView is a draft as its owner reads it.
type DraftView struct {
	ID        string          `json:"id"`
	Form      json.RawMessage `json:"form"`
	UpdatedAt time.Time       `json:"updatedAt"`
	ExpiresAt time.Time       `json:"expiresAt"`
}

// mobilePattern is a mainland mobile, as the form's cn_mobile rule has it;
// a draft's number is only used once it looks complete.
var mobilePattern = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

func (s *Service) draftsOrErr() (kaiban.Drafts, error) {
	if s.drafts == nil {
		return nil, kaiban.Errorf(kaiban.ErrNotFound, "drafts are not kept here")
	}
	return s.drafts, nil
}

// CreateDraft stores the form as far as it is filled and, when it names
// the legal representative's mobile, sends the resume link there.
func (s *Service) CreateDraft(ctx context.Context, body []byte, lang validate.Lang) (DraftCreated, error) {
	drafts, err := s.draftsOrErr()
	if err != nil {
		return DraftCreated{}, err
	}
	if err := kaiban.CheckDraftForm(body); err != nil {
		return DraftCreated{}, err
	}
	var raw [15]byte
	_, _ = rand.Read(raw[:])
	id := "D" + strings.ToUpper(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw[:]))
	token := newAccessToken()
	now := s.now().UTC()
	d := kaiban.Draft{ID: id, TokenHash: kaiban.DraftTokenHash(token), Form: body, CreatedAt: now, UpdatedAt: now, ExpiresAt: now.Add(kaiban.DraftTTL)}
	if err := drafts.CreateDraft(ctx, d); err != nil {
		return DraftCreated{}, err
	}
	link := notify.DraftLink(s.baseURL, id, token)
	s.sendResumeLink(ctx, id, body, link, lang)
	return DraftCreated{ID: id, Token: token, ResumeLink: link, ExpiresAt: d.ExpiresAt}, nil
}

// SaveDraft replaces the draft's form (the portal saves as the applicant
// types). A mobile that appears for the first time gets the resume link.
func (s *Service) SaveDraft(ctx context.Context, id, token string, body []byte, lang validate.Lang) (DraftView, error) {
	drafts, err := s.draftsOrErr()
	if err != nil {
		return DraftView{}, err
	}
	if kaiban.CheckKey("draft id", id) != nil {
		return DraftView{}, kaiban.Errorf(kaiban.ErrNotFound, "draft not found")
	}
	if err := kaiban.CheckDraftForm(body); err != nil {
		return DraftView{}, err
	}
	d, err := drafts.SaveDraft(ctx, id, kaiban.DraftTokenHash(token), body, s.now())
	if err != nil {
		return DraftView{}, err
	}
	s.sendResumeLink(ctx, id, body, notify.DraftLink(s.baseURL, id, token), lang)
	return DraftView{ID: d.ID, Form: d.Form, UpdatedAt: d.UpdatedAt, ExpiresAt: d.ExpiresAt}, nil
}

// GetDraft returns the draft to its owner.
func (s *Service) GetDraft(ctx context.Context, id, token string) (DraftView, error) {
	drafts, err := s.draftsOrErr()
	if err != nil {
		return DraftView{}, err
	}
	if kaiban.CheckKey("draft id", id) != nil {
		return DraftView{}, kaiban.Errorf(kaiban.ErrNotFound, "draft not found")
	}
	d, err := drafts.GetDraft(ctx, id, kaiban.DraftTokenHash(token), s.now())
	if err != nil {
		return DraftView{}, err
	}
	return DraftView{ID: d.ID, Form: d.Form, UpdatedAt: d.UpdatedAt, ExpiresAt: d.ExpiresAt}, nil
}

// sendResumeLink sends the link to the legal representative's mobile when
// the draft has a complete one; the message key (draft and number) keeps
// every later save from sending it again.
func (s *Service) sendResumeLink(ctx context.Context, id string, body []byte, link string, lang validate.Lang) {
	var f struct {
		LegalRepresentative struct {
			Mobile string `json:"mobile"`
		} `json:"legalRepresentative"`
	}
	if json.Unmarshal(body, &f) != nil || !mobilePattern.MatchString(f.LegalRepresentative.Mobile) {
		return
	}
	if err := s.notify.SendOne(ctx, notify.DraftResume(id, f.LegalRepresentative.Mobile, link, lang == validate.LangEN)); err != nil {
		s.logFor(ctx, id).Warn("draft: resume link not sent")
	}
}
