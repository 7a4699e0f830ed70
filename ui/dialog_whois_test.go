package ui

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/awsclient"
	"iamcreds/model"
	"iamcreds/ui/uitest"
)

const bedrockService = "bedrock.amazonaws.com"

// whoisRun is the UI on one account (the demo seed), with a second client of
// the same endpoint, as another person's: it mints the keys that leak, and
// reads what IAM holds. The UI's client never sees a key.
type whoisRun struct {
	*driver
	other *awsclient.Client
	url   string
	// leaked are the keys pasted: no view may show one, and the model may
	// not hold one once the dialog is closed.
	leaked []string
}

type whoisSetup struct {
	w, h              int
	readOnly, hostile bool
}

func startWhois(t *testing.T, s whoisSetup) *whoisRun {
	t.Helper()
	if s.w == 0 {
		s.w, s.h = 120, 36
	}
	e, err := uitest.NewEndpoint(uitest.EndpointConfig{Seed: "demo", Now: clock, ReadOnly: s.readOnly, Hostile: s.hostile})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	o := testOptions(&endpoint{client: e.Client}, &memClipboard{})
	o.ReadOnly = s.readOnly
	r := &whoisRun{driver: newDriver(t, New(o), s.w, s.h), other: otherClient(t, e.URL, "AKIDOTHER"), url: e.URL}
	r.watch(s.w, s.h)
	r.settle()
	return r
}

// otherClient is a client of the endpoint at url signed with key: not the UI's.
func otherClient(t *testing.T, url, key string) *awsclient.Client {
	t.Helper()
	c, err := awsclient.New(context.Background(), awsclient.Config{EndpointURL: url, Region: "us-east-1", NoSharedFiles: true,
		StaticCredentials: &aws.Credentials{AccessKeyID: key, SecretAccessKey: "x"}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// watch fails the test as soon as a view, after any message, shows a pasted
// key or a piece of one, or does not fit w×h, or holds a character that
// steers the terminal.
func (r *whoisRun) watch(w, h int) {
	r.Observe = func(tea.Msg) {
		r.t.Helper()
		v := r.m.View()
		assertDrawable(r.t, "whois", v, w, h)
		for _, k := range r.leaked {
			for _, part := range keyParts(k) {
				if strings.Contains(v, part) {
					r.t.Fatalf("the view shows %q of a pasted key:\n%s", part, v)
				}
			}
		}
	}
}

// keyParts are the pieces of a key no view may show: the key, and every 12
// characters of it past its 4-letter prefix (the fingerprint shows 8).
func keyParts(k string) []string {
	parts := []string{k}
	for i := 4; i+12 <= len(k); i += 6 {
		parts = append(parts, k[i:i+12])
	}
	return parts
}

// mint creates a Bedrock API key for user as another client would: its secret
// is the key (ABSK + base64 of "<alias>:<secret>").
func mint(t *testing.T, c *awsclient.Client, user string) (model.Credential, string) {
	t.Helper()
	cred, sec, err := c.CreateCredential(context.Background(), user, bedrockService, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sec.Reveal(), "ABSK") {
		t.Fatalf("the endpoint's Bedrock secret is not a key: %q", sec.Reveal()[:4])
	}
	return cred, sec.Reveal()
}

// handMade is a long-term Bedrock key for alias, built by the scheme.
func handMade(alias string) string {
	return "ABSK" + base64.StdEncoding.EncodeToString([]byte(alias+":"+"c2VjcmV0LXBhcnQtb2YtdGhlLWtleQ"))
}

// paste opens K, pastes key as a terminal's bracketed paste, and presses enter.
func (r *whoisRun) paste(key string) {
	r.t.Helper()
	if k, err := model.DecodeKey(key); err != nil || k.Kind != model.KeyAccessKeyID { // an ID is no secret
		r.leaked = append(r.leaked, key)
	}
	r.keys("K")
	if _, ok := r.m.dialogs.top().(*whoisDialog); !ok {
		r.t.Fatalf("K opened %T:\n%s", r.m.dialogs.top(), screenText(r.m))
	}
	r.Send(pasteMsg(key + "\n"))
	r.settle()
	if !strings.Contains(r.m.View(), "••••") {
		r.t.Fatalf("the field does not show the paste masked:\n%s", screenText(r.m))
	}
	r.keys("enter")
}

// pasteMsg is text pasted in a terminal with bracketed paste.
func pasteMsg(text string) tea.KeyMsg {
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(text), Paste: true}
}

// holdsNoKey fails if anything the model reaches holds a pasted key — every
// string and rune or byte slice reachable from it (but the clients, whose
// connections are not the UI's state) — or what reaches, such as a dialog
// closed since.
func (r *whoisRun) holdsNoKey(what ...any) {
	r.t.Helper()
	holds := func(s string) bool {
		for _, k := range r.leaked {
			if strings.Contains(s, k) || len(k) > 20 && strings.Contains(s, k[4:20]) {
				return true
			}
		}
		return false
	}
	for _, x := range append([]any{*r.m}, what...) {
		if s := fmt.Sprintf("%#v", x); holds(s) {
			r.t.Fatalf("%T prints a key: %s", x, s)
		}
	}
	seen := map[uintptr]bool{}
	var walk func(v reflect.Value, path string, depth int)
	walk = func(v reflect.Value, path string, depth int) {
		if depth > 40 || !v.IsValid() {
			return
		}
		check := func(s string) {
			if holds(s) {
				r.t.Fatalf("%s holds a pasted key", path)
			}
		}
		switch v.Kind() {
		case reflect.String:
			check(v.String())
		case reflect.Pointer:
			if v.IsNil() || seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
			walk(v.Elem(), path, depth+1)
		case reflect.Interface:
			if v.IsNil() {
				return
			}
			e := v.Elem()
			if t := e.Type().String(); strings.Contains(t, "awsclient") || strings.Contains(t, "recordingIAM") || strings.Contains(t, "noAccount") {
				return // a client: its connections, not the UI's state
			}
			walk(e, path, depth+1)
		case reflect.Struct:
			// Not the UI's state, and live under other goroutines: a client
			// reached through another value (a Deliverer's stores), its HTTP
			// transport, the SDK's configuration.
			if t := v.Type().PkgPath(); strings.HasPrefix(t, "context") || strings.HasPrefix(t, "sync") ||
				strings.HasPrefix(t, "iamcreds/awsclient") || strings.HasPrefix(t, "net") ||
				strings.HasPrefix(t, "crypto") || strings.HasPrefix(t, "github.com/aws") {
				return
			}
			for i := range v.NumField() {
				walk(v.Field(i), path+"."+v.Type().Field(i).Name, depth+1)
			}
		case reflect.Slice, reflect.Array:
			if v.Kind() == reflect.Slice && v.IsNil() {
				return
			}
			switch v.Type().Elem().Kind() {
			case reflect.Int32:
				rs := make([]rune, v.Len())
				for i := range rs {
					rs[i] = rune(v.Index(i).Int())
				}
				check(string(rs))
				return
			case reflect.Uint8:
				bs := make([]byte, v.Len())
				for i := range bs {
					bs[i] = byte(v.Index(i).Uint())
				}
				check(string(bs))
				return
			}
			for i := range v.Len() {
				walk(v.Index(i), fmt.Sprintf("%s[%d]", path, i), depth+1)
			}
		case reflect.Map:
			for _, k := range v.MapKeys() {
				walk(k, path+"{key}", depth+1)
				walk(v.MapIndex(k), path+"{}", depth+1)
			}
		}
	}
	walk(reflect.ValueOf(r.m), "Model", 0)
	for _, x := range what {
		walk(reflect.ValueOf(x), fmt.Sprintf("%T", x), 0)
	}
}

// The key a user's second credential leaked: K, a paste, enter — the very
// credential is selected (not the user's other key, not a user of a similar
// name), "Deactivate now" has the focus, and enter makes it Inactive in IAM.
// Nothing of the key shows at any point, or stays once the dialog closes.
func TestWhoisFindsTheKeyAndDeactivatesIt(t *testing.T) {
	t.Parallel()
	r := startWhois(t, whoisSetup{})
	// amara holds a Bedrock key already; amara-ops, a similar name, one too.
	postIAM(t, r.url, "AKIDOTHER", url.Values{"Action": {"CreateUser"}, "UserName": {"amara-ops"}})
	mint(t, r.other, "amara-ops")
	first := held(t, r.other, "amara")[0]
	leaked, key := mint(t, r.other, "amara") // the user's second key: amara+1-at-…
	if !strings.HasPrefix(leaked.Alias, "amara+") {
		t.Fatalf("the second key's alias is %q", leaked.Alias)
	}
	r.paste(key)
	d, ok := r.m.dialogs.top().(*whoisDialog)
	if !ok || !d.match.Found || d.match.Credential.ID != leaked.ID {
		t.Fatalf("matched %+v, want %s:\n%s", d.match, leaked.ID, screenText(r.m))
	}
	if c, ok := selectedCred(r.m); !ok || c.ID != leaked.ID || c.ID == first.ID || r.m.active != screenMain {
		t.Fatalf("selected %+v (screen %v), want %s", c, r.m.active, leaked.ID)
	}
	if u, _ := r.m.main.selectedUser(); u.Name != "amara" {
		t.Fatalf("user row %q", u.Name)
	}
	mustContain(t, r.m, "Deactivate the leaked key?", "[▸Deactivate now◂]", "bedrock-long-term", "amara", "123456789012", "second key", leaked.ID)
	r.holdsNoKey() // while the confirmation shows
	r.keys("enter")
	if r.m.dialogs.top() != nil {
		t.Fatalf("the dialog stays:\n%s", screenText(r.m))
	}
	for _, c := range held(t, r.other, "amara") {
		want := model.Active
		if c.ID == leaked.ID {
			want = model.Inactive
		}
		if c.Status != want {
			t.Fatalf("%s is %s in IAM, want %s", c.ID, c.Status, want)
		}
	}
	mustContain(t, r.m, "is now Inactive")
	r.holdsNoKey(d)
}

// held is user's credentials as c lists them.
func held(t *testing.T, c *awsclient.Client, user string) []model.Credential {
	t.Helper()
	cs, err := c.ListCredentials(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// postIAM sends an IAM Query call to the endpoint at u, signed (in name) with key.
func postIAM(t *testing.T, u, key string, form url.Values) {
	t.Helper()
	form.Set("Version", "2010-05-08")
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+key+"/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=x")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", form.Get("Action"), resp.StatusCode, body)
	}
}
