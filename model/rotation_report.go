package model

import (
	"encoding/json"
	"io"
)

// RotationResult is how a rotation run ended.
type RotationResult string

const (
	RotationDone    RotationResult = "done"    // every step asked for was done
	RotationStopped RotationResult = "stopped" // a rule stopped it at a step (the message says which)
	RotationFailed  RotationResult = "failed"  // IAM, the endpoint or the output failed at a step
)

// RotationReport is a rotation run for a script: where it stands and, when it
// is delivered in the report, the new secret.
type RotationReport struct {
	Rotation Rotation
	// User and Service name the rotation before a plan exists (a refusal to start).
	User, Service string
	Result        RotationResult
	// Step is the step it stopped or failed at; 0 when done or before any step.
	Step    RotationStep
	Message string // why it stopped or failed; "" when done
	// Secret, when not Empty, is written into the report ("secret"): the report
	// is where it is delivered. Else "secret" is null.
	Secret Secret
	// SecretFile is where the secret was written instead, if anywhere.
	SecretFile string
	// Delivery is step 3's delivery to a target, when it was tried.
	Delivery *DeliveryResult
}

type rotationDoc struct {
	Result       RotationResult  `json:"result"`
	Step         *stepDoc        `json:"step"`
	Steps        []stepDoc       `json:"steps"`
	Message      string          `json:"message"`
	User         string          `json:"user"`
	ServiceName  string          `json:"service_name"`
	State        []string        `json:"state"`
	Next         string          `json:"next"`
	Old          *credentialDoc  `json:"old"`
	OtherDeleted *string         `json:"other_deleted"`
	New          *credentialDoc  `json:"new"`
	Appeared     []credentialDoc `json:"appeared"`
	Secret       json.RawMessage `json:"secret"`
	SecretFile   *string         `json:"secret_file"`
	Delivery     *DeliveryDoc    `json:"delivery"`
}

type stepDoc struct {
	Number  int     `json:"number"`
	Name    string  `json:"name"`
	Outcome Outcome `json:"outcome"`
}

type credentialDoc struct {
	ID      string  `json:"credential_id"`
	Login   string  `json:"login"`
	Status  string  `json:"status"` // "deleted" once deleted; "unknown" when a write's outcome is
	Created string  `json:"created"`
	Expires *string `json:"expires"` // null: never expires
}

func newCredentialDoc(c Credential, status string) *credentialDoc {
	d := &credentialDoc{ID: c.ID, Login: c.Login(), Status: status, Created: rfc3339(c.Created)}
	if !c.Expires.IsZero() {
		exp := rfc3339(c.Expires)
		d.Expires = &exp
	}
	return d
}

// WriteRotationJSON writes rep as one indented JSON document: result, the step
// it stopped at ({number, name, outcome} or null), steps (each of the plan's,
// {number, name, outcome}: done, not_done or unknown), message, user,
// service_name, state (Rotation.State's lines), next (Rotation.Next), old and
// new ({credential_id, login, status, created, expires} or null; status
// "unknown" when a write to it may or may not have happened), appeared (the
// credentials of unknown origin that appeared during a create whose reply was
// lost), other_deleted (an ID or null), secret (the secret record of
// SecretColumns, or null), secret_file (or null) and delivery (DeliveryDoc,
// or null).
// Controls that SafeText replaces are escaped, as in the audit's JSON.
func WriteRotationJSON(w io.Writer, rep RotationReport) error {
	r := rep.Rotation
	p := r.Plan
	doc := rotationDoc{
		Result: rep.Result, Message: rep.Message, User: rep.User, ServiceName: rep.Service,
		State: r.State(), Next: r.Next(), Secret: json.RawMessage("null"), Steps: []stepDoc{}, Appeared: []credentialDoc{},
	}
	if rep.Step != 0 {
		doc.Step = &stepDoc{int(rep.Step), rep.Step.String(), r.Outcome(rep.Step)}
	}
	if p.Old.ID != "" {
		for _, s := range p.Steps() {
			doc.Steps = append(doc.Steps, stepDoc{int(s), s.String(), r.Outcome(s)})
		}
		doc.User, doc.ServiceName = p.Old.UserName, p.Old.Service
		status := string(r.OldStatus)
		switch {
		case r.OldDeleted, r.OldGone:
			status = "deleted"
		case r.OldDeleteUnknown, r.OldStatusUnknown:
			status = string(OutcomeUnknown)
		}
		doc.Old = newCredentialDoc(p.Old, status)
	}
	for _, c := range r.Appeared {
		doc.Appeared = append(doc.Appeared, *newCredentialDoc(c, string(c.Status)))
	}
	if r.OtherDeleted {
		doc.OtherDeleted = &p.Other.ID
	}
	if r.Created() {
		status := string(r.New.Status)
		switch {
		case r.NewDeleted:
			status = "deleted"
		case r.NewDeleteUnknown:
			status = string(OutcomeUnknown)
		}
		doc.New = newCredentialDoc(r.New, status)
	}
	if !rep.Secret.Empty() {
		b, err := MarshalSecretJSON(rep.Secret)
		if err != nil {
			return err
		}
		doc.Secret = b
	}
	if rep.SecretFile != "" {
		doc.SecretFile = &rep.SecretFile
	}
	if rep.Delivery != nil {
		d := NewDeliveryDoc(*rep.Delivery)
		doc.Delivery = &d
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(escapeJSONControls(b), '\n'))
	return err
}
