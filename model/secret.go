package model

// Secret is the one-time password or API-key secret IAM returns from Create and
// Reset, with the credential it belongs to. IAM never shows it again.
//
// Its formatting methods redact the value so that a Secret passed to a logger, an
// error or fmt by mistake prints nothing sensitive; Reveal is the one way out.
type Secret struct {
	Credential Credential
	value      string
}

// NewSecret wraps a secret value.
func NewSecret(c Credential, value string) Secret { return Secret{Credential: c, value: value} }

// Reveal returns the secret value. Call it only to show or copy it on request.
func (s Secret) Reveal() string { return s.value }

// Empty reports whether there is no secret value.
func (s Secret) Empty() bool { return s.value == "" }

// Masked is a display form that keeps the length visible and the value hidden.
func (s Secret) Masked() string {
	n := len(s.value)
	if n > 48 {
		n = 48
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = '*'
	}
	return string(b)
}

// BearerExport is the shell line that sets the service's bearer-token variable
// (Bedrock: export AWS_BEARER_TOKEN_BEDROCK=…), or "" when the service has none.
func (s Secret) BearerExport() string {
	env := s.Credential.ServiceInfo().BearerEnv
	if env == "" {
		return ""
	}
	return "export " + env + "=" + s.value
}

// String redacts the value.
func (s Secret) String() string { return "[secret redacted]" }

// GoString redacts the value for %#v.
func (s Secret) GoString() string { return "model.Secret{[redacted]}" }

// MarshalText redacts the value for encoders.
func (s Secret) MarshalText() ([]byte, error) { return []byte("[secret redacted]"), nil }
