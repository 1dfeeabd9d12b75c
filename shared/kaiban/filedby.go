package kaiban

import (
	"encoding/json"
	"strings"
)

// FilingChannel is how an applicant reached the clerk who filed for them.
type FilingChannel string

const (
	ChannelCounter FilingChannel = "counter" // in person, at the service hall's counter
	ChannelPhone   FilingChannel = "phone"   // by telephone
)

// Valid reports whether c is one of the channels ("" is not).
func (c FilingChannel) Valid() bool { return c == ChannelCounter || c == ChannelPhone }

// FiledBy records that a clerk filed an application for its applicant
// (assisted filing, 帮办). It travels in the application.submitted audit
// event, whose actor is then the clerk: the trail, which is tamper-evident,
// is the one record of who filed, written in the same commit as the
// application.
type FiledBy struct {
	Clerk    string        `json:"clerk"`              // the clerk's subject
	Username string        `json:"username,omitempty"` // the clerk's sign-in name
	Channel  FilingChannel `json:"channel,omitempty"`
}

// FiledByOf finds the filer in an application's trail: the
// application.submitted event made by a clerk. nil when the applicant
// filed themselves.
func FiledByOf(trail []AuditEvent) (*FiledBy, *AuditEvent) {
	for i := range trail {
		e := &trail[i]
		if e.Action != "application.submitted" {
			continue
		}
		sub, ok := strings.CutPrefix(e.Actor, "clerk:")
		if !ok {
			return nil, nil
		}
		var after struct {
			FiledBy *FiledBy `json:"filedBy"`
		}
		_ = json.Unmarshal(e.After, &after)
		if after.FiledBy == nil || after.FiledBy.Clerk != sub {
			// The actor is what the trail's hash covers first; a
			// filedBy naming someone else is not believed.
			return &FiledBy{Clerk: sub}, e
		}
		return after.FiledBy, e
	}
	return nil, nil
}
