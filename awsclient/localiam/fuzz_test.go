package localiam

import (
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// FuzzHandler sends arbitrary bodies: the handler must never panic, every error
// must be a well-formed ErrorResponse and every success well-formed XML.
func FuzzHandler(f *testing.F) {
	for _, seed := range []string{
		"Action=ListUsers&Version=2010-05-08",
		"Action=ListUsers&MaxItems=2&PathPrefix=%2Fengineering%2F&Version=2010-05-08",
		"Action=GetUser&UserName=sofia&Version=2010-05-08",
		"Action=CreateUser&Path=%2Fdata%2F&UserName=new%2Buser&Version=2010-05-08",
		"Action=DeleteUser&UserName=jane%2Btest&Version=2010-05-08",
		"Action=ListServiceSpecificCredentials&UserName=sofia&Version=2010-05-08",
		"Action=ListServiceSpecificCredentials&AllUsers=true&MaxItems=3&ServiceName=bedrock.amazonaws.com&Version=2010-05-08",
		"Action=ListServiceSpecificCredentials&AllUsers=true&Marker=YwBzb2ZpYQAxNzAwMDAwMDAwMDAwMDAwMDAwAEFDQ0E&Version=2010-05-08",
		"Action=CreateServiceSpecificCredential&ServiceName=codecommit.amazonaws.com&UserName=ana&Version=2010-05-08",
		"Action=CreateServiceSpecificCredential&CredentialAgeDays=30&ServiceName=bedrock.amazonaws.com&UserName=ana&Version=2010-05-08",
		"Action=UpdateServiceSpecificCredential&ServiceSpecificCredentialId=ACCAEXAMPLE123EXAMPLE&Status=Inactive&UserName=sofia&Version=2010-05-08",
		"Action=ResetServiceSpecificCredential&ServiceSpecificCredentialId=ACCAEXAMPLE123EXAMPLE&UserName=sofia&Version=2010-05-08",
		"Action=DeleteServiceSpecificCredential&ServiceSpecificCredentialId=ACCA-BAD&Version=2010-05-08",
		"Action=GetCallerIdentity&Version=2011-06-15",
		"Action=%00%ff&UserName=%3C%26%3E",
		"Action=CreateServiceSpecificCredential&ServiceName=%3Cx%3E%00&UserName=ana",
		"",
		"%zz",
		"a;b",
	} {
		f.Add(seed)
	}
	clock := &testClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	s, err := New(Config{Seed: "demo", Now: clock.Now})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		out := rec.Body.Bytes()
		if rec.Code < 200 || rec.Code > 299 {
			var e struct {
				XMLName xml.Name `xml:"ErrorResponse"`
				Code    string   `xml:"Error>Code"`
				Message string   `xml:"Error>Message"`
				ID      string   `xml:"RequestId"`
			}
			if err := xml.Unmarshal(out, &e); err != nil || e.Code == "" || e.Message == "" || e.ID == "" {
				t.Fatalf("status %d, bad ErrorResponse (%v):\n%s", rec.Code, err, out)
			}
			return
		}
		dec := xml.NewDecoder(strings.NewReader(string(out)))
		for {
			_, err := dec.Token()
			if err != nil {
				if err.Error() != "EOF" {
					t.Fatalf("status %d, malformed XML (%v):\n%s", rec.Code, err, out)
				}
				break
			}
		}
		if !strings.Contains(string(out), "<RequestId>") {
			t.Fatalf("no RequestId:\n%s", out)
		}
	})
}
