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
}

type rotationDoc struct {
	Result       RotationResult  `json:"result"`
	Step         *stepDoc        `json:"step"`
	Message      string          `json:"message"`
	User         string          `json:"user"`
	ServiceName  string          `json:"service_name"`
	State        []string        `json:"state"`
	Next         string          `json:"next"`
	Old          *credentialDoc  `json:"old"`
	OtherDeleted *string         `json:"other_deleted"`
	New          *credentialDoc  `json:"new"`
	Secret       json.RawMessage `json:"secret"`
	SecretFile   *string         `json:"secret_file"`
}

type stepDoc struct {
	Number int    `json:"number"`
	Name   string `json:"name"`
}

type credentialDoc struct {
	ID      string  `json:"credential_id"`
	Login   string  `json:"login"`
	Status  string  `json:"status"` // "deleted" once deleted
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
// it stopped at ({number, name} or null), message, user, service_name, state
// (Rotation.State's lines), next (Rotation.Next), old and new ({credential_id,
// login, status, created, expires} or null), other_deleted (an ID or null), secret
// (the secret record of SecretColumns, or null) and secret_file (or null).
// Controls that SafeText replaces are escaped, as in the audit's JSON.
func WriteRotationJSON(w io.Writer, rep RotationReport) error {
	r := rep.Rotation
	p := r.Plan
	doc := rotationDoc{
		Result: rep.Result, Message: rep.Message, User: rep.User, ServiceName: rep.Service,
		State: r.State(), Next: r.Next(), Secret: json.RawMessage("null"),
	}
	if rep.Step != 0 {
		doc.Step = &stepDoc{int(rep.Step), rep.Step.String()}
	}
	if p.Old.ID != "" {
		doc.User, doc.ServiceName = p.Old.UserName, p.Old.Service
		status := string(r.OldStatus)
		if r.OldDeleted {
			status = "deleted"
		}
		doc.Old = newCredentialDoc(p.Old, status)
	}
	if r.OtherDeleted {
		doc.OtherDeleted = &p.Other.ID
	}
	if r.Created() {
		status := string(r.New.Status)
		if r.NewDeleted {
			status = "deleted"
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
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(escapeJSONControls(b), '\n'))
	return err
}
