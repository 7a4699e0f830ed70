// Package localiam is a local, in-memory endpoint that speaks the subset of the
// IAM Query protocol (and STS GetCallerIdentity) that iamcreds uses: users and
// service-specific credentials, with AWS's validation, error codes, limits and
// naming. It is written from the wire contract in /work/shared/iam-contract.md,
// not from iamcreds' own client, so that it can catch that client's mistakes.
//
// It is a test and demo tool: it has no authentication, ignores SigV4
// signatures, and never stores a password or API-key secret (they are shown
// once, in the Create and Reset responses, as AWS does).
package localiam
