package localiam

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strconv"
	"time"
)

const (
	iamNamespace = "https://iam.amazonaws.com/doc/2010-05-08/"
	stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"
	// timeLayout is IAM's wire format: UTC, whole seconds (contract §1.2).
	timeLayout = "2006-01-02T15:04:05Z"
)

// xmlBuilder writes the hand-shaped XML of IAM responses. Text is escaped, and
// characters XML cannot carry become U+FFFD, so any input yields parseable XML.
type xmlBuilder struct{ bytes.Buffer }

func (b *xmlBuilder) open(name string) {
	b.WriteByte('<')
	b.WriteString(name)
	b.WriteByte('>')
}

func (b *xmlBuilder) close(name string) {
	b.WriteString("</")
	b.WriteString(name)
	b.WriteByte('>')
}

func (b *xmlBuilder) text(name, value string) {
	b.open(name)
	_ = xml.EscapeText(b, []byte(value)) // writes to a bytes.Buffer cannot fail
	b.close(name)
}

func (b *xmlBuilder) time(name string, t time.Time) {
	b.text(name, t.UTC().Format(timeLayout))
}

// list writes a list wrapper with n <member> elements; an empty list is the
// empty wrapper, which SDKs read as an empty (not absent) list.
func (b *xmlBuilder) list(name string, n int, member func(i int)) {
	if n == 0 {
		b.WriteString("<" + name + "/>")
		return
	}
	b.open(name)
	for i := range n {
		b.open("member")
		member(i)
		b.close("member")
	}
	b.close(name)
}

// stringList writes a list of strings: each <member> holds the value itself.
func (b *xmlBuilder) stringList(name string, n int, value func(i int) string) {
	if n == 0 {
		b.WriteString("<" + name + "/>")
		return
	}
	b.open(name)
	for i := range n {
		b.text("member", value(i))
	}
	b.close(name)
}

func (b *xmlBuilder) bool(name string, v bool) {
	b.text(name, strconv.FormatBool(v))
}

// writeResult answers 200 with {op}Response; result (if not nil) is the inner XML
// of {op}Result. Operations without output get no Result element, as on AWS.
func writeResult(w http.ResponseWriter, ns, op, requestID string, result *xmlBuilder) {
	var b xmlBuilder
	b.WriteString(xml.Header)
	b.WriteString("<" + op + `Response xmlns="` + ns + `">`)
	if result != nil {
		b.open(op + "Result")
		b.Write(result.Bytes())
		b.close(op + "Result")
	}
	b.open("ResponseMetadata")
	b.text("RequestId", requestID)
	b.close("ResponseMetadata")
	b.close(op + "Response")
	writeXML(w, http.StatusOK, b.Bytes())
}

// writeError answers an ErrorResponse whose RequestId is a sibling of Error, where
// the SDKs look for it (contract §1.3).
func writeError(w http.ResponseWriter, ns, requestID string, e *apiError) {
	var b xmlBuilder
	b.WriteString(xml.Header)
	b.WriteString(`<ErrorResponse xmlns="` + ns + `">`)
	b.open("Error")
	b.text("Type", e.faultType())
	b.text("Code", e.Code)
	b.text("Message", e.Message)
	b.close("Error")
	b.text("RequestId", requestID)
	b.close("ErrorResponse")
	writeXML(w, e.Status, b.Bytes())
}

func writeXML(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body) // a client that went away is not our error
}
