// Package bedrockkeytest mints short-term Bedrock API keys for tests, the way
// AWS's aws-bedrock-token-generator libraries do (python, js, java; there is
// no Go one): a SigV4 presigned URL for
// https://bedrock.amazonaws.com/?Action=CallWithBearerToken, without its
// scheme, "&Version=1" appended, base64, behind "bedrock-api-key-". It signs
// with the SDK's own presigner, so a key minted from credentials the local
// endpoint issued is shaped exactly like one AWS's generators make.
//
// Test support only: nothing but tests imports it.
package bedrockkeytest

import (
	"context"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// emptyPayload is the SHA-256 of an empty body: the token generators presign a
// POST without one.
const emptyPayload = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// Mint returns a short-term Bedrock key signed with creds (an ASIA key's
// session token goes into the URL) for region, at signed, lasting lifetime
// (the generators' default is 12 hours).
func Mint(ctx context.Context, creds aws.Credentials, region string, signed time.Time, lifetime time.Duration) (string, error) {
	return mint(ctx, creds, "bedrock.amazonaws.com", "bedrock", "bedrock-api-key-", region, signed, lifetime)
}

// MintClaudePlatform is the same for Claude Platform on AWS, whose short-term
// keys BeyondTrust's decoder describes (aws-external-anthropic-api-key-,
// host aws-external-anthropic.amazonaws.com); AWS publishes no generator.
func MintClaudePlatform(ctx context.Context, creds aws.Credentials, region string, signed time.Time, lifetime time.Duration) (string, error) {
	return mint(ctx, creds, "aws-external-anthropic.amazonaws.com", "aws-external-anthropic", "aws-external-anthropic-api-key-", region, signed, lifetime)
}

func mint(ctx context.Context, creds aws.Credentials, host, service, prefix, region string, signed time.Time, lifetime time.Duration) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://"+host+"/?Action=CallWithBearerToken", nil)
	if err != nil {
		return "", err
	}
	q := req.URL.Query()
	q.Set("X-Amz-Expires", strconv.Itoa(int(lifetime/time.Second)))
	req.URL.RawQuery = q.Encode()
	url, _, err := v4.NewSigner().PresignHTTP(ctx, creds, req, emptyPayload, service, region, signed)
	if err != nil {
		return "", err
	}
	url = strings.TrimPrefix(url, "https://") + "&Version=1"
	return prefix + base64.StdEncoding.EncodeToString([]byte(url)), nil
}
