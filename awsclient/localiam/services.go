package localiam

import (
	"encoding/base64"
	"io"
)

// service is one AWS service that accepts service-specific credentials.
type service struct {
	Name string
	// APIKey services answer with ServiceCredentialAlias/ServiceCredentialSecret
	// (and an optional ExpirationDate) instead of ServiceUserName/ServicePassword.
	APIKey bool
	// secret makes the one-time secret; nil means the default for the kind.
	secret func(r io.Reader, alias string) string
}

// services is the table of supported ServiceName values (contract §4.1). AWS adds
// services over time; a new one is a new row.
var services = []service{
	{Name: "codecommit.amazonaws.com"},
	{Name: "cassandra.amazonaws.com"},
	{Name: "bedrock.amazonaws.com", APIKey: true, secret: bedrockSecret},
	{Name: "logs.amazonaws.com", APIKey: true},
	{Name: "cloudwatch.amazonaws.com", APIKey: true},
	{Name: "aws-external-anthropic.amazonaws.com", APIKey: true},
}

func lookupService(name string) (service, bool) {
	for _, s := range services {
		if s.Name == name {
			return s, true
		}
	}
	return service{}, false
}

// newSecret returns the one-time password (password services) or API-key secret.
func (s service) newSecret(r io.Reader, alias string) string {
	switch {
	case s.secret != nil:
		return s.secret(r, alias)
	case s.APIKey:
		return randomBase64(r, 48)
	default:
		// 32 bytes give the 44-character, "="-terminated password of the CLI examples.
		return randomBase64(r, 32)
	}
}

// bedrockSecret follows the observed format ABSK + base64("<alias>:<secret>")
// (contract §4.3, third-party evidence only).
func bedrockSecret(r io.Reader, alias string) string {
	payload := alias + ":" + randomBase64(r, 45)
	return "ABSK" + base64.StdEncoding.EncodeToString([]byte(payload))
}
