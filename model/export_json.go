package model

import (
	"encoding/json"
	"io"
	"strconv"
	"time"
	"unicode/utf8"
)

// The JSON report is one indented document,
//
//	{"account": …, "generated_at": …, "max_age": "90d", "filter": {…}, "credentials": [{…}, …]}
//
// with the CSV's columns as the keys of a credential; expires and
// expires_in_days are null for a credential that never expires, and flags is a
// list. JSON Lines is one credential per line, each with account, generated_at,
// max_age (and filter, when there is one) before its own keys, so that a line
// says where it came from after grep or cat of several reports.
//
// A report across accounts (AuditMeta.Across) is
//
//	{"organization": …, "caller": …, "generated_at": …, "max_age": …, "filter": {…},
//	 "accounts": [{"id": …, "name": …, "result": "read", "users": 3, "credentials": 5}, …],
//	 "credentials": [{"account": …, "account_name": …, "user": …}, …]}
//
// where an account that could not be read has "result": "failed" and an
// "error", and one left out "result": "skipped" and "skipped"; in JSON Lines
// every line starts with its account and account_name, and an account not read
// is a line of its own with "error" or "skipped" instead of a credential.
//
// Both are written a credential at a time. Values are exact; the controls
// SafeText replaces are written as \uXXXX escapes (encoding/json leaves DEL, C1
// and bidi controls raw), so that the output can be printed to a terminal as it is.

// jsonEscaper applies escapeJSONControls to each write. Every write is whole
// JSON text — the head, a record, the end — so no character is ever split
// between two of them, and an unsafe character can only be inside a string.
type jsonEscaper struct{ w io.Writer }

func (e jsonEscaper) Write(p []byte) (int, error) {
	if _, err := e.w.Write(escapeJSONControls(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// jsonHead is the document's fields before "credentials".
type jsonHead struct {
	Account     *string    `json:"account"` // null: unknown
	GeneratedAt string     `json:"generated_at"`
	MaxAge      string     `json:"max_age"` // as --max-age takes it: "90d"
	Filter      jsonFilter `json:"filter"`  // {} for every credential
	// Unscanned are services seen that the AllUsers scan lacks (AuditMeta).
	Unscanned []string `json:"unscanned_services,omitempty"`
}

// jsonFilter is AuditFilter with only its set fields.
type jsonFilter struct {
	Service     string `json:"service,omitempty"`
	Status      string `json:"status,omitempty"`
	FlaggedOnly bool   `json:"flagged_only,omitempty"`
	Account     string `json:"account,omitempty"`
	Text        string `json:"text,omitempty"`
}

func newJSONFilter(f AuditFilter) jsonFilter {
	return jsonFilter{
		Service: f.Service, Status: string(f.Status),
		FlaggedOnly: f.FlaggedOnly, Account: f.Account, Text: f.Text,
	}
}

// jsonAcrossHead is the document's fields before "credentials", across accounts.
type jsonAcrossHead struct {
	Organization *string       `json:"organization"` // null for profiles
	Caller       *string       `json:"caller"`       // null for profiles
	GeneratedAt  string        `json:"generated_at"`
	MaxAge       string        `json:"max_age"`
	Filter       jsonFilter    `json:"filter"`
	Unscanned    []string      `json:"unscanned_services,omitempty"`
	Accounts     []jsonAccount `json:"accounts"`
}

// jsonAccount is one account of a report across accounts.
type jsonAccount struct {
	ID          *string `json:"id"`   // null: a profile that could not sign in
	Name        *string `json:"name"` // the organization's name for it, or the profile's
	Profile     string  `json:"profile,omitempty"`
	Result      string  `json:"result"` // read, failed or skipped
	Users       *int    `json:"users,omitempty"`
	Credentials *int    `json:"credentials,omitempty"`
	Error       string  `json:"error,omitempty"`
	Skipped     string  `json:"skipped,omitempty"`
}

func newJSONAccount(s AccountSummary) jsonAccount {
	a := jsonAccount{ID: orNull(s.Account.ID), Name: orNull(s.Account.DisplayName()), Profile: s.Account.Profile,
		Result: s.Result(), Error: s.Err, Skipped: s.Skipped}
	if a.Result == "read" {
		a.Users, a.Credentials = &s.Users, &s.Credentials
	}
	return a
}

func newJSONAcrossHead(m AuditMeta) jsonAcrossHead {
	h := jsonAcrossHead{
		Organization: orNull(m.Across.Organization), Caller: orNull(m.Across.Caller),
		GeneratedAt: rfc3339(m.GeneratedAt), MaxAge: FormatMaxAgeFlag(m.MaxAge), Filter: newJSONFilter(m.Filter),
		Unscanned: m.UnscannedServices, Accounts: make([]jsonAccount, len(m.Across.Accounts)),
	}
	for i, s := range m.Across.Accounts {
		h.Accounts[i] = newJSONAccount(s)
	}
	return h
}

// orNull is s, or nil (JSON's null) when s is "".
func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func newJSONHead(m AuditMeta) jsonHead {
	h := jsonHead{
		GeneratedAt: rfc3339(m.GeneratedAt),
		MaxAge:      FormatMaxAgeFlag(m.MaxAge),
		Filter:      newJSONFilter(m.Filter),
		Unscanned:   m.UnscannedServices,
	}
	if m.Account != "" {
		h.Account = &m.Account
	}
	return h
}

// jsonStyle lays a record out: indented inside the document (as MarshalIndent
// with two spaces would) or compact on a line of its own.
type jsonStyle struct {
	field, item, end, colon string // before a key, before a list item, before a non-empty list's ], after a key
}

var (
	jsonIndented = jsonStyle{field: "\n      ", item: "\n        ", end: "\n      ", colon: ": "}
	jsonCompact  = jsonStyle{colon: ":"}
)

// jsonObject appends the fields of one object to b.
type jsonObject struct {
	b      []byte
	style  *jsonStyle
	fields int // written so far: all but the first take a comma
}

func (o *jsonObject) key(k string) {
	if o.fields > 0 {
		o.b = append(o.b, ',')
	}
	o.fields++
	o.b = append(append(o.b, o.style.field...), '"')
	o.b = append(append(append(o.b, k...), '"'), o.style.colon...)
}

func (o *jsonObject) str(k, v string) {
	o.key(k)
	o.b = appendJSONString(o.b, v)
}

// strOrNull is str, or null for "".
func (o *jsonObject) strOrNull(k, v string) {
	if v == "" {
		o.key(k)
		o.b = append(o.b, "null"...)
		return
	}
	o.str(k, v)
}

// account appends a row's account and account_name, across accounts.
func (o *jsonObject) account(a *Account) {
	if a == nil {
		a = &Account{}
	}
	o.strOrNull("account", a.ID)
	o.strOrNull("account_name", a.DisplayName())
}

// record appends rec's fields, with auditRecord's keys in its order. Encoding
// this fixed shape by hand, rather than by reflection and a second indenting
// pass, makes the JSON report several times faster; the tests hold it to
// MarshalIndent's bytes.
func (o *jsonObject) record(rec *auditRecord) {
	o.str("user", rec.User)
	o.str("service", rec.Service)
	o.str("service_name", rec.ServiceName)
	o.str("credential_id", rec.CredentialID)
	o.str("login", rec.Login)
	o.str("status", rec.Status)
	o.str("created", rec.Created)
	o.key("age_days")
	o.b = strconv.AppendInt(o.b, int64(rec.AgeDays), 10)
	if rec.Expires == nil {
		o.key("expires")
		o.b = append(o.b, "null"...)
		o.key("expires_in_days")
		o.b = append(o.b, "null"...)
	} else {
		o.str("expires", *rec.Expires)
		o.key("expires_in_days")
		o.b = strconv.AppendInt(o.b, int64(*rec.ExpiresInDays), 10)
	}
	o.key("flags")
	o.b = append(o.b, '[')
	for i, f := range rec.Flags {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		o.b = appendJSONString(append(o.b, o.style.item...), f)
	}
	if len(rec.Flags) > 0 {
		o.b = append(o.b, o.style.end...)
	}
	o.b = append(o.b, ']')
}

// appendJSONString appends s as encoding/json writes a string, HTML escaping
// included: ", \\, controls below U+0020, <, > and &, U+2028 and U+2029 escaped,
// an invalid byte as \ufffd. (DEL, C1 and bidi controls are left to
// escapeJSONControls, as encoding/json leaves them.)
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(append(b, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(append(b, s[start:]...), '"')
}

// jsonEncoder writes the indented document, a record at a time: each is
// appended to buf, which is reused, and written with the separator before it.
type jsonEncoder struct {
	out    io.Writer
	buf    []byte
	now    time.Time
	across bool
	rec    auditRecord
	exp    string
	days   int
	rows   int
	judged []JudgedUser // AuditMeta.Users
}

func newJSONEncoder(w io.Writer, m AuditMeta) *jsonEncoder {
	return &jsonEncoder{out: jsonEscaper{w}, now: m.GeneratedAt, across: m.Across != nil, judged: m.Users}
}

func (e *jsonEncoder) begin(m AuditMeta) error {
	var head any = newJSONHead(m)
	if m.Across != nil {
		head = newJSONAcrossHead(m)
	}
	b, err := json.MarshalIndent(head, "", "  ")
	if err != nil {
		return err
	}
	// b ends with "\n}": the credentials take the closing brace's place.
	b = append(b[:len(b)-2], ",\n  \"credentials\": ["...)
	_, err = e.out.Write(b)
	return err
}

func (e *jsonEncoder) row(r *AuditRow) error {
	e.rec.set(r, e.now, &e.exp, &e.days)
	b := e.buf[:0]
	if e.rows > 0 {
		b = append(b, ',')
	}
	o := jsonObject{b: append(b, "\n    {"...), style: &jsonIndented}
	if e.across {
		o.account(r.Account)
	}
	o.record(&e.rec)
	e.buf = append(o.b, "\n    }"...)
	e.rows++
	_, err := e.out.Write(e.buf)
	return err
}

func (e *jsonEncoder) end() error {
	tail := "\n  ]"
	if e.rows == 0 {
		tail = "]" // "credentials": [], as MarshalIndent writes it
	}
	if e.judged != nil {
		users, err := usersJSON(e.judged, e.now, e.across)
		if err != nil {
			return err
		}
		tail += string(users)
	}
	_, err := io.WriteString(e.out, tail+"\n}\n")
	return err
}
