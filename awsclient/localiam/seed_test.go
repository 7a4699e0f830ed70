package localiam

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestDemoDeterministic(t *testing.T) {
	a, clock := newServer(t, Config{Seed: "demo"})
	b, _ := newServer(t, Config{Seed: "demo", Now: clock.Now})
	for _, kv := range [][]string{
		{"Action", "ListUsers"},
		{"Action", "ListServiceSpecificCredentials", "AllUsers", "true"},
		{"Action", "ListServiceSpecificCredentials", "AllUsers", "true", "ServiceName", bedrock, "MaxItems", "2"},
		{"Action", "ListServiceSpecificCredentials", "UserName", "sofia"},
	} {
		ra, rb := resultOnly(do(t, a, kv...).body), resultOnly(do(t, b, kv...).body)
		if ra != rb {
			t.Fatalf("%v differs:\n%s\n%s", kv, ra, rb)
		}
	}
	// Another clock moves the dates but not the IDs.
	c, _ := newServer(t, Config{Seed: "demo", Now: func() time.Time { return clock.Now().Add(time.Hour) }})
	ra := listAll(t, a, "100", "AllUsers", "true")
	rc := listAll(t, c, "100", "AllUsers", "true")
	for i := range ra {
		if ra[i].ServiceSpecificCredentialId != rc[i].ServiceSpecificCredentialId || ra[i].CreateDate == rc[i].CreateDate {
			t.Fatalf("clock shift: %+v vs %+v", ra[i], rc[i])
		}
	}
}

func TestDemoContents(t *testing.T) {
	s, clock := newServer(t, Config{Seed: "demo"})
	now := clock.Now()
	users := listUsers(t, s)
	if len(users) < 12 || len(users) > 24 {
		t.Fatalf("%d demo users", len(users))
	}
	names, paths := map[string]bool{}, map[string]bool{}
	oldest := now
	for _, u := range users {
		names[u.UserName] = true
		paths[u.Path] = true
		if c := parseTime(t, u.CreateDate); c.Before(oldest) {
			oldest = c
		}
	}
	for _, n := range []string{"ops.bot@ci", "jane+test", "svc=build,deploy"} {
		if !names[n] {
			t.Errorf("no user %s", n)
		}
	}
	if len(paths) < 3 || now.Sub(oldest) < 2*365*24*time.Hour || now.Sub(oldest) > 4*365*24*time.Hour {
		t.Errorf("paths %v, oldest user %v", paths, oldest)
	}

	creds := listAll(t, s, "100", "AllUsers", "true")
	withCreds := map[string]bool{}
	var gitActive, gitInactive, plusOne, oldKeyspaces, expiringSoon, neverExpires, expired, logsKeys int
	for _, c := range creds {
		withCreds[c.UserName] = true
		created := parseTime(t, c.CreateDate)
		if created.After(now) {
			t.Errorf("created in the future: %+v", c)
		}
		switch c.ServiceName {
		case codecommit:
			if c.Status == "Active" {
				gitActive++
			} else if c.Status == "Inactive" {
				gitInactive++
			}
			if strings.HasSuffix(c.ServiceUserName, "+1-at-123456789012") {
				plusOne++
			}
		case keyspaces:
			if now.Sub(created) > 365*24*time.Hour {
				oldKeyspaces++
			}
		case bedrock:
			switch {
			case c.ExpirationDate == "":
				neverExpires++
			case c.Status == "Expired":
				expired++
			case parseTime(t, c.ExpirationDate).Sub(now) < 4*24*time.Hour:
				expiringSoon++
			}
		case logs:
			logsKeys++
		}
	}
	if gitActive == 0 || gitInactive == 0 || plusOne == 0 || oldKeyspaces == 0 || expiringSoon == 0 || neverExpires == 0 || expired == 0 || logsKeys == 0 {
		t.Fatalf("demo lacks a case: git %d/%d, +1 %d, old keyspaces %d, bedrock soon %d never %d expired %d, logs %d",
			gitActive, gitInactive, plusOne, oldKeyspaces, expiringSoon, neverExpires, expired, logsKeys)
	}
	if len(users)-len(withCreds) < 3 {
		t.Fatalf("only %d users without credentials", len(users)-len(withCreds))
	}
}

func TestScaleSeed(t *testing.T) {
	for _, n := range []int{0, 1, 1000} {
		s, clock := newServer(t, Config{Seed: "scale:" + itoa(n)})
		users := listUsers(t, s)
		if len(users) != n {
			t.Fatalf("scale:%d has %d users", n, len(users))
		}
		creds := listAll(t, s, "1000", "AllUsers", "true")
		if n == 1000 && (len(creds) < 1700 || len(creds) > 2300) {
			t.Fatalf("scale:1000 has %d credentials", len(creds))
		}
		perUserService := map[string]int{}
		for _, c := range creds {
			perUserService[c.UserName+" "+c.ServiceName]++
			if perUserService[c.UserName+" "+c.ServiceName] > 2 || parseTime(t, c.CreateDate).After(clock.Now()) {
				t.Fatalf("scale:%d: %+v", n, c)
			}
		}
		again, _ := newServer(t, Config{Seed: "scale:" + itoa(n), Now: clock.Now})
		if resultOnly(do(t, s, "Action", "ListServiceSpecificCredentials", "AllUsers", "true", "MaxItems", "50").body) !=
			resultOnly(do(t, again, "Action", "ListServiceSpecificCredentials", "AllUsers", "true", "MaxItems", "50").body) {
			t.Fatalf("scale:%d is not deterministic", n)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// A seed that is none of the kinds names every kind, org: ones included.
func TestUnknownSeedNamesEveryKind(t *testing.T) {
	_, err := New(Config{Seed: filepath.Join(t.TempDir(), "no-such-seed")})
	if err == nil {
		t.Fatal("an unknown seed was accepted")
	}
	for _, kind := range []string{"empty", "demo", "scale:N", "org:demo", "org:ACCOUNTSxUSERS", "JSON file"} {
		if !strings.Contains(err.Error(), kind) {
			t.Errorf("the error omits %s: %v", kind, err)
		}
	}
}
