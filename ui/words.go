package ui

import (
	"fmt"
	"strings"

	"iamcreds/model"
)

// Words: the small text helpers every screen and dialog uses, with no state
// of the UI (the ground floor: they call nothing else of the package).

// plural is "1 credential", "2 credentials".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// credLabel names a credential for messages and dialogs: "alice's Git
// credential …P7DZE", safe to draw (every part may come from IAM).
func credLabel(user, service, id string) string {
	s := user + "'s " + model.LookupService(service).Short + " credential"
	if id != "" {
		s += " " + shortID(id)
	}
	return model.SafeText(s)
}

// shortID keeps an id's tail, which is what the delete confirmation asks for.
func shortID(id string) string {
	if len(id) <= 8 {
		return id
	}
	return "…" + id[len(id)-5:]
}

// capitalize upper-cases the first letter (ASCII).
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
