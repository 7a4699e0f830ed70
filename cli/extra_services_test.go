package cli

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"iamcreds/awsclient/localiam"
)

// newServiceKey makes a credential of service for user on the endpoint at base,
// as a service AWS added after this release would have one.
func newServiceKey(t *testing.T, base, user, service string) {
	t.Helper()
	resp, err := http.PostForm(base, url.Values{"Action": {"CreateServiceSpecificCredential"}, "Version": {"2010-05-08"},
		"UserName": {user}, "ServiceName": {service}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("creating a %s key: HTTP %d", service, resp.StatusCode)
	}
}

// --extra-services and services = [...] add names to the AllUsers scan.
func TestAuditExtraServices(t *testing.T) {
	auditAWSEnv(t)
	writeSettings(t, "") // no developer's settings file
	base, _ := serveAuditIAM(t, localiam.Config{Seed: "demo", ExtraServices: []string{"next.amazonaws.com"}})
	newServiceKey(t, base, "ana", "next.amazonaws.com")
	with := runAuditTest(t, false, "--endpoint-url", base, "--format", "csv", "--extra-services", "next.amazonaws.com")
	if with.code != exitOK || !strings.Contains(with.stdout, "\nana,next.amazonaws.com,next.amazonaws.com,") {
		t.Fatalf("--extra-services: exit %d\n%s%s", with.code, with.stdout, with.stderr)
	}
	writeSettings(t, "services = [\"next.amazonaws.com\"]\n")
	fromFile := runAuditTest(t, false, "--endpoint-url", base, "--format", "csv")
	if fromFile.code != exitOK || fromFile.stdout != with.stdout {
		t.Fatalf("services in config.toml: exit %d\n%s%s", fromFile.code, fromFile.stdout, fromFile.stderr)
	}
	for _, bad := range []string{"next", "Next.amazonaws.com", "next.amazonaws.com,x y.amazonaws.com", "https://next.amazonaws.com"} {
		r := runAuditTest(t, false, "--endpoint-url", base, "--extra-services", bad)
		if r.code != exitUsage || r.stdout != "" || !strings.Contains(r.stderr, "is not a service name such as xray.amazonaws.com") {
			t.Errorf("--extra-services %q: exit %d, stderr %q", bad, r.code, r.stderr)
		}
	}
}

func TestTUIExtraServicesFlag(t *testing.T) {
	writeSettings(t, "")
	got, code, stderr := runTUIFlags(t, "--extra-services", "b.amazonaws.com, a.amazonaws.com,b.amazonaws.com")
	if code != exitOK || got == nil || !slices.Equal(got.extraServices, []string{"b.amazonaws.com", "a.amazonaws.com"}) ||
		!slices.Equal(got.config().ExtraServices, got.extraServices) {
		t.Fatalf("exit %d %q: %+v", code, stderr, got)
	}
	if _, code, stderr := runTUIFlags(t, "--extra-services", "xray"); code != exitUsage || !strings.Contains(stderr, `--extra-services "xray": "xray" is not a service name`) {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

// A user's own listing shows every service: when IAM refuses AllUsers and
// audit lists users one by one, a service the scan lacks is warned of on
// stderr, named in the metadata of every format, and its credentials kept.
func TestAuditNamesUnscannedServices(t *testing.T) {
	auditAWSEnv(t)
	writeSettings(t, "")
	base, _ := serveAuditIAM(t, localiam.Config{Seed: "demo", ExtraServices: []string{"next.amazonaws.com"},
		Faults: localiam.Faults{Deny: []string{denyAllUsers}}})
	newServiceKey(t, base, "ana", "next.amazonaws.com")
	for format, want := range map[string]string{
		"csv":      "; unscanned services next.amazonaws.com\n",
		"table":    "; unscanned services next.amazonaws.com\n",
		"markdown": "unscanned services next.amazonaws.com",
		"json":     `"unscanned_services": [`,
		"jsonl":    `"unscanned_services":["next.amazonaws.com"]`,
	} {
		r := runAuditTest(t, false, "--endpoint-url", base, "--format", format)
		if r.code != exitOK || !strings.Contains(r.stdout, want) || !strings.Contains(r.stdout, "next.amazonaws.com-") && !strings.Contains(r.stdout, "ana") {
			t.Errorf("%s: exit %d, want %q in\n%s", format, r.code, want, r.stdout)
		}
		if !strings.Contains(r.stderr, `warning: IAM listed credentials of next.amazonaws.com, which the scan does not list`) ||
			!strings.Contains(r.stderr, `--extra-services next.amazonaws.com or services = ["next.amazonaws.com"]`) {
			t.Errorf("%s: stderr %q", format, r.stderr)
		}
	}
	csv := runAuditTest(t, false, "--endpoint-url", base, "--format", "csv")
	if !strings.Contains(csv.stdout, "\nana,next.amazonaws.com,next.amazonaws.com,") {
		t.Fatalf("the unscanned service's credential is not in the report:\n%s", csv.stdout)
	}
	// Once named, it is scanned and nothing is said.
	named := runAuditTest(t, false, "--endpoint-url", base, "--format", "csv", "--extra-services", "next.amazonaws.com")
	if strings.Contains(named.stdout, "unscanned") || strings.Contains(named.stderr, "warning") {
		t.Fatalf("named: %s\n%s", named.stdout, named.stderr)
	}
}

// Across accounts, an account read user by user names what its users' own
// listings show beyond the scan, in the one report's metadata.
func TestAuditOrgNamesUnscannedServices(t *testing.T) {
	auditAWSEnv(t)
	writeSettings(t, "")
	base, _ := serveAuditIAM(t, localiam.Config{Seed: "org:demo", ExtraServices: []string{"next.amazonaws.com"},
		Faults: localiam.Faults{Deny: []string{denyAllUsers}}})
	newServiceKey(t, base, "ana", "next.amazonaws.com") // in the management account
	r := runAuditTest(t, false, "--org", "--endpoint-url", base, "--format", "json")
	if !strings.Contains(r.stdout, `"unscanned_services": [`) || !strings.Contains(r.stdout, `"next.amazonaws.com"`) ||
		!strings.Contains(r.stderr, "warning: IAM listed credentials of next.amazonaws.com") {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}
