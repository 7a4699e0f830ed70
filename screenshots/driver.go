package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/awsclient"
	"iamcreds/awsclient/localiam"
	"iamcreds/ui"
	"iamcreds/ui/clipboard"
)

// Every screenshot is this size, at this instant: the seed's dates and the UI's
// ages are relative to it, so nothing depends on the day it runs.
const cols, rows = 120, 36

var fixedNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return fixedNow }

// session is one UI against a fresh demo endpoint, driven like tea.Program
// would, except that every command's message is applied before the next key.
type session struct {
	m           *ui.Model
	msgs        chan tea.Msg
	outstanding int
	close       func()
}

func newSession() (*session, error) {
	srv, err := localiam.New(localiam.Config{Seed: "demo", Now: clock})
	if err != nil {
		return nil, err
	}
	hs := httptest.NewServer(srv)
	client, err := awsclient.New(context.Background(), awsclient.Config{
		EndpointURL:       hs.URL,
		Region:            "us-east-1",
		StaticCredentials: &aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "demo"},
	})
	if err != nil {
		hs.Close()
		srv.Close()
		return nil, err
	}
	m := ui.New(ui.Options{
		Client:   client,
		Endpoint: "http://127.0.0.1:4599", // the real one has a random port
		Demo:     true,
		Now:      clock,
		// Never the machine's clipboard: no scene copies, and none may.
		Clipboard: clipboard.New(clipboard.Options{Backend: noClipboard{}, Getenv: func(string) string { return "" }, Out: discard{}}),
	})
	s := &session{m: m, msgs: make(chan tea.Msg, 64), close: func() { hs.Close(); srv.Close() }}
	s.spawn(m.Init())
	s.send(tea.WindowSizeMsg{Width: cols, Height: rows})
	return s, s.settle()
}

func (s *session) spawn(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	s.outstanding++
	go func() { s.msgs <- cmd() }()
}

// send applies a message; spinner ticks are dropped so that loads can settle.
func (s *session) send(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil, spinner.TickMsg, tea.QuitMsg:
	case tea.BatchMsg:
		for _, c := range msg {
			s.spawn(c)
		}
	default:
		_, cmd := s.m.Update(msg)
		s.spawn(cmd)
	}
}

// settle applies messages until no command is left running.
func (s *session) settle() error {
	deadline := time.After(30 * time.Second)
	for s.outstanding > 0 {
		select {
		case msg := <-s.msgs:
			s.outstanding--
			s.send(msg)
		case <-deadline:
			return fmt.Errorf("%d commands still running after 30s; screen:\n%s", s.outstanding, s.m.View())
		}
	}
	return nil
}

// keys types keys, settling after each: names as tea.KeyMsg.String() spells them.
func (s *session) keys(names ...string) error {
	for _, n := range names {
		s.send(keyMsg(n))
		if err := s.settle(); err != nil {
			return err
		}
	}
	return nil
}

// to moves the users cursor down from the top until it rests on user.
func (s *session) to(user string) error {
	if err := s.keys("g"); err != nil {
		return err
	}
	for range 100 {
		if strings.Contains(s.m.View(), "▸"+user+" ") {
			return nil
		}
		if err := s.keys("j"); err != nil {
			return err
		}
	}
	return fmt.Errorf("no user %q on the screen:\n%s", user, s.m.View())
}

func keyMsg(name string) tea.KeyMsg {
	special := map[string]tea.KeyType{
		"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab,
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
	}
	if t, ok := special[name]; ok {
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(name)}
}

// noClipboard refuses every copy, so a scene can never touch the real clipboard.
type noClipboard struct{}

func (noClipboard) WriteAll(string) error    { return fmt.Errorf("screenshots do not copy") }
func (noClipboard) ReadAll() (string, error) { return "", fmt.Errorf("screenshots do not copy") }

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
