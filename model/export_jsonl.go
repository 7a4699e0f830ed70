package model

// JSON Lines: one credential a line, each with the report's metadata.

import (
	"encoding/json"
	"io"
	"time"
)

// jsonlHead is the metadata that starts every line of JSON Lines; across
// accounts, the line's account and its name come first.
type jsonlHead struct {
	Account     *string     `json:"account"`
	AccountName *string     `json:"account_name,omitempty"`
	GeneratedAt string      `json:"generated_at"`
	MaxAge      string      `json:"max_age"`
	Filter      *jsonFilter `json:"filter,omitempty"`
	Unscanned   []string    `json:"unscanned_services,omitempty"`
}

// jsonlEncoder writes one line per record, in one write each. The metadata
// is encoded once (once per account across accounts); every line starts with it.
type jsonlEncoder struct {
	out      io.Writer
	head     []byte // `{"account":…,"max_age":"90d"`, without the closing brace
	meta     jsonlHead
	across   *AcrossAccounts
	accounts map[*Account][]byte // across accounts: each account's head
	buf      []byte
	now      time.Time
	rec      auditRecord
	exp      string
	days     int
	judged   []JudgedUser // AuditMeta.Users
}

func newJSONLEncoder(w io.Writer, m AuditMeta) *jsonlEncoder {
	return &jsonlEncoder{out: jsonEscaper{w}, now: m.GeneratedAt, across: m.Across, judged: m.Users}
}

func (e *jsonlEncoder) begin(m AuditMeta) error {
	h := newJSONHead(m)
	e.meta = jsonlHead{Account: h.Account, GeneratedAt: h.GeneratedAt, MaxAge: h.MaxAge, Unscanned: h.Unscanned}
	if h.Filter != (jsonFilter{}) {
		e.meta.Filter = &h.Filter
	}
	if e.across != nil {
		e.accounts = map[*Account][]byte{}
		return nil
	}
	var err error
	e.head, err = e.encodeHead(e.meta)
	return err
}

// encodeHead is h without its closing brace.
func (e *jsonlEncoder) encodeHead(h jsonlHead) ([]byte, error) {
	b, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	return b[:len(b)-1], nil
}

// headFor is the start of a line of account a.
func (e *jsonlEncoder) headFor(a *Account) ([]byte, error) {
	if e.across == nil {
		return e.head, nil
	}
	if b, ok := e.accounts[a]; ok {
		return b, nil
	}
	h := e.meta
	if a == nil {
		a = &Account{}
	}
	h.Account, h.AccountName = orNull(a.ID), orNull(a.DisplayName())
	if h.AccountName == nil {
		h.AccountName = new(string) // present on every line of a report across accounts
	}
	b, err := e.encodeHead(h)
	e.accounts[a] = b
	return b, err
}

func (e *jsonlEncoder) row(r *AuditRow) error {
	head, err := e.headFor(r.Account)
	if err != nil {
		return err
	}
	e.rec.set(r, e.now, &e.exp, &e.days)
	o := jsonObject{b: append(e.buf[:0], head...), style: &jsonCompact, fields: 1}
	o.record(&e.rec)
	e.buf = append(o.b, '}', '\n')
	_, err = e.out.Write(e.buf)
	return err
}

// end writes a line for each account not read: its account, and "error" or
// "skipped" with the reason.
func (e *jsonlEncoder) end() error {
	if err := e.users(e.judged); err != nil {
		return err
	}
	if e.across == nil {
		return nil
	}
	for _, s := range e.across.Accounts {
		key, reason := "error", s.Err
		switch s.Result() {
		case "read":
			continue
		case "skipped":
			key, reason = "skipped", s.Skipped
		}
		head, err := e.headFor(&s.Account)
		if err != nil {
			return err
		}
		o := jsonObject{b: append(e.buf[:0], head...), style: &jsonCompact, fields: 1}
		o.str(key, reason)
		e.buf = append(o.b, '}', '\n')
		if _, err := e.out.Write(e.buf); err != nil {
			return err
		}
	}
	return nil
}
