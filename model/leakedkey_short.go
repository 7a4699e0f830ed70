package model

import (
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// decodeShortTerm decodes the base64 of a SigV4 presigned URL [TokGen]:
//
//	bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Algorithm=AWS4-HMAC-SHA256
//	  &X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Fbedrock%2Faws4_request
//	  &X-Amz-Date=20260101T120000Z&X-Amz-Expires=43200&X-Amz-SignedHeaders=host
//	  [&X-Amz-Security-Token=…]&X-Amz-Signature=…&Version=1
//
// Only the query matters here: the credential scope names the key that signed
// it and the region, X-Amz-Date and X-Amz-Expires its life.
func decodeShortTerm(enc string, kind KeyKind, service string) (DecodedKey, error) {
	raw, err := decodeBase64(enc)
	if err != nil {
		return DecodedKey{}, err
	}
	if !utf8.Valid(raw) {
		return DecodedKey{}, notAKey("the decoded part is not text")
	}
	s := string(raw)
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	host, query, ok := strings.Cut(s, "?")
	if !ok {
		return DecodedKey{}, notAKey("the decoded part is not a presigned URL")
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return DecodedKey{}, notAKey("the presigned URL's query does not parse")
	}
	scope := strings.Split(q.Get("X-Amz-Credential"), "/")
	if len(scope) != 5 || scope[4] != "aws4_request" {
		return DecodedKey{}, notAKey("the presigned URL has no SigV4 credential scope")
	}
	d := DecodedKey{Kind: kind, Service: service, AccessKeyID: scope[0], Region: scope[2]}
	if d.AccessKeyID == "" || !isAliasText(d.AccessKeyID) || d.Region == "" || !isAliasText(d.Region) {
		return DecodedKey{}, notAKey("the presigned URL's credential scope is malformed")
	}
	d.Signed, err = time.Parse("20060102T150405Z", q.Get("X-Amz-Date"))
	if err != nil {
		return DecodedKey{}, notAKey("the presigned URL has no valid X-Amz-Date")
	}
	secs, err := strconv.Atoi(q.Get("X-Amz-Expires"))
	if err != nil || secs < 0 || secs > 7*24*3600 {
		// 7 days is SigV4's own limit for a presigned URL.
		return DecodedKey{}, notAKey("the presigned URL has no valid X-Amz-Expires")
	}
	d.Lifetime = time.Duration(secs) * time.Second
	if d.Lifetime > maxShortTermLifetime {
		d.Notes = append(d.Notes, "X-Amz-Expires is over the 12 hours AWS documents: AWS should refuse it past 12 hours")
	}
	if want, _, _ := strings.Cut(service, "."); scope[3] != want {
		d.Notes = append(d.Notes, "signed for service "+SafeText(scope[3])+", not "+want)
	}
	if !strings.HasPrefix(host, service) {
		d.Notes = append(d.Notes, "the URL's host is not "+service)
	}
	if q.Get("Action") != "CallWithBearerToken" {
		d.Notes = append(d.Notes, "the URL's Action is not CallWithBearerToken")
	}
	if q.Get("X-Amz-Security-Token") != "" {
		d.Notes = append(d.Notes, "signed with temporary credentials (a session token is in the key): it stops when that session ends, if sooner")
	}
	switch {
	case strings.HasPrefix(d.AccessKeyID, prefixAccessKeyLong):
		d.Notes = append(d.Notes, "signed by a long-term access key (AKIA): an IAM user's or the root user's")
	case strings.HasPrefix(d.AccessKeyID, prefixAccessKeyTemp):
		d.Notes = append(d.Notes, "signed by temporary credentials (ASIA): a role session, or a user's session token; which one, only CloudTrail tells")
	}
	return d, nil
}
