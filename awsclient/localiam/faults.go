package localiam

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Faults are failures injected before a request touches the state, in this
// order: latency, deny, throttle, fail.
type Faults struct {
	Latency, Jitter time.Duration // each request sleeps Latency + rand[0,Jitter)
	ThrottleRate    float64       // fraction of requests answered 400 Throttling "Rate exceeded"
	FailRate        float64       // fraction answered 500 ServiceFailure
	// Deny lists actions answered 403 AccessDenied, e.g. "CreateUser". The form
	// "ListServiceSpecificCredentials:AllUsers" denies only calls with AllUsers=true.
	// An "iam:" or "sts:" prefix is allowed.
	Deny []string
}

// Validate reports the first malformed setting.
func (f Faults) Validate() error {
	switch {
	case f.Latency < 0 || f.Jitter < 0:
		return fmt.Errorf("latency and jitter must not be negative")
	case !(f.ThrottleRate >= 0 && f.ThrottleRate <= 1):
		return fmt.Errorf("throttle rate %v is not between 0 and 1", f.ThrottleRate)
	case !(f.FailRate >= 0 && f.FailRate <= 1):
		return fmt.Errorf("fail rate %v is not between 0 and 1", f.FailRate)
	}
	for _, d := range f.Deny {
		if _, _, err := parseDeny(d); err != nil {
			return err
		}
	}
	return nil
}

// parseDeny splits "[iam:]Action[:AllUsers]" into the action and the qualifier.
func parseDeny(entry string) (action string, allUsersOnly bool, err error) {
	e := strings.TrimSpace(entry)
	for _, p := range []string{"iam:", "sts:"} {
		if len(e) > len(p) && strings.EqualFold(e[:len(p)], p) {
			e = e[len(p):]
		}
	}
	name, qual, hasQual := strings.Cut(e, ":")
	if _, known := actions[name]; !known {
		return "", false, fmt.Errorf("deny %q: unknown action %q (known: %s)", entry, name, strings.Join(actionNames(), ", "))
	}
	if hasQual && qual != "AllUsers" {
		return "", false, fmt.Errorf("deny %q: the only qualifier is :AllUsers", entry)
	}
	if hasQual && name != "ListServiceSpecificCredentials" {
		return "", false, fmt.Errorf("deny %q: :AllUsers applies only to ListServiceSpecificCredentials", entry)
	}
	return name, hasQual, nil
}

func actionNames() []string {
	names := make([]string, 0, len(actions))
	for n := range actions {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// faultSet is Faults compiled for the request path.
type faultSet struct {
	Faults
	deny map[string]bool // action → deny only AllUsers calls
}

func compileFaults(f Faults) *faultSet {
	fs := &faultSet{Faults: f, deny: map[string]bool{}}
	fs.Deny = slices.Clone(f.Deny) // the caller may reuse its slice
	for _, d := range f.Deny {
		name, allUsersOnly, err := parseDeny(d)
		if err != nil {
			continue
		}
		if only, seen := fs.deny[name]; seen && !only {
			continue // an unqualified entry already denies every call
		}
		fs.deny[name] = allUsersOnly
	}
	return fs
}

// delay sleeps the configured latency; false if the request was canceled.
func (f *faultSet) delay(ctx context.Context) bool {
	d := f.Latency
	if f.Jitter > 0 {
		d += rand.N(f.Jitter)
	}
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func chance(rate float64) bool { return rate >= 1 || rate > 0 && rand.Float64() < rate }

// injectFault returns the injected error for this request, if any.
func (s *Server) injectFault(f *faultSet, action string, form url.Values) *apiError {
	if allUsersOnly, denied := f.deny[action]; denied && (!allUsersOnly || strings.EqualFold(form.Get("AllUsers"), "true")) {
		return accessDenied(s.callerARN(), actions[action].prefix()+action, s.deniedResource(action, form))
	}
	if chance(f.ThrottleRate) {
		return errThrottled
	}
	if chance(f.FailRate) {
		return errServiceFailure
	}
	return nil
}

func (a action) prefix() string {
	if a.ns == stsNamespace {
		return "sts:"
	}
	return "iam:"
}

// deniedResource names the resource of a denied call as IAM would: the target
// user's ARN, or a wildcard when the call names no user.
func (s *Server) deniedResource(action string, form url.Values) string {
	if action == "GetCallerIdentity" {
		return "*"
	}
	name := form.Get("UserName")
	if name == "" {
		if action == "ListUsers" {
			return "arn:aws:iam::" + s.account + ":user/"
		}
		return "arn:aws:iam::" + s.account + ":user/*"
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if u := s.st.user(name); u != nil {
		return u.arn(s.account)
	}
	return "arn:aws:iam::" + s.account + ":user/" + name
}
