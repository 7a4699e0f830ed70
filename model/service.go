package model

import "sort"

// Service names IAM accepts for service-specific credentials.
const (
	CodeCommit = "codecommit.amazonaws.com"
	Keyspaces  = "cassandra.amazonaws.com"
	Bedrock    = "bedrock.amazonaws.com"
	Logs       = "logs.amazonaws.com"
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

// Service describes one entry of the service catalog.
type Service struct {
	Name    string // the IAM service name, e.g. codecommit.amazonaws.com
	Display string // what a person reads, e.g. "CodeCommit Git credentials"
	Short   string // a column-sized label, e.g. "Git"
	Kind    CredentialKind
	// BearerEnv is the environment variable the service's SDKs read the API key
	// from, when there is one (Bedrock: AWS_BEARER_TOKEN_BEDROCK).
	BearerEnv string
}

// Known reports whether the service is in the catalog.
func (s Service) Known() bool { return s.Kind != KindUnknown }

// SupportsExpiry reports whether CredentialAgeDays applies: only API-key services.
func (s Service) SupportsExpiry() bool { return s.Kind == KindAPIKey }

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

var catalog = []Service{
	{Name: CodeCommit, Display: "CodeCommit Git credentials", Short: "Git", Kind: KindPassword},
	{Name: Keyspaces, Display: "Amazon Keyspaces (Cassandra)", Short: "Keyspaces", Kind: KindPassword},
	{Name: Bedrock, Display: "Amazon Bedrock API key", Short: "Bedrock", Kind: KindAPIKey, BearerEnv: "AWS_BEARER_TOKEN_BEDROCK"},
	{Name: Logs, Display: "CloudWatch Logs API key", Short: "Logs", Kind: KindAPIKey},
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
