package model

import "testing"

// The catalog holds every service known to take service-specific
// credentials, with the facts that differ between them as data.
func TestCatalogAsData(t *testing.T) {
	want := map[string]Service{
		XRay:           {Short: "X-Ray", Kind: KindAPIKey, Expiry: true, ManagedPolicy: "AWSXRayAPIKeyAccess"},
		CloudWatch:     {Short: "Metrics", Kind: KindAPIKey, Expiry: true, ManagedPolicy: "CloudWatchAPIKeyAccess"},
		ClaudePlatform: {Short: "Claude", Kind: KindAPIKey, Expiry: true, SecretPrefix: "AEAA", ConsoleUserPrefix: "AeaApiKey-", ManagedPolicy: "AnthropicLimitedAccess"},
		Bedrock:        {Short: "Bedrock", Kind: KindAPIKey, Expiry: true, SecretPrefix: "ABSK", ConsoleUserPrefix: "BedrockAPIKey-", ManagedPolicy: "AmazonBedrockLimitedAccess"},
		CodeCommit:     {Short: "Git", Kind: KindPassword},
	}
	for name, w := range want {
		s := LookupService(name)
		if !s.Known() || s.Short != w.Short || s.Kind != w.Kind || s.SupportsExpiry() != w.Expiry || s.SecretPrefix != w.SecretPrefix ||
			s.ConsoleUserPrefix != w.ConsoleUserPrefix || s.ManagedPolicy != w.ManagedPolicy {
			t.Errorf("%s: %+v", name, s)
		}
	}
	if n := len(Catalog()); n != 7 {
		t.Errorf("%d services in the catalog", n)
	}
	for in, name := range map[string]string{"xray": XRay, "X-Ray": XRay, "claude": ClaudePlatform, "metrics": CloudWatch, "cloudwatch": CloudWatch} {
		if got, ok := ResolveService(in); !ok || got != name {
			t.Errorf("%q → %q, want %q", in, got, name)
		}
	}
	if s := LookupService(XRay); s.Noun() != "X-Ray API key" {
		t.Errorf("noun %q", s.Noun())
	}
}
