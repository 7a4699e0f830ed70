package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"iamcreds/awsclient"
	"iamcreds/model"
)

// whoisActor carries out --deactivate or --delete on each matched credential:
// the credential the lookup named, by its ID, read again first; the outcome is
// done, not done or unknown, and says so.
type whoisActor struct {
	f      whoisFlags
	env    cliEnv
	stderr io.Writer
}

func (a whoisActor) apply(ctx context.Context, r *whoisReport, c *awsclient.Client) {
	if r.Credential == nil || c == nil {
		return // nothing matched, or a candidate among several: nothing is touched
	}
	cred := r.match.Credential
	act := &whoisAction{Requested: "deactivate"}
	if a.f.delete {
		act.Requested = "delete"
	}
	r.Action = act
	if a.f.delete && r.match.ByUserOnly {
		act.Outcome = model.OutcomeNotDone
		act.Detail = "refused: matched by user only, so not tied to this key for certain; if it is the key: " +
			deleteCommand(cred, r.Account)
		return
	}
	// Read it again: the lookup may be minutes old (a prompt), and another hand
	// may have acted since.
	listed, err := c.ListCredentials(ctx, cred.UserName)
	if err != nil {
		act.Outcome, act.Detail, r.err = model.OutcomeNotDone, "could not read it again: "+model.RedactKeys(err.Error()), err
		return
	}
	fresh, ok := findCredential(listed, cred.ID)
	if !ok {
		act.Outcome, act.Detail, r.Live = model.OutcomeDone, "already gone: deleted since it was looked up", false
		return
	}
	r.Credential = whoisCred(fresh)
	r.Live = fresh.Status == model.Active && !fresh.IsExpired(a.env.now())
	if a.f.deactivate {
		a.deactivate(ctx, r, c, fresh)
		return
	}
	a.remove(ctx, r, c, fresh)
}

func (a whoisActor) deactivate(ctx context.Context, r *whoisReport, c *awsclient.Client, cred model.Credential) {
	act := r.Action
	if cred.Status != model.Active {
		act.Outcome, act.Detail = model.OutcomeDone, fmt.Sprintf("nothing to do: %s is %s already", cred.ID, model.SafeText(string(cred.Status)))
		return
	}
	err := c.SetStatus(ctx, cred.UserName, cred.ID, model.Inactive)
	act.Outcome = model.OutcomeOf(err)
	switch act.Outcome {
	case model.OutcomeDone:
		act.Detail = cred.ID + " is Inactive now: the key stops working"
		act.Undo = fmt.Sprintf("aws iam update-service-specific-credential --user-name %s --service-specific-credential-id %s --status Active%s",
			shellWord(cred.UserName), cred.ID, inAccountText(r.Account))
		r.Credential.Status, r.Live = string(model.Inactive), false
	case model.OutcomeUnknown:
		act.Detail = "the reply was lost: " + model.CheckUnknown(model.SafeText(cred.UserName), cred.ID, "may be Inactive or still Active")
		r.err = err
	default:
		act.Detail, r.err = model.RedactKeys(err.Error()), err
	}
}

func (a whoisActor) remove(ctx context.Context, r *whoisReport, c *awsclient.Client, cred model.Credential) {
	act := r.Action
	if !a.f.yes && !a.confirm(cred, r.Account) {
		act.Outcome, act.Detail = model.OutcomeNotDone, "not confirmed: nothing was changed"
		return
	}
	err := c.Delete(ctx, cred.UserName, cred.ID)
	act.Outcome = model.OutcomeOf(err)
	switch act.Outcome {
	case model.OutcomeDone:
		act.Detail = cred.ID + " is deleted: the key stops working; this cannot be undone (the user needs a new key)"
		r.Live = false
		r.Credential.Status = "Deleted"
	case model.OutcomeUnknown:
		act.Detail = "the reply was lost: " + model.CheckUnknown(model.SafeText(cred.UserName), cred.ID, "may still exist")
		r.err = err
	default:
		act.Detail, r.err = model.RedactKeys(err.Error()), err
	}
}

// confirm asks on the terminal (check made sure stdin is one without --yes).
func (a whoisActor) confirm(cred model.Credential, account string) bool {
	fmt.Fprintf(a.stderr, "Delete %s (user %s, %s, %s)%s? This cannot be undone. Type yes to delete: ",
		cred.ID, model.SafeText(cred.UserName), cred.Service, cred.Status, inAccountText(account))
	answer := readLine(a.env.input())
	return strings.TrimSpace(answer) == "yes"
}

// readLine reads up to a newline a byte at a time: nothing past it is taken
// from the terminal.
func readLine(r io.Reader) string {
	var b strings.Builder
	var buf [1]byte
	for b.Len() < 256 {
		n, err := r.Read(buf[:])
		if n == 1 {
			if buf[0] == '\n' {
				break
			}
			b.WriteByte(buf[0])
		}
		if err != nil {
			break
		}
	}
	return b.String()
}

func findCredential(cs []model.Credential, id string) (model.Credential, bool) {
	for _, c := range cs {
		if c.ID == id {
			return c, true
		}
	}
	return model.Credential{}, false
}

func deleteCommand(c model.Credential, account string) string {
	return fmt.Sprintf("aws iam delete-service-specific-credential --user-name %s --service-specific-credential-id %s%s",
		shellWord(c.UserName), model.SafeText(c.ID), inAccountText(account))
}

func inAccountText(account string) string {
	if account == "" {
		return ""
	}
	return " (in account " + account + ")"
}

// shellWord quotes an IAM user name for a shell command line when it needs it
// (IAM names are [\w+=,.@-]: only "=" and "," could matter to some shells).
func shellWord(s string) string {
	s = model.SafeText(s)
	if strings.ContainsAny(s, "=,'\" ") {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return s
}
