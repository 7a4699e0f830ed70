package localiam

import (
	"encoding/base64"
	"io"
	"slices"
	"strings"
)

// service is one AWS service that accepts service-specific credentials. What
// differs between services is data here, not code in the handlers.
type service struct {
	Name string
	// APIKey services answer with ServiceCredentialAlias/ServiceCredentialSecret
	// (and an optional ExpirationDate) instead of ServiceUserName/ServicePassword.
	APIKey bool
	// SecretPrefix, when set, makes the secret Prefix + base64("<alias>:<random>"),
	// the format observed for Bedrock (ABSK) and Claude Platform (AEAA) keys
	// (contract §4.3, third-party evidence only). Otherwise it is random base64.
	SecretPrefix string
	// ConsoleUser is the name prefix of the user the console's API-key flow
	// makes for each key, and Policy the managed policy it attaches (contract
	// §4.3, third-party evidence); the seeds make such users.
	ConsoleUser, Policy string
}

// services is the table of supported ServiceName values (contract §4.1). AWS adds
// services over time; a new one is a new row.
var services = []service{
	{Name: "codecommit.amazonaws.com"},
	{Name: "cassandra.amazonaws.com"},
	{Name: "bedrock.amazonaws.com", APIKey: true, SecretPrefix: "ABSK", ConsoleUser: "BedrockAPIKey-", Policy: "AmazonBedrockLimitedAccess"},
	{Name: "logs.amazonaws.com", APIKey: true, Policy: "CloudWatchLogsAPIKeyAccess"},
	// CloudWatch Metrics: the name is from the latest IAM User Guide page only
	// (contract §4.1: UNCERTAIN whether it is GA everywhere).
	{Name: "cloudwatch.amazonaws.com", APIKey: true, Policy: "CloudWatchAPIKeyAccess"},
	{Name: "aws-external-anthropic.amazonaws.com", APIKey: true, SecretPrefix: "AEAA", ConsoleUser: "AeaApiKey-", Policy: "AnthropicLimitedAccess"},
	// X-Ray: "An X-Ray API key is an IAM service-specific credential for
	// xray.amazonaws.com" [Docs X-Ray developer guide]; managed policy
	// AWSXRayAPIKeyAccess (2026-10-27). Its secret format is UNCERTAIN.
	{Name: "xray.amazonaws.com", APIKey: true, Policy: "AWSXRayAPIKeyAccess"},
}

func lookupService(name string) (service, bool) {
	for _, s := range services {
		if s.Name == name {
			return s, true
		}
	}
	return service{}, false
}

// lookupService finds name in the table or among Config.ExtraServices: the
// services AWS has in this endpoint's world, one of which a client may not
// know yet.
func (s *Server) lookupService(name string) (service, bool) {
	if svc, ok := lookupService(name); ok {
		return svc, true
	}
	if slices.Contains(s.extraServices, name) {
		return service{Name: name, APIKey: true}, true
	}
	return service{}, false
}

// newSecret returns the one-time password (password services) or API-key secret.
func (s service) newSecret(r io.Reader, alias string) string {
	switch {
	case s.SecretPrefix != "":
		payload := alias + ":" + randomBase64(r, 45)
		return s.SecretPrefix + base64.StdEncoding.EncodeToString([]byte(payload))
	case s.APIKey:
		return randomBase64(r, 48)
	default:
		// 32 bytes give the 44-character, "="-terminated password of the CLI examples.
		return randomBase64(r, 32)
	}
}

// awsPolicyPrefix begins the ARN of every AWS managed policy.
const awsPolicyPrefix = "arn:aws:iam::aws:policy/"

// managedPolicies are the AWS managed policies AttachUserPolicy accepts, besides
// each service's own (services[].Policy): a few that make a user "at risk" in
// a demo, and common ones. Any other ARN is NoSuchEntity, as for a policy that
// does not exist. Customer managed policies are not modelled.
var managedPolicies = []string{
	"AdministratorAccess", "PowerUserAccess", "ReadOnlyAccess", "IAMFullAccess", "IAMUserChangePassword",
	"AmazonBedrockFullAccess", "AWSCodeCommitPowerUser", "AmazonKeyspacesFullAccess", "AmazonS3ReadOnlyAccess",
}

// policyExists reports whether arn names an AWS managed policy the endpoint knows.
func policyExists(arn string) bool {
	name, ok := strings.CutPrefix(arn, awsPolicyPrefix)
	if !ok {
		return false
	}
	for _, p := range managedPolicies {
		if p == name {
			return true
		}
	}
	for _, s := range services {
		if s.Policy != "" && s.Policy == name {
			return true
		}
	}
	return false
}
