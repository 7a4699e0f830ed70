package awsclient

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"iamcreds/model"
)

// fakeIAM answers each action with a handler of the test's; ListUsers and
// ListServiceSpecificCredentials otherwise get a valid reply (one user, ana,
// with no credentials).
type fakeIAM map[string]http.HandlerFunc

func (f fakeIAM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	action := actionOf(r)
	if target := r.Header.Get("X-Amz-Target"); target != "" { // Organizations' JSON protocol
		_, action, _ = strings.Cut(target, ".")
	}
	if h, ok := f[action]; ok {
		h(w, r)
		return
	}
	switch action {
	case "ListUsers":
		reply(w, 200, "ListUsers", `<Users><member><UserName>ana</UserName><UserId>AIDAANA</UserId><Path>/</Path>`+
			`<Arn>arn:aws:iam::123456789012:user/ana</Arn><CreateDate>2026-01-02T03:04:05Z</CreateDate></member></Users><IsTruncated>false</IsTruncated>`)
	case "ListServiceSpecificCredentials":
		reply(w, 200, action, `<ServiceSpecificCredentials/><IsTruncated>false</IsTruncated>`)
	default:
		reply(w, 400, "", `<Code>InvalidAction</Code><Message>not faked</Message>`)
	}
}

// reply writes an IAM reply: {op}Result with inner XML for a 2xx, an
// ErrorResponse around inner otherwise; the request id in header and body.
func reply(w http.ResponseWriter, status int, op, inner string) {
	w.Header().Set("x-amzn-RequestId", "req-fake")
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	if status >= 300 {
		fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type>%s</Error><RequestId>req-fake</RequestId></ErrorResponse>`, inner)
		return
	}
	fmt.Fprintf(w, `<%sResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><%sResult>%s</%sResult>`+
		`<ResponseMetadata><RequestId>req-fake</RequestId></ResponseMetadata></%sResponse>`, op, op, inner, op, op)
}

func raw(status int, contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}
}

func credXML(id, user, service string, withSecret bool) string {
	s := fmt.Sprintf(`<UserName>%s</UserName><Status>Active</Status><ServiceUserName>%s-at-123456789012</ServiceUserName>`+
		`<CreateDate>2026-01-02T03:04:05Z</CreateDate><ServiceSpecificCredentialId>%s</ServiceSpecificCredentialId><ServiceName>%s</ServiceName>`,
		user, user, id, service)
	if withSecret {
		s += `<ServicePassword>c2VjcmV0IHZhbHVlIHRoYXQgbXVzdCBzdGF5IGhpZGRlbg==</ServicePassword>`
	}
	return s
}

const lostID = "ACCALOSTAAAAAAAAAAAAA"

// holdsLost lists ana's one credential, lostID.
func holdsLost(w http.ResponseWriter, r *http.Request) {
	reply(w, 200, "ListServiceSpecificCredentials", "<ServiceSpecificCredentials><member>"+credXML(lostID, "ana", model.CodeCommit, false)+
		"</member></ServiceSpecificCredentials><IsTruncated>false</IsTruncated>")
}

// createdOnce lists nothing until a Create has arrived, then one credential.
func createdOnce(createReply http.HandlerFunc) fakeIAM {
	var created atomic.Bool
	return fakeIAM{
		"CreateServiceSpecificCredential": func(w http.ResponseWriter, r *http.Request) {
			created.Store(true)
			createReply(w, r)
		},
		"ListServiceSpecificCredentials": func(w http.ResponseWriter, r *http.Request) {
			list := ""
			if created.Load() {
				list = "<member>" + credXML(lostID, "ana", model.CodeCommit, false) + "</member>"
			}
			reply(w, 200, "ListServiceSpecificCredentials", "<ServiceSpecificCredentials>"+list+"</ServiceSpecificCredentials><IsTruncated>false</IsTruncated>")
		},
	}
}

// blackHole accepts a request and never answers, until the client goes away
// or the test ends. The request's body must have been read, or the server
// cannot see the client go.
func blackHole(t *testing.T, n *atomic.Int32) http.HandlerFunc {
	stop := make(chan struct{})
	var once sync.Once
	t.Cleanup(func() { once.Do(func() { close(stop) }) })
	return func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}
}

func TestHostileReplies(t *testing.T) {
	var userHoles, createHoles atomic.Int32
	loopUsers := fakeIAM{"ListUsers": func(w http.ResponseWriter, r *http.Request) {
		reply(w, 200, "ListUsers", `<Users><member><UserName>ana</UserName><Arn>arn:aws:iam::1:user/ana</Arn></member></Users><IsTruncated>true</IsTruncated><Marker>m1</Marker>`)
	}}
	cycleCreds := fakeIAM{"ListServiceSpecificCredentials": func(w http.ResponseWriter, r *http.Request) {
		next := map[string]string{"": "A", "A": "B", "B": "A"}[formValue(r, "Marker")]
		reply(w, 200, "ListServiceSpecificCredentials", `<ServiceSpecificCredentials/><IsTruncated>true</IsTruncated><Marker>`+next+`</Marker>`)
	}}
	listUsers := func(c *Client) error { _, err := c.ListUsers(context.Background()); return err }
	listAna := func(c *Client) error { _, err := c.ListCredentials(context.Background(), "ana"); return err }
	inventory := func(c *Client) error { _, err := c.Inventory(context.Background(), nil); return err }
	create := func(c *Client) error {
		_, _, err := c.CreateCredential(context.Background(), "ana", model.CodeCommit, 0)
		return err
	}
	accounts := func(c *Client) error { _, err := c.Org(OrgOptions{}).Accounts(context.Background()); return err }
	reset := func(c *Client) error { _, _, err := c.Reset(context.Background(), "ana", lostID); return err }

	cases := []struct {
		name string
		fake fakeIAM
		call func(*Client) error
		kind model.ErrorKind
		want string // {url} is the endpoint
	}{
		{"HTML 500", fakeIAM{"ListUsers": raw(500, "text/html", "<html><body><h1>500 Internal Server Error</h1></body></html>")},
			listUsers, model.KindOther, "HTTP 500 from {url}: not an IAM response"},
		{"HTML 403 from a proxy", fakeIAM{"ListServiceSpecificCredentials": raw(403, "text/html", "<html>Forbidden by policy</html>")},
			inventory, model.KindOther, "HTTP 403 from {url}: not an IAM response"},
		{"empty 502 to a create", fakeIAM{"CreateServiceSpecificCredential": raw(502, "text/plain", "")},
			create, model.KindOther, "HTTP 502 from {url}: not an IAM response; IAM did not create it"},
		{"empty 200 to ListUsers", fakeIAM{"ListUsers": raw(200, "text/xml", "")},
			listUsers, model.KindOther, "the reply to ListUsers from {url} is empty: not an IAM response"},
		{"empty 200 to a scan", fakeIAM{"ListServiceSpecificCredentials": raw(200, "text/xml", "")},
			inventory, model.KindOther, "the reply to ListServiceSpecificCredentials from {url} is empty: not an IAM response"},
		{"empty 200 to a create", fakeIAM{"CreateServiceSpecificCredential": raw(200, "text/xml", "")},
			create, model.KindOther, "the reply to CreateServiceSpecificCredential from {url} is empty: not an IAM response; IAM did not create it"},
		{"create reply without a secret", createdOnce(func(w http.ResponseWriter, r *http.Request) {
			reply(w, 200, "CreateServiceSpecificCredential", "<ServiceSpecificCredential>"+credXML(lostID, "ana", model.CodeCommit, false)+"</ServiceSpecificCredential>")
		}), create, model.KindSecretLost, "IAM created " + lostID + " (a Git credential for ana) but its secret was never received: reset it to get a secret, or delete it"},
		{"create reply without an ID", createdOnce(func(w http.ResponseWriter, r *http.Request) {
			reply(w, 200, "CreateServiceSpecificCredential", "<ServiceSpecificCredential><ServicePassword>pw</ServicePassword></ServiceSpecificCredential>")
		}), create, model.KindUnconfirmed, "IAM may have created a Git credential for ana: the reply to CreateServiceSpecificCredential from {url} has no credential ID: not an IAM response; " +
			"a new credential " + lostID + " appeared for ana; it may be this request's or someone else's, so it was left alone. " +
			"If nobody else created it, reset it to get a secret, or delete it."},
		{"empty 200 to a reset", fakeIAM{"ListServiceSpecificCredentials": holdsLost, "ResetServiceSpecificCredential": raw(200, "text/xml", "")},
			reset, model.KindResetUnconfirmed, "The reset of " + lostID + " may have happened: the old secret may no longer work. Reset again to get one you can use."},
		{"reset reply without a secret", fakeIAM{
			"ListServiceSpecificCredentials": holdsLost,
			"ResetServiceSpecificCredential": func(w http.ResponseWriter, r *http.Request) {
				reply(w, 200, "ResetServiceSpecificCredential", "<ServiceSpecificCredential>"+credXML(lostID, "ana", model.CodeCommit, false)+"</ServiceSpecificCredential>")
			},
		}, reset, model.KindResetUnconfirmed, "The reset of " + lostID + " may have happened: the old secret may no longer work. Reset again to get one you can use."},
		{"reset reply about another credential", fakeIAM{
			"ListServiceSpecificCredentials": holdsLost,
			"ResetServiceSpecificCredential": func(w http.ResponseWriter, r *http.Request) {
				reply(w, 200, "ResetServiceSpecificCredential", "<ServiceSpecificCredential>"+credXML("ACCAOTHERAAAAAAAAAAAA", "ana", model.CodeCommit, true)+"</ServiceSpecificCredential>")
			},
		}, reset, model.KindResetUnconfirmed, "The reset of " + lostID + " may have happened: the old secret may no longer work. Reset again to get one you can use."},
		{"HTML 500 to a reset of a deleted credential", fakeIAM{"ResetServiceSpecificCredential": raw(500, "text/html", "<html>oops</html>")},
			reset, model.KindNotFound, "credential " + lostID + " of ana not found (deleted elsewhere?)"},
		{"truncated XML", fakeIAM{"ListUsers": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("x-amzn-RequestId", "req-fake")
			fmt.Fprint(w, `<ListUsersResponse><ListUsersResult><Users><member><UserName>a`)
		}},
			listUsers, model.KindOther, "the reply to ListUsers from {url} is not valid IAM XML (XML syntax error on line 1: unexpected EOF)"},
		{"no RequestId", fakeIAM{"ListUsers": raw(200, "text/xml", `<ListUsersResponse><ListUsersResult><Users/><IsTruncated>false</IsTruncated></ListUsersResult></ListUsersResponse>`)},
			listUsers, model.KindOther, "the reply to ListUsers from {url} has no RequestId: not an IAM response"},
		{"no user list", fakeIAM{"ListUsers": func(w http.ResponseWriter, r *http.Request) {
			reply(w, 200, "ListUsers", "<IsTruncated>false</IsTruncated>")
		}},
			listUsers, model.KindOther, "the reply to ListUsers from {url} has no user list: not an IAM response"},
		{"repeated Marker", loopUsers, listUsers, model.KindOther,
			"the reply to ListUsers from {url} repeats an earlier Marker, so the listing would never end: not an IAM response"},
		{"Marker cycle", cycleCreds, listAna, model.KindOther,
			"the reply to ListServiceSpecificCredentials from {url} repeats an earlier Marker, so the listing would never end: not an IAM response"},
		{"Marker cycle in a scan", cycleCreds, inventory, model.KindOther,
			"the reply to ListServiceSpecificCredentials from {url} repeats an earlier Marker, so the listing would never end: not an IAM response"},
		{"truncated without a Marker", fakeIAM{"ListServiceSpecificCredentials": func(w http.ResponseWriter, r *http.Request) {
			reply(w, 200, "ListServiceSpecificCredentials", "<ServiceSpecificCredentials/><IsTruncated>true</IsTruncated>")
		}}, listAna, model.KindOther, "the reply to ListServiceSpecificCredentials from {url} says the list goes on but gives no Marker: not an IAM response"},
		{"empty 200 to ListAccounts", fakeIAM{"ListAccounts": raw(200, "application/x-amz-json-1.1", "")},
			accounts, model.KindOther, "the reply to ListAccounts from {url} is empty: not an IAM response"},
		{"repeated NextToken", fakeIAM{"ListAccounts": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("x-amzn-RequestId", "req-fake")
			fmt.Fprint(w, `{"Accounts":[{"Id":"123456789012","Name":"one"}],"NextToken":"again"}`)
		}}, accounts, model.KindOther, "the reply to ListAccounts from {url} repeats an earlier NextToken, so the listing would never end: not an IAM response"},
		{"black hole", fakeIAM{"ListUsers": blackHole(t, &userHoles)},
			listUsers, model.KindUnreachable, "{url} did not answer within 100ms"},
		{"black hole for a create", fakeIAM{"CreateServiceSpecificCredential": blackHole(t, &createHoles)},
			// A request that ran out of time may still reach IAM: not "not created".
			create, model.KindUnconfirmed, "IAM may have created a Git credential for ana: {url} did not answer within 100ms; IAM lists no new one yet, " +
				"but a request that ran out of time may still reach IAM. Check ana's credentials again before creating another."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := clientFor(t, tc.fake, func(cfg *Config) { cfg.ConnectTimeout, cfg.ReplyTimeout = 100*time.Millisecond, 100*time.Millisecond })
			err := finishes(t, func() error { return tc.call(c) })
			me := asModelError(t, err, tc.kind)
			if want := strings.ReplaceAll(tc.want, "{url}", c.Endpoint()); me.Message != want {
				t.Fatalf("message\n got %q\nwant %q", me.Message, want)
			}
			if strings.Contains(fmt.Sprintf("%v %+v %s", err, err, me.Details()), "c2VjcmV0") {
				t.Fatal("a secret reached the error")
			}
		})
	}
	// A black hole costs two time limits, not six; a create into one is sent once.
	if n, m := userHoles.Load(), createHoles.Load(); n != 2 || m != 1 {
		t.Fatalf("black hole: %d ListUsers attempts (want 2), %d creates (want 1)", n, m)
	}
}

// After a timeout, one more attempt whatever it ends in: here the endpoint
// stays silent once, then drops each connection.
func TestTimeoutThenResetStops(t *testing.T) {
	var n atomic.Int32
	hole := blackHole(t, new(atomic.Int32))
	c := clientFor(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // read, so that the server sees the client leave
		if n.Add(1) == 1 {
			hole(w, r)
			return
		}
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.(*net.TCPConn).SetLinger(0) // a reset, not a clean close
			conn.Close()
		}
	}), func(cfg *Config) { cfg.ConnectTimeout, cfg.ReplyTimeout = 100*time.Millisecond, 100*time.Millisecond })
	err := finishes(t, func() error { _, err := c.ListUsers(context.Background()); return err })
	me := asModelError(t, err, model.KindUnreachable)
	if n.Load() != 2 || !strings.HasPrefix(me.Message, "the connection to "+c.Endpoint()+" was lost before IAM answered") {
		t.Fatalf("%d attempts: %q", n.Load(), me.Message)
	}
}

func formValue(r *http.Request, key string) string {
	_ = r.ParseForm()
	return r.PostForm.Get(key)
}

// TestTenThousandCredentials: one user with 10,000 credentials, served in
// pages that follow MaxItems, or all at once.
func TestTenThousandCredentials(t *testing.T) {
	const total = 10000
	id := func(i int) string { return fmt.Sprintf("ACCA%017d", i) }
	var pages atomic.Int32
	serve := func(ignoreMaxItems bool) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			pages.Add(1)
			if svc := formValue(r, "ServiceName"); svc != "" && svc != model.CodeCommit {
				reply(w, 200, "ListServiceSpecificCredentials", "<ServiceSpecificCredentials/><IsTruncated>false</IsTruncated>")
				return
			}
			from, _ := strconv.Atoi(formValue(r, "Marker"))
			n, _ := strconv.Atoi(formValue(r, "MaxItems"))
			if ignoreMaxItems || n <= 0 {
				n = total
			}
			to := min(from+n, total)
			var b strings.Builder
			b.WriteString("<ServiceSpecificCredentials>")
			for i := from; i < to; i++ {
				b.WriteString("<member>" + credXML(id(i), "ana", model.CodeCommit, false) + "</member>")
			}
			b.WriteString("</ServiceSpecificCredentials>")
			if to < total {
				fmt.Fprintf(&b, "<IsTruncated>true</IsTruncated><Marker>%d</Marker>", to)
			} else {
				b.WriteString("<IsTruncated>false</IsTruncated>")
			}
			reply(w, 200, "ListServiceSpecificCredentials", b.String())
		}
	}
	for _, all := range []bool{false, true} {
		pages.Store(0)
		c := clientFor(t, fakeIAM{"ListServiceSpecificCredentials": serve(all)})
		const rounds = 5
		for range rounds {
			var got []model.Credential
			err := finishes(t, func() (err error) { got, err = c.ListCredentials(context.Background(), "ana"); return err })
			if err != nil || len(got) != total {
				t.Fatalf("all-at-once=%v: %d credentials, %v", all, len(got), err)
			}
			for i, cr := range got {
				if cr.ID != id(i) || cr.UserName != "ana" {
					t.Fatalf("credential %d is %+v", i, cr)
				}
			}
		}
		// Each page asked for once: none read twice because the connection broke
		// under it (see memoryBodies).
		if want := int32(rounds * total / DefaultPageSize); !all && pages.Load() != want || all && pages.Load() != rounds {
			t.Fatalf("all-at-once=%v: %d pages", all, pages.Load())
		}
		var inv model.Inventory
		if err := finishes(t, func() (err error) { inv, err = c.Inventory(context.Background(), nil); return err }); err != nil || len(inv.Credentials) != total {
			t.Fatalf("inventory: %d credentials, %v", len(inv.Credentials), err)
		}
	}
}

// A delete into a black hole: two attempts, then one listing to judge it, not
// two more.
func TestBlackHoleDeleteIsJudgedOnce(t *testing.T) {
	var deletes, lists atomic.Int32
	c := clientFor(t, fakeIAM{
		"DeleteServiceSpecificCredential": blackHole(t, &deletes),
		"ListServiceSpecificCredentials":  blackHole(t, &lists),
	}, func(cfg *Config) { cfg.ConnectTimeout, cfg.ReplyTimeout = 100*time.Millisecond, 100*time.Millisecond })
	err := finishes(t, func() error { return c.Delete(context.Background(), "ana", lostID) })
	me := asModelError(t, err, model.KindUnconfirmed)
	hole := c.Endpoint() + " did not answer within 100ms"
	want := "The delete of credential " + lostID + " of ana may not have happened: " + hole + "; listing ana's credentials to check failed too: " + hole + ". Its outcome is unknown: check ana's credentials: " + lostID + " may still exist."
	if me.Message != want || deletes.Load() != 2 || lists.Load() != 1 {
		t.Fatalf("%d deletes, %d listings:\n got %q\nwant %q", deletes.Load(), lists.Load(), me.Message, want)
	}
}
