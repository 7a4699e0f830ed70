package model

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strings"
	"time"
)

// A saved secret holds what the AWS console's download of a new credential
// holds — the IAM user, the service, the credential's ID, the user name or alias
// it is used with, and the secret — plus its expiry, under the audit report's
// column names. The secret dialog's "write to file" and `iamcreds rotate
// --secret-file` write the same record.

// SecretColumns are the secret record's CSV header and JSON keys, in order.
func SecretColumns() []string {
	return []string{"user", "service_name", "credential_id", "login", "secret", "expires"}
}

// secretFields are s's values in SecretColumns' order. Names and IDs pass
// through SafeText (IAM's patterns leave them unchanged); the secret is written
// exactly, with no formula quoting either: it is copied, never evaluated.
func secretFields(s Secret) []string {
	c := s.Credential
	return []string{SafeText(c.UserName), SafeText(c.Service), SafeText(c.ID), SafeText(c.Login()), s.Reveal(), rfc3339(c.Expires)}
}

// WriteSecretCSV writes s as a header and one row.
func WriteSecretCSV(w io.Writer, s Secret) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(SecretColumns()); err != nil {
		return err
	}
	if err := cw.Write(secretFields(s)); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// MarshalSecretJSON is s as one JSON object with SecretColumns' keys (expires is
// null when it never expires), for a document that carries it.
func MarshalSecretJSON(s Secret) (json.RawMessage, error) {
	cols, vals := SecretColumns(), secretFields(s)
	obj := make(map[string]*string, len(cols))
	for i := range cols {
		if vals[i] != "" || cols[i] != "expires" {
			obj[cols[i]] = &vals[i]
		} else {
			obj[cols[i]] = nil
		}
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	return escapeJSONControls(b), nil
}

// SecretFileName is the file name to propose for s's record (WriteSecretCSV):
// iamcreds-<user>-<service>-<last 5 of the id>-<YYYYMMDD>.csv, e.g.
// iamcreds-alice-git-P7DZE-20261122.csv, so that a directory of them says whose
// is which. The date is now's, in its zone. Characters a file name should not
// hold (a path separator, a control character from a hostile endpoint) become _.
func SecretFileName(c Credential, now time.Time) string {
	id := c.ID
	if r := []rune(id); len(r) > 5 {
		id = string(r[len(r)-5:])
	}
	parts := []string{"iamcreds", c.UserName, strings.ToLower(c.ServiceInfo().Short), id, now.Format("20060102")}
	for i, p := range parts {
		parts[i] = fileNamePart(p)
	}
	return strings.Join(parts, "-") + ".csv"
}

// fileNamePart keeps the characters IAM allows in names and ids that are also
// safe in a file name on every system, and replaces the others with _.
func fileNamePart(s string) string {
	if s == "" {
		return "_"
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			return r
		case strings.ContainsRune("+=,.@_-", r):
			return r
		}
		return '_'
	}, s)
}
