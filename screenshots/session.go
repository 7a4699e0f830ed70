package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"iamcreds/internal/deliver"
	"iamcreds/model"
	"iamcreds/ui"
	"iamcreds/ui/clipboard"
	"iamcreds/ui/uitest"
)

// Every screenshot is this size, at this instant: the seed's dates and the UI's
// ages are relative to it, so nothing depends on the day it runs.
const cols, rows = 120, 36

var fixedNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return fixedNow }

// session is one UI against a fresh demo endpoint, driven by uitest: every
// command's message is applied before the next key.
type session struct {
	*uitest.Driver
	iam   *secretsSeen
	close func()
}

// View is the UI's view with every secret IAM issued replaced by a fixed
// stand-in of the same length: IAM's secrets are random, a PNG must not be.
func (s *session) View() string {
	v := s.Driver.View()
	for _, secret := range s.iam.seen {
		v = strings.ReplaceAll(v, secret, standIn(len(secret)))
	}
	// A delivery's version id is a random request token (iamcreds-<32 hex>).
	return requestToken.ReplaceAllString(v, "0123456789abcdef0123456789abcdef")
}

// requestToken is the random part of a delivered secret's version id.
var requestToken = regexp.MustCompile(`[0-9a-f]{32}`)

// standIn is n characters that look like a secret and say they are not one.
func standIn(n int) string {
	const text = "EXAMPLEn0tAsecret+screenshotOnly/"
	return strings.Repeat(text, n/len(text)+1)[:n]
}

// secretsSeen passes every call to the client and keeps the secrets it returns.
type secretsSeen struct {
	ui.IAM
	seen []string
}

func (r *secretsSeen) Reset(ctx context.Context, user, id string) (model.Credential, model.Secret, error) {
	c, s, err := r.IAM.Reset(ctx, user, id)
	if !s.Empty() {
		r.seen = append(r.seen, s.Reveal())
	}
	return c, s, err
}

func newSession() (*session, error) {
	e, err := uitest.NewEndpoint(uitest.EndpointConfig{Seed: "demo", Now: clock})
	if err != nil {
		return nil, err
	}
	iam := &secretsSeen{IAM: e.Client}
	m := ui.New(ui.Options{
		Client:   iam,
		Endpoint: "http://127.0.0.1:4599", // the real one has a random port
		Demo:     true,
		Now:      clock,
		// The cursor rests at once: the debounce changes when a listing starts,
		// never what a settled screen shows.
		SettleDelay: time.Microsecond,
		// Never the machine's clipboard: no scene copies, and none may.
		Clipboard: clipboard.New(clipboard.Options{Backend: noClipboard{}, Getenv: func(string) string { return "" }, Out: io.Discard}),
		// Delivery to the demo's own Secrets Manager, with the one rule the
		// README's config.toml example gives mateo's Git password.
		Deliver:       deliver.Deliverer{Stores: e.Client},
		DeliveryRules: []model.DeliveryRule{{User: "mateo", Service: "git", To: "secretsmanager:demo/ci-git"}},
	})
	s := &session{Driver: uitest.New(m, cols, rows), iam: iam, close: e.Close}
	if err := s.Settle(); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

// to moves the users cursor down from the top until it rests on user.
func (s *session) to(user string) error {
	if err := s.Keys("g"); err != nil {
		return err
	}
	for range 100 {
		if strings.Contains(s.View(), "▸"+user+" ") {
			return nil
		}
		if err := s.Keys("j"); err != nil {
			return err
		}
	}
	return fmt.Errorf("no user %q on the screen:\n%s", user, s.View())
}

// noClipboard refuses every copy, so a scene can never touch the real clipboard.
type noClipboard struct{}

var errNoCopy = errors.New("screenshots do not copy")

func (noClipboard) WriteAll(string) error    { return errNoCopy }
func (noClipboard) ReadAll() (string, error) { return "", errNoCopy }

// demoLeakedKey is amara's long-term Bedrock key from docs/demo/leaked-keys.txt
// (a fake for the demo account: no AWS account takes it).
const demoLeakedKey = "ABSKYW1hcmEtYXQtMTIzNDU2Nzg5MDEyOlpHVnRieTF2Ym14NUxXNXZkQzFoTFhKbFlXd3RZbVZrY205amF5MXJaWGt0YVdGdFkzSmxaSE10WkdWdGJ3PT0="
