package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"iamcreds/model"
)

// The whois dialog's box: the field; then what the key decodes to (never the
// key: its fingerprint), and the credential it is, with "Deactivate now".

func (d *whoisDialog) View(w, h int) string {
	st := d.styles
	inner := d.inner(w)
	if d.stage == whoisPaste {
		sections := []section{
			{lines: []string{st.Muted.Render("Paste a leaked key: it is decoded here, without sending it anywhere, and its credential is found and selected. The field is masked and emptied once you press enter or esc.")}, drop: 1},
			{lines: []string{d.input.View()}},
		}
		if d.err != "" {
			sections = append(sections, section{lines: []string{st.Error.Render("✗ " + d.err)}})
		}
		return d.render(box{title: "Whose key is this?", sections: sections}, w, h)
	}
	sections := []section{{lines: d.keyFields(inner), drop: 2, short: []string{st.Value.Render(model.SafeText(d.key.Fingerprint()))}}}
	c, live := d.live()
	switch {
	case d.stage == whoisLooking:
		where := "the account on screen"
		if d.where != "" {
			where = d.where
		}
		sections = append(sections, section{lines: []string{st.Muted.Render("Listing " + model.SafeText(d.user) + "'s credentials in " + where + "…")}})
	case d.match.Found:
		sections = append(sections, section{lines: d.credFields(c, inner, false), drop: 1, short: []string{st.Value.Render(model.SafeText(credSummary(c)))}})
		sections = append(sections, section{lines: d.warnings(d.matchNotes()...)})
	}
	if d.note != "" {
		sections = append(sections, section{lines: []string{st.Warning.Render(model.SafeText(d.note))}})
	}
	if !d.match.Found && d.stage == whoisDone && len(d.key.Notes) > 0 {
		var notes []string
		for _, n := range d.key.Notes {
			notes = append(notes, st.Muted.Render("• "+model.SafeText(n)))
		}
		sections = append(sections, section{lines: notes, drop: 2})
	}
	if d.policy != "" {
		sections = append(sections, section{lines: d.policyLines(), drop: 3})
	}
	var footer []string
	switch {
	case live:
		focused, off := 0, []int(nil)
		if d.ok {
			focused = 1
		}
		if d.readOnly {
			off = []int{1}
			sections = append(sections, section{lines: []string{st.Muted.Render("Read-only mode: deactivating is off " + d.readOnlyHint())}, drop: 1})
		}
		footer = []string{d.buttons([]string{"Cancel", "Deactivate now"}, focused, true, off...)}
	case d.stage == whoisDone:
		footer = []string{d.buttons([]string{"Close"}, 0, false)}
	}
	title := "Whose key is this?"
	if live {
		title = "Deactivate the leaked key?"
	}
	return d.render(box{title: title, sections: sections, footer: footer, danger: live}, w, h)
}

// keyFields say what the key decodes to: its kind, fingerprint, account,
// user and slot, or the short-term key's signer, region and lifetime.
func (d *whoisDialog) keyFields(inner int) []string {
	k := d.key
	const lw = 10
	var lines []string
	add := func(label, value string) {
		if value != "" {
			lines = append(lines, d.fieldLines(label, value, lw, inner)...)
		}
	}
	add("Key", k.Fingerprint()) // kind, first characters, hash: never the key
	// Across accounts, its name too.
	if d.where != "" {
		add("Account", d.where)
	} else {
		add("Account", k.Account)
	}
	add("User", k.User)
	add("Alias", k.Alias)
	if k.Account != "" && k.Slot > 0 {
		add("Which", "the user's "+k.SlotText()+" key")
	}
	switch k.Kind {
	case model.KeyBedrockShort, model.KeyClaudePlatformShort:
		add("Signed by", k.AccessKeyID)
		add("Region", k.Region)
		if !k.Signed.IsZero() {
			loc := d.now().Location()
			add("Signed", k.Signed.In(loc).Format("2006-01-02 15:04:05 MST"))
			exp := k.Expires().In(loc).Format("2006-01-02 15:04:05 MST")
			if !d.now().Before(k.Expires()) {
				exp += " (expired: it no longer works)"
			}
			add("Expires", exp)
		}
	case model.KeyAccessKeyID:
		add("Key ID", k.AccessKeyID)
	}
	return lines
}

// matchNotes hedge a match: by user alone, and what is not confirmed of the
// key's scheme; and say what a live credential's deactivation means.
func (d *whoisDialog) matchNotes() []string {
	var out []string
	c := d.match.Credential
	if d.match.ByUserOnly {
		out = append(out, "Matched by user and service alone: no listed alias is the key's exactly.")
	}
	for _, n := range d.key.Notes {
		out = append(out, model.SafeText(n))
	}
	switch {
	case c.IsExpired(d.now()):
		out = append(out, "It has expired: IAM no longer accepts it. d deletes it.")
	case c.Status != model.Active:
		out = append(out, fmt.Sprintf("It is %s already: the key does not work. d deletes it.", c.Status))
	default:
		out = append(out, "It is Active, created "+model.CreatedDetail(c, d.now())+": the key works if it is this credential's (IAM cannot check a key's secret; a key leaked before that date was another's with the same alias). Deactivating stops it at once; t makes it Active again.")
	}
	return out
}

// policyLines are the deny policy, compact (c copies it as printed).
func (d *whoisDialog) policyLines() []string {
	st := d.styles
	var b bytes.Buffer
	text := d.policy
	if json.Compact(&b, []byte(d.policy)) == nil { // with spaces the box can wrap at
		text = strings.NewReplacer(`,"`, `, "`, `":`, `": `).Replace(b.String())
	}
	return []string{
		st.Label.Render("Deny policy (c copies it; aws iam put-user-policy or put-role-policy --policy-document):"),
		st.Value.Render(model.SafeText(text)),
	}
}
