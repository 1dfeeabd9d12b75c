package oidcp

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// Account is a clerk who can sign in on the login page.
type Account struct {
	Username string   `json:"username"`
	Password string   `json:"password"`
	Subject  string   `json:"sub"`
	Groups   []string `json:"groups"`
}

// Accounts is the accounts file: the clerks of the local stack.
type Accounts struct {
	Accounts []Account `json:"accounts"`
}

// DefaultAccounts are the accounts a data directory starts with: two
// clerks and a supervisor, each with a random password and subject.
func DefaultAccounts(clerkGroup, supervisorGroup string) (Accounts, error) {
	spec := []struct {
		user   string
		groups []string
	}{
		{"clerk1", []string{clerkGroup}},
		{"clerk2", []string{clerkGroup}},
		{"supervisor1", []string{clerkGroup, supervisorGroup}},
	}
	var a Accounts
	for _, s := range spec {
		pw, err := randomPassword()
		if err != nil {
			return Accounts{}, err
		}
		a.Accounts = append(a.Accounts, Account{Username: s.user, Password: pw, Subject: uuid.NewString(), Groups: s.groups})
	}
	return a, nil
}

// ParseAccounts reads an accounts file, refusing one a login could not
// use (no accounts, a blank or repeated username, a short password).
func ParseAccounts(b []byte) (Accounts, error) {
	var a Accounts
	if err := json.Unmarshal(b, &a); err != nil {
		return Accounts{}, err
	}
	if len(a.Accounts) == 0 {
		return Accounts{}, errors.New("no accounts")
	}
	seen := map[string]bool{}
	for i, acc := range a.Accounts {
		switch {
		case strings.TrimSpace(acc.Username) == "" || strings.TrimSpace(acc.Subject) == "":
			return Accounts{}, fmt.Errorf("account %d: username and sub are required", i)
		case len(acc.Password) < 12:
			return Accounts{}, fmt.Errorf("account %s: the password must have at least 12 characters", acc.Username)
		case seen[acc.Username] || seen["sub:"+acc.Subject]:
			return Accounts{}, fmt.Errorf("account %s: username or sub repeated", acc.Username)
		}
		seen[acc.Username], seen["sub:"+acc.Subject] = true, true
	}
	return a, nil
}

// Marshal is the file's content.
func (a Accounts) Marshal() []byte {
	b, _ := json.MarshalIndent(a, "", "  ")
	return append(b, '\n')
}

// check finds the account with this username and password. Every
// account's password is compared, in constant time, so the answer's timing
// tells nothing about which usernames exist.
func (a Accounts) check(username, password string) (Account, bool) {
	var found Account
	ok := 0
	for _, acc := range a.Accounts {
		u := subtle.ConstantTimeCompare([]byte(acc.Username), []byte(username))
		p := subtle.ConstantTimeCompare([]byte(acc.Password), []byte(password))
		if u&p == 1 {
			found, ok = acc, 1
		}
	}
	return found, ok == 1
}

func (a Accounts) bySubject(sub string) (Account, bool) {
	for _, acc := range a.Accounts {
		if acc.Subject == sub {
			return acc, true
		}
	}
	return Account{}, false
}

// randomPassword is 15 random bytes in base64url: 20 characters, 120 bits.
func randomPassword() (string, error) {
	var b [15]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}
