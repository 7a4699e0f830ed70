package ui

import (
	"fmt"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"iamcreds/awsclient/localiam"
)

func TestSmokeLook(t *testing.T) {
	lipgloss.SetColorProfile(termenv.Ascii)
	e := newEndpoint(t, "demo", localiam.Faults{}, false)
	mem := &memClipboard{}
	m := New(testOptions(e, mem))
	d := newDriver(t, m, 120, 36)
	fmt.Println(screen(m))
	d.settle()
	fmt.Println(screen(m))
	d.keys("j", "j", "enter")
	fmt.Println(screen(m))
	d.keys("n")
	fmt.Println(screen(m))
	d.keys("down", "down", "enter")
	fmt.Println(screen(m))
	d.keys("enter")
	fmt.Println(screen(m))
	d.keys("enter")
	fmt.Println(screen(m))
	d.send(tea_ws(80, 24))
	fmt.Println(screen(m))
	d.send(tea_ws(40, 12))
	fmt.Println(screen(m))
}

func tea_ws(w, h int) tea.WindowSizeMsg { return teaWS(w, h) }
