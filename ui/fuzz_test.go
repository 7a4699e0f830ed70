package ui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"iamcreds/awsclient"
	"iamcreds/awsclient/localiam"
	"iamcreds/ui/uitest"
)

// Fuzzing: random keys and window sizes, down to 1x1, into the root model with
// the real client and local IAM (the demo account, served in process, so that
// an input runs in milliseconds). No input may panic, leave a call running, or
// draw a line wider than the window.
//
//	go test ./ui -run '^$' -fuzz FuzzKeysAndSizes -fuzztime 3m

// fuzzKeys are what a byte of input types.
var fuzzKeys = []string{
	"up", "down", "left", "right", "enter", "esc", "tab", "shift+tab", "pgup", "pgdown", "home", "end",
	"backspace", "space", "ctrl+a", "ctrl+r",
	"n", "t", "r", "d", "R", "a", "s", "S", "v", "o", "f", "x", "/", "?", "g", "G", "j", "k",
	"c", "u", "e", "w", "y", "A", "I", "X", "P", "h", "l", "0", "1", "4", "7", "9", "z", ".", "-",
}

// inProcess serves the SDK's requests by calling the handler directly.
type inProcess struct{ h http.Handler }

func (p inProcess) Do(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	p.h.ServeHTTP(rec, r)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

func FuzzKeysAndSizes(f *testing.F) {
	f.Setenv("AWS_CA_BUNDLE", "") // the in-process transport is no BuildableClient
	f.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	f.Add([]byte{120, 36, 16, 4, 4, 5, 1, 1})                // n, enter, enter: a create at full size
	f.Add([]byte{0, 0, 17, 5, 6, 20, 34, 1, 255, 3})         // 1x1: t, r, the fleet, keys, a resize
	f.Add([]byte{39, 9, 21, 37, 255, 80, 24, 36, 25, 4, 5})  // narrow; the fleet, select, X, resize
	f.Add([]byte{79, 23, 1, 19, 38, 4, 9, 41, 42, 43, 5, 6}) // reset and delete proof digits
	f.Add([]byte{200, 60, 20, 1, 22, 5, 4, 32, 255, 2, 2, 28})
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) < 2 {
			return
		}
		w, h := 1+int(in[0])%200, 1+int(in[1])%60
		srv, err := localiam.New(localiam.Config{Seed: "demo", Now: clock})
		if err != nil {
			t.Fatal(err)
		}
		c, err := awsclient.New(context.Background(), awsclient.Config{
			EndpointURL: "http://local-iam.test", Region: "us-east-1", HTTPClient: inProcess{srv},
			StaticCredentials: &aws.Credentials{AccessKeyID: "AKIDTEST", SecretAccessKey: "test"},
			MaxAttempts:       1,
		})
		if err != nil {
			t.Fatal(err)
		}
		o := testOptions(&endpoint{client: c}, &memClipboard{})
		o.WorkDir = t.TempDir()
		m := New(o)
		m.spin = spinner.New(spinner.WithSpinner(spinner.Spinner{Frames: []string{"·", "•"}, FPS: time.Microsecond}))
		d := uitest.New(m, w, h)
		d.Timeout = 5 * time.Second
		settle := func(step string) {
			if err := d.Settle(); err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			checkWidth(t, m, w, h, step)
		}
		settle("start")
		for i := 2; i < len(in) && !d.Quit(); i++ {
			b := in[i]
			if b == 255 && i+2 < len(in) { // a resize
				w, h = 1+int(in[i+1])%200, 1+int(in[i+2])%60
				d.Send(tea.WindowSizeMsg{Width: w, Height: h})
				i += 2
				settle("resize")
				continue
			}
			k := fuzzKeys[int(b)%len(fuzzKeys)]
			d.Send(uitest.Key(k))
			settle("key " + k)
		}
	})
}

// checkWidth fails when a line of the view is wider than the window.
func checkWidth(t *testing.T, m *Model, w, h int, step string) {
	t.Helper()
	view := m.View()
	for i, l := range strings.Split(view, "\n") {
		if n := ansi.StringWidth(l); n > w {
			t.Fatalf("after %s at %dx%d: line %d is %d wide:\n%s", step, w, h, i, n, view)
		}
	}
}
