package model

import "sort"

// Service names IAM accepts for service-specific credentials. Sources: see
// the catalog below and docs/services.md.
const (
	CodeCommit     = "codecommit.amazonaws.com"
	Keyspaces      = "cassandra.amazonaws.com"
	Bedrock        = "bedrock.amazonaws.com"
	Logs           = "logs.amazonaws.com"
	CloudWatch     = "cloudwatch.amazonaws.com"
	ClaudePlatform = "aws-external-anthropic.amazonaws.com"
	XRay           = "xray.amazonaws.com"
)

// CredentialKind says what a service hands out: a user name and password, or an
// API key (alias and secret).
type CredentialKind int

const (
	// KindUnknown is a service IAM returned that the catalog does not know.
	KindUnknown CredentialKind = iota
	// KindPassword services return ServiceUserName + ServicePassword.
	KindPassword
	// KindAPIKey services return ServiceCredentialAlias + ServiceCredentialSecret.
	KindAPIKey
)

// Service describes one entry of the service catalog: what differs between
// services is data here, not code where they are used.
type Service struct {
	Name    string // the IAM service name, e.g. codecommit.amazonaws.com
	Display string // what a person reads, e.g. "CodeCommit Git credentials"
	Short   string // a column-sized label, e.g. "Git"
	Kind    CredentialKind
	// Expiry: CreateServiceSpecificCredential takes CredentialAgeDays ("only
	// valid for services that support long-term API keys" [Model]).
	Expiry bool
	// BearerEnv is the environment variable the service's SDKs read the API key
	// from, when there is one (Bedrock: AWS_BEARER_TOKEN_BEDROCK).
	BearerEnv string
	// SecretPrefix begins the secret, where it is known: ABSK for Bedrock, AEAA
	// for Claude Platform (third-party decoders only; AWS documents neither).
	SecretPrefix string
	// ConsoleUserPrefix names the IAM user the console's API-key flow makes for
	// each key (prefix + 4 random characters), where the console does so.
	ConsoleUserPrefix string
	// ManagedPolicy is the AWS managed policy for the service's API keys, the
	// one the console attaches to the user it makes.
	ManagedPolicy string
}

// Known reports whether the service is in the catalog.
func (s Service) Known() bool { return s.Kind != KindUnknown }

// SupportsExpiry reports whether CredentialAgeDays applies.
func (s Service) SupportsExpiry() bool { return s.Expiry }

// LoginLabel is what the service's login field is called: "user name" or "alias".
func (s Service) LoginLabel() string {
	if s.Kind == KindAPIKey {
		return "alias"
	}
	return "user name"
}

// SecretLabel is what the secret is called: "password" or "API key".
func (s Service) SecretLabel() string {
	if s.Kind == KindAPIKey {
		return "API key"
	}
	return "password"
}

// Noun is what one of the service's credentials is called in a sentence:
// "CodeCommit credential", "Bedrock API key".
func (s Service) Noun() string {
	switch s.Name {
	case CodeCommit:
		return "CodeCommit credential"
	case Keyspaces:
		return "Keyspaces credential"
	}
	if s.Kind == KindAPIKey {
		return s.Short + " API key"
	}
	return s.Display + " credential"
}

// catalog is every service known to take service-specific credentials, in
// display order. A service AWS adds is one row here; until a release has it,
// --extra-services or services = [...] in config.toml adds its name to the
// scan, and it shows by its raw name.
//
// Sources (docs/services.md has the details):
//   - codecommit, cassandra: password credentials [LocalStack snapshots
//     validated against AWS; AWS CLI examples].
//   - bedrock: API key; ABSK prefix and BedrockAPIKey- users with
//     AmazonBedrockLimitedAccess [Docs IAM User Guide "API keys for AWS
//     services"; 3P BeyondTrust, Wiz].
//   - logs: API key, CloudWatchLogsAPIKeyAccess [Docs CloudWatch Logs bearer
//     token authentication].
//   - cloudwatch: UNCERTAIN. Only the latest IAM User Guide page names
//     cloudwatch.amazonaws.com for CloudWatch Metrics' OTLP API keys; no other
//     source we have confirms the name or that it is GA. Its managed policy
//     CloudWatchAPIKeyAccess appeared 2026-05-08. Kept: listing an unknown name
//     is harmless (NoSuchEntity, which the scan reads as no credentials).
//   - aws-external-anthropic: Claude Platform on AWS; AEAA prefix, AeaApiKey-
//     users with AnthropicLimitedAccess [Docs IAM User Guide; 3P BeyondTrust
//     decoder_claude_platform.py].
//   - xray: "An X-Ray API key is an IAM service-specific credential for
//     xray.amazonaws.com"; AWSXRayAPIKeyAccess, 2026-10-27 [Docs X-Ray
//     developer guide]. Whether the console makes a user per key: UNCERTAIN.
var catalog = []Service{
	{Name: CodeCommit, Display: "CodeCommit Git credentials", Short: "Git", Kind: KindPassword},
	{Name: Keyspaces, Display: "Amazon Keyspaces (Cassandra)", Short: "Keyspaces", Kind: KindPassword},
	{Name: Bedrock, Display: "Amazon Bedrock API key", Short: "Bedrock", Kind: KindAPIKey, Expiry: true, BearerEnv: "AWS_BEARER_TOKEN_BEDROCK",
		SecretPrefix: "ABSK", ConsoleUserPrefix: "BedrockAPIKey-", ManagedPolicy: "AmazonBedrockLimitedAccess"},
	{Name: Logs, Display: "CloudWatch Logs API key", Short: "Logs", Kind: KindAPIKey, Expiry: true, ManagedPolicy: "CloudWatchLogsAPIKeyAccess"},
	{Name: CloudWatch, Display: "CloudWatch Metrics API key", Short: "Metrics", Kind: KindAPIKey, Expiry: true, ManagedPolicy: "CloudWatchAPIKeyAccess"},
	{Name: ClaudePlatform, Display: "Claude Platform on AWS API key", Short: "Claude", Kind: KindAPIKey, Expiry: true,
		SecretPrefix: "AEAA", ConsoleUserPrefix: "AeaApiKey-", ManagedPolicy: "AnthropicLimitedAccess"},
	{Name: XRay, Display: "AWS X-Ray API key", Short: "X-Ray", Kind: KindAPIKey, Expiry: true, ManagedPolicy: "AWSXRayAPIKeyAccess"},
}

// Catalog returns the services iamcreds can create credentials for, in display order.
func Catalog() []Service {
	out := make([]Service, len(catalog))
	copy(out, catalog)
	return out
}

// LookupService returns the catalog entry for name. A name the catalog does not
// know is still returned, labelled by its raw name, so that nothing IAM reports is
// ever dropped from view.
func LookupService(name string) Service {
	for _, s := range catalog {
		if s.Name == name {
			return s
		}
	}
	return Service{Name: name, Display: name, Short: name, Kind: KindUnknown}
}

// ServiceOrder sorts service names: catalog order first, unknown names after, by name.
func ServiceOrder(names []string) {
	rank := func(n string) int {
		for i, s := range catalog {
			if s.Name == n {
				return i
			}
		}
		return len(catalog)
	}
	sort.SliceStable(names, func(i, j int) bool {
		ri, rj := rank(names[i]), rank(names[j])
		if ri != rj {
			return ri < rj
		}
		return names[i] < names[j]
	})
}
