// Package localiam is a local, in-memory endpoint that speaks the subset of the
// IAM Query protocol (and STS GetCallerIdentity) that iamcreds uses: users and
// service-specific credentials, with AWS's validation, error codes, limits and
// naming. It is written from the wire contract in /work/shared/iam-contract.md,
// not from iamcreds' own client, so that it can catch that client's mistakes.
//
// With an organization seed ("org:demo", "org:ACCOUNTSxUSERS") it also plays
// AWS Organizations: ListAccounts (JSON 1.1 protocol) for the management
// account, STS AssumeRole into the member role of each member account, and IAM
// and STS answered for the account whose keys signed the request (the access
// key ID of the SigV4 Authorization header).
//
// On the same address it plays Secrets Manager and Parameter Store (JSON 1.1,
// X-Amz-Target), per account and region, for delivery targets: secrets with
// versions and staging labels, SecureString parameters with versions. Their
// values are held in memory only, never in a state file.
//
// It is a test and demo tool: it checks no SigV4 signature, and never stores a
// password, API-key secret or session token (they are shown once, in the
// Create, Reset and AssumeRole responses, as AWS does).
package localiam
