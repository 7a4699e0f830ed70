package model

// The console-made users' section of every report format (AuditMeta.Users).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"
)

// userRecord is one judged user as JSON and JSON Lines write it.
type userRecord struct {
	Account          *string         `json:"account,omitempty"`
	AccountName      *string         `json:"account_name,omitempty"`
	User             string          `json:"user"`
	Service          string          `json:"service"`
	ServiceName      string          `json:"service_name"`
	Created          string          `json:"created"`
	Verdicts         []string        `json:"verdicts"` // orphaned, at-risk, or ok
	Risks            []string        `json:"risks"`
	Credentials      int             `json:"credentials"`      // service-specific, any status
	LiveCredentials  int             `json:"live_credentials"` // not expired
	AccessKeys       []userAccessKey `json:"access_keys"`
	LoginProfile     bool            `json:"login_profile"`
	AttachedPolicies []string        `json:"attached_policies"`
	InlinePolicies   []string        `json:"inline_policies"`
	Groups           []string        `json:"groups"`
}

type userAccessKey struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Created string `json:"created"`
}

func newUserRecord(j *JudgedUser, now time.Time, across bool) userRecord {
	rec := userRecord{
		User: j.User.Name, Service: LookupService(j.Console.Service).Short, ServiceName: j.Console.Service,
		Created: rfc3339(j.User.Created), Verdicts: j.Verdicts(), Risks: append([]string{}, j.Risks...),
		Credentials: len(j.Credentials), AccessKeys: []userAccessKey{}, LoginProfile: j.Holdings.LoginProfile,
		AttachedPolicies: []string{}, InlinePolicies: append([]string{}, j.Holdings.Inline...),
		Groups: append([]string{}, j.Holdings.Groups...),
	}
	if across {
		a := j.Account
		if a == nil {
			a = &Account{}
		}
		rec.Account, rec.AccountName = orNull(a.ID), orNull(a.DisplayName())
		if rec.AccountName == nil {
			rec.AccountName = new(string)
		}
	}
	for _, c := range j.Credentials {
		if !c.IsExpired(now) {
			rec.LiveCredentials++
		}
	}
	for _, k := range j.Holdings.AccessKeys {
		rec.AccessKeys = append(rec.AccessKeys, userAccessKey{ID: k.ID, Status: string(k.Status), Created: rfc3339(k.Created)})
	}
	for _, p := range j.Holdings.Attached {
		rec.AttachedPolicies = append(rec.AttachedPolicies, p.Name)
	}
	return rec
}

// usersJSON is the "users" member of the JSON document: `,\n  "users": […]`.
func usersJSON(users []JudgedUser, now time.Time, across bool) ([]byte, error) {
	recs := make([]userRecord, len(users))
	for i := range users {
		recs[i] = newUserRecord(&users[i], now, across)
	}
	b, err := json.MarshalIndent(recs, "  ", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(",\n  \"users\": "), b...), nil
}

// users writes one JSON Line per user: the line's metadata, then the user's
// fields; "verdicts" tells a user's line from a credential's.
func (e *jsonlEncoder) users(users []JudgedUser) error {
	for i := range users {
		head, err := e.headFor(users[i].Account)
		if err != nil {
			return err
		}
		rec := newUserRecord(&users[i], e.now, false)
		b, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		// The record's fields after the line's metadata, as a credential's are.
		line := append(append(append(e.buf[:0], head...), ','), b[1:]...)
		e.buf = append(line, '\n')
		if _, err := e.out.Write(e.buf); err != nil {
			return err
		}
	}
	return nil
}

// csvUsers writes the users as comment lines after the credentials, one a
// user, so that the CSV stays one table of credentials for the tools that
// read it (which skip "#" lines, as they skip the first) and a person still
// sees them: "# console-made user BedrockAPIKey-k2wd; Bedrock; orphaned;
// holds 1 policy; 1 group". Like the first line, they hold no comma or quote.
func (e *csvEncoder) users(users []JudgedUser) error {
	e.cw.Flush()
	if err := e.cw.Error(); err != nil {
		return err
	}
	if _, err := e.out.WriteString("# " + usersHeading(users) + "\n"); err != nil {
		return err
	}
	for i := range users {
		j := &users[i]
		line := "console-made user " + j.User.Name
		if e.across != nil {
			line += "; account " + accountLabel(j.Account)
		}
		line += "; " + LookupService(j.Console.Service).Short + "; " + strings.Join(j.Verdicts(), " ") +
			"; holds " + strings.ReplaceAll(holds(j), ", ", "; ")
		if len(j.Risks) > 0 {
			line += "; risks: " + strings.Join(j.Risks, "; ")
		}
		line = strings.NewReplacer(",", " ", `"`, "'").Replace(SafeText(line))
		if _, err := e.out.WriteString("# " + line + "\n"); err != nil {
			return err
		}
	}
	return nil
}

// holds says what a user holds, in counts: "2 policies, 1 group, 1 access key".
func holds(j *JudgedUser) string {
	var parts []string
	add := func(n int, one, many string) {
		switch {
		case n == 1:
			parts = append(parts, "1 "+one)
		case n > 1:
			parts = append(parts, fmt.Sprintf("%d %s", n, many))
		}
	}
	add(len(j.Credentials), "credential", "credentials")
	add(len(j.Holdings.Attached), "policy", "policies")
	add(len(j.Holdings.Inline), "inline policy", "inline policies")
	add(len(j.Holdings.Groups), "group", "groups")
	add(len(j.Holdings.AccessKeys), "access key", "access keys")
	if j.Holdings.LoginProfile {
		parts = append(parts, "console password")
	}
	if parts == nil {
		return "nothing"
	}
	return strings.Join(parts, ", ")
}

// usersHeading is the line above the users' table in the text formats.
func usersHeading(users []JudgedUser) string {
	return fmt.Sprintf("Users the console made: %d (%d flagged).", len(users), CountFlaggedUsers(users))
}

// UserLegend explains the users' verdicts, one per line.
const UserLegend = "orphaned    a console-made user with no live credential left (expired counts as none)\n" +
	"at-risk     a console-made user with an access key, a console password or a policy beyond its service's\n"

// tableUsers writes the users' section of the table.
func (e *tableEncoder) users(users []JudgedUser) error {
	if _, err := e.out.WriteString("\n" + usersHeading(users) + "\n"); err != nil {
		return err
	}
	if len(users) == 0 {
		return nil
	}
	if _, err := e.out.WriteString("\n"); err != nil {
		return err
	}
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	header := "USER\tSERVICE\tVERDICT\tHOLDS\tRISKS\n"
	if e.across != nil {
		header = "ACCOUNT\t" + header
	}
	if _, err := tw.Write([]byte(header)); err != nil {
		return err
	}
	for i := range users {
		j := &users[i]
		line := ""
		if e.across != nil {
			line = cell(accountLabel(j.Account)) + "\t"
		}
		line += cell(j.User.Name) + "\t" + cell(LookupService(j.Console.Service).Short) + "\t" +
			strings.Join(j.Verdicts(), ", ") + "\t" + holds(j) + "\t" + cell(strings.Join(j.Risks, ", ")) + "\n"
		if _, err := tw.Write([]byte(line)); err != nil {
			return err
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if e.width <= 0 || widestLine(buf.String()) <= e.width {
		_, err := e.out.Write(buf.Bytes())
		return err
	}
	// Too wide for the terminal: a user a few lines, wrapped, rather than
	// columns cut short, so that no risk loses its name.
	var b strings.Builder
	for i := range users {
		j := &users[i]
		if e.across != nil {
			b.WriteString(SafeText(accountLabel(j.Account)) + "  ")
		}
		b.WriteString(SafeText(j.User.Name) + "  " + LookupService(j.Console.Service).Short + "  " + strings.Join(j.Verdicts(), ", ") + "\n")
		b.WriteString("  holds " + holds(j) + "\n")
		if len(j.Risks) > 0 {
			b.WriteString("  risks: " + SafeText(strings.Join(j.Risks, ", ")) + "\n")
		}
	}
	_, err := e.out.WriteString(wrapLines(b.String(), e.width, userIndent))
	return err
}

// userIndent continues a user's line under its text.
func userIndent(line string) int {
	if strings.HasPrefix(line, "  ") {
		return 4
	}
	return 2
}

// widestLine is the width of s's longest line, in runes.
func widestLine(s string) int {
	n := 0
	for _, l := range strings.Split(s, "\n") {
		n = max(n, utf8.RuneCountInString(l))
	}
	return n
}

// markdownUsers writes the users' section of the Markdown report.
func (e *markdownEncoder) users(users []JudgedUser) error {
	if _, err := e.out.WriteString("\n" + usersHeading(users) + "\n"); err != nil {
		return err
	}
	if len(users) == 0 {
		return nil
	}
	head, rule := "| User | Service | Verdict | Holds | Risks |\n", "|---|---|---|---|---|\n"
	if e.across != nil {
		head, rule = "| Account "+head, "|---"+rule
	}
	if _, err := e.out.WriteString("\n" + head + rule); err != nil {
		return err
	}
	for i := range users {
		j := &users[i]
		if e.across != nil {
			if _, err := e.out.WriteString("| " + mdText(accountLabel(j.Account)) + " "); err != nil {
				return err
			}
		}
		risks := make([]string, len(j.Risks))
		for k, r := range j.Risks {
			risks[k] = mdText(r)
		}
		if _, err := fmt.Fprintf(e.out, "| %s | %s | %s | %s | %s |\n", mdCode(j.User.Name),
			mdText(LookupService(j.Console.Service).Short), strings.Join(j.Verdicts(), ", "), holds(j),
			orDash(strings.Join(risks, ", "))); err != nil {
			return err
		}
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// HoldsText says what the user holds, in counts: "1 policy, 1 group".
func (j JudgedUser) HoldsText() string { return holds(&j) }
