package keyscan

import (
	"encoding/base64"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"testing"

	"iamcreds/model"
)

// realKeys are one key of each kind model.FindKeys knows, shaped as AWS
// makes them (dummy secrets).
func realKeys() []string {
	secret := base64.StdEncoding.EncodeToString([]byte("secret-secret-secret-secret-secret"))
	short := func(prefix, host, service string) string {
		q := url.Values{}
		q.Set("Action", "CallWithBearerToken")
		q.Set("X-Amz-Algorithm", "AWS4-HMAC-SHA256")
		q.Set("X-Amz-Credential", "ASIAZZZZZZZZZZZZZZZZ/20260511/us-east-1/"+service+"/aws4_request")
		q.Set("X-Amz-Date", "20260511T184706Z")
		q.Set("X-Amz-Expires", "43200")
		q.Set("X-Amz-SignedHeaders", "host")
		q.Set("X-Amz-Signature", strings.Repeat("ab12", 16))
		return prefix + base64.StdEncoding.EncodeToString([]byte(host+"/?"+q.Encode()+"&Version=1"))
	}
	return []string{
		"ABSK" + base64.StdEncoding.EncodeToString([]byte("alice-at-123456789012:"+secret)),
		"ABSK" + base64.StdEncoding.EncodeToString([]byte("alice+1-at-123456789012:"+secret)),
		"AEAA" + base64.StdEncoding.EncodeToString([]byte("AeaApiKey-h42z-at-123456789012:"+secret)),
		short("bedrock-api-key-", "bedrock.amazonaws.com", "bedrock"),
		"AKIAZZZZZZZZZZZZZZZZ",
		"ASIAYYYYYYYYYYYYYYYY",
	}
}

// Prefixes agrees with model.FindKeys: every key it finds starts with one,
// and the searcher, which hands FindKeys only the lines around a prefix,
// finds in a long text exactly what FindKeys finds in the whole of it.
func TestPrefixesAgreeWithFindKeys(t *testing.T) {
	keys := realKeys()
	r := rand.New(rand.NewPCG(3, 4))
	var b strings.Builder
	filler := []string{"ABS", "AKI", "bedrock-api-key", "-api-key-", "AEA", "x", "  ", "\n", "token=", "\"", "ASIAsmall ", "é"}
	for range 3000 {
		if r.IntN(10) == 0 {
			b.WriteString(keys[r.IntN(len(keys))])
		} else {
			b.WriteString(filler[r.IntN(len(filler))])
		}
		b.WriteString([]string{" ", "\n", ",", "\t"}[r.IntN(4)])
	}
	text := []byte(b.String())
	whole := model.FindKeys(text)
	if len(whole) < 100 {
		t.Fatalf("FindKeys found only %d keys: the test's keys are not keys", len(whole))
	}
	for _, sp := range whole {
		k := string(text[sp[0]:sp[1]])
		if !slices.ContainsFunc(Prefixes, func(p string) bool { return strings.HasPrefix(k, p) }) {
			t.Errorf("FindKeys found %.12s…, which no prefix in Prefixes starts", k)
		}
	}
	var got [][2]int
	newSearcher(model.FindKeys).search(text, func(sp span) { got = append(got, [2]int{sp.start, sp.end}) })
	if !slices.Equal(got, whole) {
		t.Errorf("the searcher found %d spans, FindKeys over the whole text %d", len(got), len(whole))
	}
	for _, k := range keys {
		if sp := model.FindKeys([]byte(k)); len(sp) != 1 {
			t.Errorf("FindKeys does not take %.12s… for a key", k)
		}
	}
}
