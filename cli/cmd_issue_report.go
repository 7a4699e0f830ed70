package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"strings"

	"iamcreds/model"
)

// end reports how a create or reset ended, on stderr and, with --output json,
// in the document on stdout unless it is there already; 0 done, 4 stopped, 3
// failed.
func (r *issueRun) end(result model.RotationResult, cause error) error {
	msg := ""
	if cause != nil {
		msg = cause.Error()
	}
	head := "done"
	switch result {
	case model.RotationStopped:
		head = "stopped: " + msg
	case model.RotationFailed:
		head = "failed: " + msg
	}
	lines := append([]string{r.f.kind.name() + ": " + head}, r.state()...)
	lines = append(lines, "next: "+r.next(result))
	for i, line := range lines {
		if i > 0 {
			line = "  " + line
		}
		fmt.Fprintln(r.stderr, model.SafeText(line))
	}
	if r.f.output == rotateJSON && !r.reported {
		if err := r.report(result, msg, model.Secret{}); err != nil && result == model.RotationDone {
			result = model.RotationFailed
			fmt.Fprintf(r.stderr, "%s: writing the report: %s\n", r.f.kind.name(), model.SafeText(err.Error()))
		}
	}
	switch result {
	case model.RotationDone:
		return nil
	case model.RotationStopped:
		return exitSilently(exitStopped)
	}
	return exitSilently(exitFailed)
}

// state is what exists now: the credential, and where its secret is.
func (r *issueRun) state() []string {
	c := r.cred
	label := c.ServiceInfo().SecretLabel()
	var out []string
	switch {
	case !r.issued && r.f.kind == issueCreate:
		return []string{"credential: none created"}
	case !r.issued:
		if c.ID == "" {
			return nil
		}
		return []string{fmt.Sprintf("credential %s: %s, not reset", c.ID, c.Status)}
	case r.deletedAgain:
		return []string{fmt.Sprintf("credential %s: created, then deleted again: its %s reached nobody", c.ID, label)}
	case r.deleteUnknown:
		return []string{fmt.Sprintf("credential %s: unknown: deleting it again may or may not have happened; nobody holds its %s", c.ID, label)}
	}
	out = append(out, fmt.Sprintf("credential %s: %s, %s", c.ID, c.Status, r.f.kind.past()))
	switch {
	case r.delivered != nil && r.delivered.Delivered():
		out = append(out, fmt.Sprintf("%s: delivered to %s", label, r.delivered.Target))
	case r.delivered != nil && r.saved != "":
		out = append(out, fmt.Sprintf("%s: not delivered (%s); kept %s", label, outcomeWord(r.delivered.Outcome), r.savedWhere()))
	case r.saved != "":
		out = append(out, fmt.Sprintf("%s: written to %s", label, r.saved))
	default:
		out = append(out, fmt.Sprintf("%s: lost: it reached nobody", label))
	}
	return out
}

// next says what to do now.
func (r *issueRun) next(result model.RotationResult) string {
	c := r.cred
	label := c.ServiceInfo().SecretLabel()
	switch {
	case !r.issued:
		return "Nothing was changed."
	case r.deletedAgain:
		return "Nothing new exists: make sure the " + label + " can be delivered or saved, then " + string(r.f.kind) + " again."
	case r.deleteUnknown:
		return fmt.Sprintf("%s, with a %s nobody holds: delete it if so.", capitalizeFirst(model.CheckUnknown(c.UserName, c.ID, "may still exist")), label)
	case result == model.RotationDone && r.f.kind == issueReset:
		return "Nothing left to do here; the old " + label + " no longer works."
	case result == model.RotationDone:
		return "Nothing left to do."
	case r.delivered != nil && r.saved != "":
		return fmt.Sprintf("Deliver the %s kept %s another way (then delete that copy), or fix the target and reset again.", label, r.savedWhere())
	}
	return fmt.Sprintf("The %s is lost: reset %s to get another.", label, c.ID)
}

// savedWhere is where the secret was saved, for a sentence: "on stdout", "in FILE".
func (r *issueRun) savedWhere() string {
	if r.saved == "stdout" {
		return "on stdout"
	}
	return "in " + r.saved
}

func capitalizeFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// issueDoc is create's and reset's --output json document.
type issueDoc struct {
	Result       model.RotationResult `json:"result"`
	Action       string               `json:"action"`
	Message      string               `json:"message"`
	User         string               `json:"user"`
	ServiceName  string               `json:"service_name"`
	CredentialID *string              `json:"credential_id"`
	Login        *string              `json:"login"`
	DeletedAgain bool                 `json:"deleted_again"`
	Delivery     *model.DeliveryDoc   `json:"delivery"`
	Secret       json.RawMessage      `json:"secret"`
	SecretFile   *string              `json:"secret_file"`
	State        []string             `json:"state"`
	Next         string               `json:"next"`
}

// report writes the JSON document to stdout, once; secret, when not Empty,
// goes in it.
func (r *issueRun) report(result model.RotationResult, msg string, secret model.Secret) error {
	r.reported = true
	service := r.f.service
	if r.cred.Service != "" {
		service = r.cred.Service
	}
	doc := issueDoc{Result: result, Action: string(r.f.kind), Message: model.SafeText(msg), User: r.f.user,
		ServiceName: service, DeletedAgain: r.deletedAgain, Secret: json.RawMessage("null"), Next: r.next(result)}
	if doc.State = r.state(); doc.State == nil {
		doc.State = []string{}
	}
	if r.cred.ID != "" {
		id, login := r.cred.ID, r.cred.Login()
		doc.CredentialID, doc.Login = &id, &login
	}
	if d := r.delivered; d != nil {
		dd := model.NewDeliveryDoc(*d)
		doc.Delivery = &dd
	}
	if !secret.Empty() {
		b, err := model.MarshalSecretJSON(secret)
		if err != nil {
			return err
		}
		doc.Secret = b
	}
	if r.saved != "" && r.saved != "stdout" {
		doc.SecretFile = &r.saved
	}
	w := bufio.NewWriter(r.stdout)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	return w.Flush()
}
