package uitest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
)

// Hostile is what a hostile endpoint appends to every name, id, message and
// request id it returns: a C1 CSI (U+009B) with "2J" after it, which a terminal
// that reads 8-bit controls takes for "erase the screen", a CR and a
// right-to-left override, then characters that draw nothing — a soft hyphen
// (which terminals draw one column wide, or none, and so shifts a row), a
// zero-width space, a line separator and a tag character — with which a name
// looks like another. Each is legal XML that Go's decoder lets through (it
// rejects only ESC among the controls), so they reach the program.
const Hostile = HostileControls + HostileInvisibles

// HostileControls and HostileInvisibles are the two halves of Hostile.
const (
	HostileControls   = "\u009b2J\r\u202e"
	HostileInvisibles = "\u00ad\u200b\u2028\U000e0041"
)

// HostileShown is Hostile as model.SafeText draws it.
const HostileShown = "�2J␍�<U+00AD><U+200B><U+2028><U+E0041>"

// HostileSecretTail is what it appends to every password and API-key secret:
// an OSC 52 write of "pwned" to the terminal's clipboard, in C1 form (OSC
// U+009D … ST U+009C), then a CR and a right-to-left override.
var HostileSecretTail = "\u009d52;c;" + base64.StdEncoding.EncodeToString([]byte("pwned")) + "\u009c\r\u202e"

// hostileTags are the reply elements whose text gets Hostile appended.
var hostileTags = []string{
	"UserName", "UserId", "Arn", "Account", "ServiceUserName", "ServiceCredentialAlias",
	"ServiceSpecificCredentialId", "Message", "RequestId",
}

// secretTags hold a one-time secret.
var secretTags = []string{"ServicePassword", "ServiceCredentialSecret"}

// HostileHandler serves next as an endpoint pretending to be IAM would: its
// replies carry Hostile in every name, id, error message and request id (the
// x-amzn-RequestId header too) and HostileSecretTail in every secret. A request
// naming a user or credential by what it returned is mapped back first, so the
// real endpoint behind still answers to it.
func HostileHandler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json := strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-amz-json")
		if !json {
			if err := unhostileRequest(r); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var body []byte
		if json { // Organizations: the accounts' names
			body = hostileJSON(rec.Body.Bytes())
		} else {
			body = hostileBody(rec.Body.Bytes())
		}
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		if id := rec.Header().Get("X-Amzn-Requestid"); id != "" {
			w.Header().Set("X-Amzn-Requestid", id+Hostile)
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}

// unhostileRequest takes Hostile off the parameters of a form-encoded request.
func unhostileRequest(r *http.Request) error {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	form, err := url.ParseQuery(string(b))
	if err != nil {
		return err
	}
	for k, vs := range form {
		for i, v := range vs {
			vs[i] = strings.TrimSuffix(v, Hostile)
		}
		form[k] = vs
	}
	enc := form.Encode()
	r.Body = io.NopCloser(strings.NewReader(enc))
	r.ContentLength = int64(len(enc))
	r.Header.Set("Content-Length", strconv.Itoa(len(enc)))
	return nil
}

var tagRE = map[string]*regexp.Regexp{}

func init() {
	for _, t := range append(append([]string{}, hostileTags...), secretTags...) {
		tagRE[t] = regexp.MustCompile("<" + t + ">([^<]*)</" + t + ">")
	}
}

// jsonNameRE is a "Name" or "Message" member of an Organizations reply.
var jsonNameRE = regexp.MustCompile(`"(Name|Message|message)":"((?:[^"\\]|\\.)*)"`)

// hostileJSON appends Hostile to every account name and error message of a
// JSON reply, as \u escapes.
func hostileJSON(body []byte) []byte {
	var esc strings.Builder
	for _, r := range Hostile {
		if r > 0xffff {
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(&esc, `\u%04x\u%04x`, r1, r2)
			continue
		}
		fmt.Fprintf(&esc, `\u%04x`, r)
	}
	return jsonNameRE.ReplaceAll(body, []byte(`"$1":"${2}`+esc.String()+`"`))
}

// hostileBody appends the hostile text to the elements it rewrites, as XML
// character references.
func hostileBody(body []byte) []byte {
	add := func(tag, tail string) {
		ref := xmlRefs(tail)
		body = tagRE[tag].ReplaceAllFunc(body, func(m []byte) []byte {
			end := bytes.LastIndex(m, []byte("</"))
			return append(append(append([]byte{}, m[:end]...), ref...), m[end:]...)
		})
	}
	for _, t := range hostileTags {
		add(t, Hostile)
	}
	for _, t := range secretTags {
		add(t, HostileSecretTail)
	}
	return body
}

// xmlRefs writes every character outside printable ASCII as &#xH;.
func xmlRefs(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 0x20 && r < 0x7f && r != '<' && r != '&' {
			b.WriteRune(r)
			continue
		}
		b.WriteString("&#x" + strconv.FormatInt(int64(r), 16) + ";")
	}
	return b.String()
}
