package main

import (
	"os"

	tea "github.com/charmbracelet/bubbletea"
	"path/filepath"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"iamcreds/screenshots/render"
)

// scene is one screenshot: the keys typed after the demo account has loaded.
// No scene creates a credential: a new one's id is random, a reset keeps its id.
type scene struct {
	file string
	run  func(s *session) error
}

func scenes() []scene {
	return []scene{
		{"main.png", func(s *session) error { return s.to("priya") }},
		{"create.png", func(s *session) error {
			if err := s.to("kenji"); err != nil {
				return err
			}
			return s.Keys("n")
		}},
		{"reset.png", func(s *session) error {
			if err := s.to("mateo"); err != nil {
				return err
			}
			return s.Keys("enter", "r")
		}},
		{"secret.png", func(s *session) error {
			if err := s.to("mateo"); err != nil {
				return err
			}
			return s.Keys("enter", "r", "right", "enter")
		}},
		{"secret-shown.png", func(s *session) error {
			if err := s.to("mateo"); err != nil {
				return err
			}
			return s.Keys("enter", "r", "right", "enter", "s")
		}},
		{"rotate.png", func(s *session) error {
			if err := s.to("sofia"); err != nil {
				return err
			}
			return s.Keys("enter", "j", "R") // her Active one: the Inactive other goes first
		}},
		{"help.png", func(s *session) error { return s.Keys("?") }},
		{"fleet.png", func(s *session) error { return s.Keys("a") }},
		{"create-expiry.png", func(s *session) error {
			if err := s.to("kenji"); err != nil {
				return err
			}
			return s.Keys("n", "j", "j", "enter") // Bedrock: how long the key lives
		}},
		{"secret-api-key.png", func(s *session) error {
			if err := s.to("priya"); err != nil {
				return err
			}
			return s.Keys("enter", "j", "r", "right", "enter") // her Bedrock key, reset: its id stays
		}},
		{"bulk-confirm.png", func(s *session) error {
			return s.Keys("a", "f", "v", "space", "space", "space", "I") // three Active flagged rows
		}},
		{"fleet-users.png", func(s *session) error {
			return s.Keys("a", "U") // the users the console made, judged
		}},
		{"cleanup.png", func(s *session) error {
			return s.Keys("a", "U", "j", "enter") // an orphaned user: what it holds, the name to type
		}},
		{"whois.png", func(s *session) error {
			if err := s.Keys("K"); err != nil {
				return err
			}
			s.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(demoLeakedKey), Paste: true})
			return s.Keys("enter") // amara's key: found, selected, "Deactivate now" focused
		}},
		{"deliver.png", func(s *session) error {
			if err := s.to("mateo"); err != nil {
				return err
			}
			// Reset his Git password, then D: the demo's [[deliver]] rule names demo/ci-git.
			return s.Keys("enter", "r", "right", "enter", "D", "enter")
		}},
	}
}

// generate writes every scene's PNG into dir and returns the file names.
func generate(dir string) ([]string, error) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	lipgloss.SetHasDarkBackground(true) // never ask the terminal
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var names []string
	for _, sc := range scenes() {
		png, err := shoot(sc)
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dir, sc.file), png, 0o644); err != nil {
			return nil, err
		}
		names = append(names, sc.file)
	}
	return names, nil
}

func shoot(sc scene) ([]byte, error) {
	s, err := newSession()
	if err != nil {
		return nil, err
	}
	defer s.close()
	if err := sc.run(s); err != nil {
		return nil, err
	}
	return render.PNG(s.View(), render.Options{Cols: cols, Rows: rows})
}
