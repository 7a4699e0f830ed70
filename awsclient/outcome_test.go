package awsclient

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// colleague creates a credential for user straight on srv, as another admin
// would while a create of ours is on its way, and returns its ID.
func colleague(t *testing.T, srv *localiam.Server, user, service string) string {
	t.Helper()
	other := clientFor(t, srv)
	cred, _, err := other.CreateCredential(context.Background(), user, service, 0)
	if err != nil {
		t.Fatal(err)
	}
	return cred.ID
}

// A create that never reaches IAM, while another client creates a credential
// for the same user: the credential that appeared is named as of unknown
// origin, never as ours, and stays in IAM.
func TestCreateNeverClaimsACredentialItCannotTie(t *testing.T) {
	for _, how := range []string{"timed out", "request dropped"} {
		t.Run(how, func(t *testing.T) {
			ctx := context.Background()
			srv, err := localiam.New(localiam.Config{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { srv.Close() })
			var theirs string
			var h http.Handler
			switch how {
			case "timed out": // held at a proxy until the client gives up; never forwarded
				h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if actionOf(r) == "CreateServiceSpecificCredential" {
						theirs = colleague(t, srv, "ana", model.CodeCommit)
						<-r.Context().Done()
						return
					}
					srv.ServeHTTP(w, r)
				})
			default: // lost on its way: the connection closes before IAM handles it
				h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if actionOf(r) == "CreateServiceSpecificCredential" {
						theirs = colleague(t, srv, "ana", model.CodeCommit)
						srv.SetFaults(localiam.Faults{DropRequest: map[string]int{"CreateServiceSpecificCredential": 1}})
					}
					srv.ServeHTTP(w, r)
				})
			}
			c := clientFor(t, h, func(cfg *Config) { cfg.ReplyTimeout = 300 * time.Millisecond })
			createUsers(t, c, "ana")
			_, secret, err := c.CreateCredential(ctx, "ana", model.CodeCommit, 0)
			if !secret.Empty() || errors.Is(err, model.ErrSecretLost) {
				t.Fatalf("the colleague's credential was taken for ours: %v", err)
			}
			me := asModelError(t, err, model.KindUnconfirmed)
			if me.ID != "" || !slices.Equal(me.Appeared, []string{theirs}) ||
				!strings.Contains(me.Message, "a new credential "+theirs+" appeared for ana; it may be this request's or someone else's") ||
				!strings.Contains(me.Message, "IAM may have created a Git credential for ana") {
				t.Fatalf("id %q, appeared %q, message %q", me.ID, me.Appeared, me.Message)
			}
			if held := mustList(t, clientFor(t, srv), "ana"); len(held) != 1 || held[0].ID != theirs {
				t.Fatalf("IAM holds %+v, want only the colleague's %s", held, theirs)
			}
		})
	}
}

// A create that ran out of time, with no new credential listed: it may still
// reach IAM, so the outcome is unknown, not "not created".
func TestTimedOutCreateWithNothingNewIsUnknown(t *testing.T) {
	srv, err := localiam.New(localiam.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	c := clientFor(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if actionOf(r) == "CreateServiceSpecificCredential" {
			<-r.Context().Done()
			return
		}
		srv.ServeHTTP(w, r)
	}), func(cfg *Config) { cfg.ReplyTimeout = 300 * time.Millisecond })
	createUsers(t, c, "ana")
	_, _, err = c.CreateCredential(context.Background(), "ana", model.CodeCommit, 0)
	me := asModelError(t, err, model.KindUnconfirmed)
	if !strings.Contains(me.Message, "may still reach IAM") || strings.Contains(me.Message, "did not create") {
		t.Fatalf("message %q", me.Message)
	}
}

// A request dropped on its way changes nothing, and the listing after it says so.
func TestDropRequestChangesNothing(t *testing.T) {
	c, srv, cnt := lossyEndpoint(t, "ana")
	srv.SetFaults(localiam.Faults{DropRequest: map[string]int{"CreateServiceSpecificCredential": 1}})
	_, _, err := c.CreateCredential(context.Background(), "ana", model.CodeCommit, 0)
	me := asModelError(t, err, model.KindUnreachable)
	if !strings.HasSuffix(me.Message, "; IAM did not create it") || len(mustList(t, c, "ana")) != 0 ||
		cnt.count("CreateServiceSpecificCredential") != 1 || srv.Injected().Dropped != 1 {
		t.Fatalf("%q; %d sent", me.Message, cnt.count("CreateServiceSpecificCredential"))
	}
	if err := (localiam.Faults{DropRequest: map[string]int{"NoSuchAction": 1}}).Validate(); err == nil || !strings.Contains(err.Error(), "drop-request") {
		t.Fatalf("validate: %v", err)
	}
}
