package cli

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mattn/go-runewidth"

	"iamcreds/internal/keyscan"
	"iamcreds/model"
)

// scanKey is one distinct key a scan found: decoded once, looked up once.
type scanKey struct {
	Key       model.DecodedKey
	Match     *model.KeyMatch // the lookup's answer; nil offline, or when it failed
	LookupErr error           // why the lookup failed
	Status    string          // judged: "Active", "Inactive", "not found …", …
	Live      bool
}

// scanFinding is one place a key was found. Hit.Key is emptied once decoded:
// from there on only the fingerprint stands for the key.
type scanFinding struct {
	Hit keyscan.Hit
	Key *scanKey
}

func sortHits(hits []keyscan.Hit) {
	slices.SortStableFunc(hits, func(a, b keyscan.Hit) int {
		ga, gb := a.Commit != "", b.Commit != ""
		switch {
		case ga && gb:
			return 0 // the history in its order
		case ga != gb: // the files first
			if ga {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
}

// decodeHits decodes each distinct key once and drops the keys themselves. A
// span FindKeys gave that does not decode is no key (FindKeys decodes too): it
// is left out.
func decodeHits(hits []keyscan.Hit) []scanFinding {
	keys := map[string]*scanKey{}
	var out []scanFinding
	for _, h := range hits {
		k, ok := keys[h.Key]
		if !ok {
			d, err := model.DecodeKey(h.Key)
			if err == nil {
				k = &scanKey{Key: d}
			}
			keys[h.Key] = k
		}
		h.Key = ""
		if k != nil {
			out = append(out, scanFinding{Hit: h, Key: k})
		}
	}
	return out
}

// distinctKeys are the findings' keys, each once, in the order found.
func distinctKeys(fs []scanFinding) []*scanKey {
	seen := map[*scanKey]bool{}
	var out []*scanKey
	for _, f := range fs {
		if !seen[f.Key] {
			seen[f.Key] = true
			out = append(out, f.Key)
		}
	}
	return out
}

// scanReport is what scan writes.
type scanReport struct {
	Findings []scanFinding
	Stats    keyscan.Stats
	Offline  bool
	Now      time.Time
	Width    int // the terminal's columns for the table; 0 no limit
	Live     int // distinct live keys, after judge
}

// judge sets each key's status and liveness.
func (r *scanReport) judge() {
	r.Live = 0
	for _, k := range distinctKeys(r.Findings) {
		k.Status, k.Live = judgeKey(k, r.Offline, r.Now)
		if k.Live {
			r.Live++
		}
	}
}

func judgeKey(k *scanKey, offline bool, now time.Time) (string, bool) {
	d := k.Key
	switch d.Kind {
	case model.KeyBedrockShort, model.KeyClaudePlatformShort:
		if exp := d.Expires(); !exp.IsZero() && !now.Before(exp) {
			return "expired " + exp.UTC().Format("2006-01-02 15:04Z"), false
		}
		return "unexpired until " + d.Expires().UTC().Format("2006-01-02 15:04Z") + ": IAM cannot revoke it (whois prints the deny policy)", true
	}
	switch {
	case offline:
		return "not looked up (--offline)", true
	case k.LookupErr != nil:
		return "unknown: " + k.LookupErr.Error(), false
	case k.Match == nil:
		return "not looked up", false
	case d.Kind == model.KeyAccessKeyID:
		if k.Match.Account != "" {
			return "an access key id of account " + k.Match.Account, false
		}
		return "an access key id", false
	}
	m := *k.Match
	switch {
	case m.Found:
		st := m.Credential.StatusAt(now)
		s := string(st)
		if m.Credential.IsExpired(now) {
			s = "expired"
		}
		if m.ByUserOnly {
			s += " (matched by user only)"
		}
		return s, m.Live(now)
	case len(m.Candidates) > 0:
		live := false
		for _, c := range m.Candidates {
			live = live || (c.Status == model.Active && !c.IsExpired(now))
		}
		return fmt.Sprintf("ambiguous: %d credentials of the user could be it", len(m.Candidates)), live
	}
	return "not found (deleted, or another account)", false
}

// owner is who the key is: user@account from its alias or match, the signer of a
// short-term key, an access key id's account.
func (k *scanKey) owner() string {
	d := k.Key
	user, account := d.User, cmp.Or(d.Account, k.matchAccount())
	if k.Match != nil && k.Match.Found {
		user = k.Match.Credential.UserName
	}
	switch {
	case user != "" && account != "":
		return user + "@" + account
	case user != "":
		return user
	case d.AccessKeyID != "" && d.Kind != model.KeyAccessKeyID && account != "":
		return "signed by " + d.AccessKeyID + " of " + account
	case d.AccessKeyID != "" && d.Kind != model.KeyAccessKeyID:
		return "signed by " + d.AccessKeyID
	}
	return account
}

func (k *scanKey) matchAccount() string {
	if k.Match == nil {
		return ""
	}
	return k.Match.Account
}

// credentialID is the matched credential's id, "" when none.
func (k *scanKey) credentialID() string {
	if k.Match == nil || !k.Match.Found {
		return ""
	}
	return k.Match.Credential.ID
}

// write writes the report in format.
func (r *scanReport) write(w io.Writer, format scanFormat) error {
	switch format {
	case scanJSON:
		return r.writeJSON(w)
	case scanSARIF:
		return r.writeSARIF(w)
	}
	return r.writeTable(w)
}

// scanColumns are the table's columns.
// The key's fingerprint starts with its kind: no column of its own.
var scanColumns = []string{"LOCATION", "KEY", "OWNER", "CREDENTIAL", "STATUS"}

// minStatus is the narrowest the status column is cut to in a table.
const minStatus = 12

// writeTable writes a table when the terminal is wide enough for it, else
// each finding as a block of lines, cut at the edge; a pipe gets the table.
func (r *scanReport) writeTable(w io.Writer) error {
	if len(r.Findings) == 0 {
		_, err := fmt.Fprintln(w, "No key found.")
		return err
	}
	rows := make([][]string, 0, len(r.Findings))
	for _, f := range r.Findings {
		loc := f.Hit.Location()
		if f.Hit.Count > 1 {
			loc += fmt.Sprintf(" (×%d)", f.Hit.Count)
		}
		rows = append(rows, []string{model.SafeText(loc), f.Key.Key.Fingerprint(),
			model.SafeText(f.Key.owner()), model.SafeText(f.Key.credentialID()), model.SafeText(f.Key.Status)})
	}
	if over := tableWidth(rows) - r.Width; r.Width > 0 && over > 0 {
		// The status, last, may give up its tail down to minStatus columns;
		// past that each finding is a block.
		last := len(scanColumns) - 1
		widest := 0
		for _, row := range rows {
			widest = max(widest, runewidth.StringWidth(row[last]))
		}
		if widest-over < minStatus {
			return r.writeBlocks(w, rows)
		}
		for _, row := range rows {
			row[last] = runewidth.Truncate(row[last], widest-over, "…")
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(scanColumns, "\t"))
	for _, row := range rows {
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return r.writeFooter(w)
}

func tableWidth(rows [][]string) int {
	widths := make([]int, len(scanColumns))
	for i, c := range scanColumns {
		widths[i] = len(c)
	}
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], runewidth.StringWidth(c))
		}
	}
	total := 2 * (len(widths) - 1)
	for _, n := range widths {
		total += n
	}
	return total
}

// writeBlocks is the narrow form: the location on its own line, then each
// field, its value on the label's line when it fits, else on lines of its own,
// wrapped at spaces (a fingerprint is never cut: its end tells keys apart).
func (r *scanReport) writeBlocks(w io.Writer, rows [][]string) error {
	for i, row := range rows {
		if i > 0 {
			fmt.Fprintln(w)
		}
		for _, l := range wrapLines(row[0], r.Width) {
			fmt.Fprintln(w, l)
		}
		for j := 1; j < len(row); j++ {
			if row[j] == "" {
				continue
			}
			line := fmt.Sprintf("  %-10s %s", strings.ToLower(scanColumns[j]), row[j])
			if runewidth.StringWidth(line) <= r.Width {
				fmt.Fprintln(w, line)
				continue
			}
			fmt.Fprintln(w, "  "+strings.ToLower(scanColumns[j]))
			for _, l := range wrapLines(row[j], r.Width-4) {
				fmt.Fprintln(w, "    "+l)
			}
		}
	}
	return r.writeFooter(w)
}

// wrapLines breaks s into lines of at most width columns, at spaces where it
// can, inside a word where it must.
func wrapLines(s string, width int) []string {
	width = max(width, 8)
	var lines []string
	var cur strings.Builder
	curW := 0
	flush := func() {
		if curW > 0 {
			lines = append(lines, cur.String())
		}
		cur.Reset()
		curW = 0
	}
	for _, word := range strings.Fields(s) {
		ww := runewidth.StringWidth(word)
		if curW > 0 && curW+1+ww <= width {
			cur.WriteByte(' ')
			cur.WriteString(word)
			curW += 1 + ww
			continue
		}
		flush()
		for ww > width { // a word longer than a line: cut it
			head := runewidth.Truncate(word, width, "")
			lines = append(lines, head)
			word = word[len(head):]
			ww = runewidth.StringWidth(word)
		}
		cur.WriteString(word)
		curW = ww
	}
	flush()
	return lines
}

func (r *scanReport) writeFooter(w io.Writer) error {
	n := len(distinctKeys(r.Findings))
	var err error
	switch {
	case r.Offline:
		_, err = fmt.Fprintf(w, "\n%s in %s (--offline).\n", plural(int64(n), "key"), plural(int64(len(r.Findings)), "place"))
	default:
		unknown := 0
		for _, k := range distinctKeys(r.Findings) {
			if k.LookupErr != nil {
				unknown++
			}
		}
		tail := ""
		if unknown > 0 {
			tail = fmt.Sprintf(", %d unknown", unknown)
		}
		_, err = fmt.Fprintf(w, "\n%s in %s, %d live%s.\n", plural(int64(n), "key"), plural(int64(len(r.Findings)), "place"), r.Live, tail)
	}
	return err
}
