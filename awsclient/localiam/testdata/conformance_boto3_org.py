#!/usr/bin/env python3
"""boto3 conformance check for `iamcreds local-iam --seed org:5x3` (run by conformance_test.go).

Usage: conformance_boto3_org.py ENDPOINT_URL

Does what a cross-account script does with the unmodified boto3 client: lists
the organization's accounts with botocore's ListAccounts paginator, assumes
OrganizationAccountAccessRole in each ACTIVE member account, and lists that
account's IAM users and credentials with the returned keys. Checks types,
fields, error codes and HTTP statuses. Prints "boto3 org conformance: OK (N
checks)" or exits non-zero at the first failure.
"""
import datetime
import re
import sys

import boto3
from botocore.config import Config

import boto3_checks
from boto3_checks import check, expect_error, is_utc_datetime

ENDPOINT = sys.argv[1]
MANAGEMENT = "123456789012"
ROLE = "OrganizationAccountAccessRole"

config = Config(retries={"max_attempts": 1, "mode": "standard"})


def client(service, creds=None):
    kwargs = {}
    if creds is not None:
        kwargs = {"aws_access_key_id": creds["AccessKeyId"], "aws_secret_access_key": creds["SecretAccessKey"],
                  "aws_session_token": creds["SessionToken"]}
    return boto3.client(service, endpoint_url=ENDPOINT, region_name="us-east-1", config=config, **kwargs)


orgs, sts = client("organizations"), client("sts")

# ListAccounts through botocore's paginator, two accounts a page.
pages = list(orgs.get_paginator("list_accounts").paginate(PaginationConfig={"PageSize": 2}))
check(len(pages) == 3, f"{len(pages)} pages of 2 for 5 accounts")
check(all("NextToken" in p for p in pages[:-1]) and "NextToken" not in pages[-1], "NextToken on every page but the last")
accounts = [a for p in pages for a in p["Accounts"]]
check(len(accounts) == 5 and len({a["Id"] for a in accounts}) == 5, f"accounts {[a['Id'] for a in accounts]}")
check(accounts[0]["Id"] == MANAGEMENT and accounts[0]["Name"] == "Management", f"first account {accounts[0]}")
for a in accounts:
    check(set(a) == {"Id", "Arn", "Email", "Name", "Status", "State", "JoinedMethod", "JoinedTimestamp"}, f"account keys {sorted(a)}")
    check(re.fullmatch(r"\d{12}", a["Id"]), f"Id {a['Id']}")
    check(re.fullmatch(rf"arn:aws:organizations::{MANAGEMENT}:account/o-[a-z0-9]{{10,32}}/{a['Id']}", a["Arn"]), f"Arn {a['Arn']}")
    check(re.fullmatch(r"[^\s@]+@[^\s@]+\.[^\s@]+", a["Email"]), f"Email {a['Email']}")
    check(a["Status"] in ("ACTIVE", "SUSPENDED") and a["State"] == a["Status"], f"Status {a['Status']} State {a['State']}")
    check(a["JoinedMethod"] in ("INVITED", "CREATED"), f"JoinedMethod {a['JoinedMethod']}")
    check(is_utc_datetime(a["JoinedTimestamp"]) and a["JoinedTimestamp"] < datetime.datetime.now(datetime.timezone.utc),
          f"JoinedTimestamp {a['JoinedTimestamp']!r}")
active = [a for a in accounts if a["Status"] == "ACTIVE"]
suspended = [a for a in accounts if a["Status"] == "SUSPENDED"]
check(len(active) == 4 and len(suspended) == 1, f"{len(active)} active, {len(suspended)} suspended")
expect_error("InvalidInputException", 400, orgs.list_accounts, "maximum", MaxResults=21)

ident = sts.get_caller_identity()
check(ident["Account"] == MANAGEMENT, f"caller {ident}")

# Into every ACTIVE member account, as a cross-account script does.
for a in active:
    if a["Id"] == MANAGEMENT:
        continue
    role_arn = f"arn:aws:iam::{a['Id']}:role/{ROLE}"
    out = sts.assume_role(RoleArn=role_arn, RoleSessionName="boto3-conformance", DurationSeconds=900)
    creds = out["Credentials"]
    check(re.fullmatch(r"ASIA[A-Z2-7]{16}", creds["AccessKeyId"]) and len(creds["SecretAccessKey"]) == 40 and creds["SessionToken"],
          f"credentials {sorted(creds)}")
    check(is_utc_datetime(creds["Expiration"]), f"Expiration {creds['Expiration']!r}")
    left = creds["Expiration"] - datetime.datetime.now(datetime.timezone.utc)
    check(datetime.timedelta(minutes=14) < left <= datetime.timedelta(minutes=15, seconds=1), f"session of {left}")
    user = out["AssumedRoleUser"]
    check(user["Arn"] == f"arn:aws:sts::{a['Id']}:assumed-role/{ROLE}/boto3-conformance", f"AssumedRoleUser {user}")
    check(re.fullmatch(r"AROA[A-Z2-7]{17}:boto3-conformance", user["AssumedRoleId"]), f"AssumedRoleId {user['AssumedRoleId']}")

    member_sts, member_iam = client("sts", creds), client("iam", creds)
    who = member_sts.get_caller_identity()
    check(who["Account"] == a["Id"] and who["Arn"] == user["Arn"], f"identity in {a['Id']}: {who}")
    users = [u for p in member_iam.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 2}) for u in p["Users"]]
    check(len(users) == 3 and all(u["Arn"].startswith(f"arn:aws:iam::{a['Id']}:user/") for u in users), f"users of {a['Id']}: {users}")
    listed = member_iam.list_service_specific_credentials(UserName=users[0]["UserName"])["ServiceSpecificCredentials"]
    for c in listed:
        login = c.get("ServiceUserName") or c.get("ServiceCredentialAlias")
        check(login.endswith(f"-at-{a['Id']}"), f"credential of {a['Id']}: {login}")
    # Organizations is the management account's: a member's session is denied.
    expect_error("AccessDeniedException", 400, client("organizations", creds).list_accounts,
                 "You don't have permissions to access this resource.")

# What AWS says when the role cannot be assumed.
for arn in (f"arn:aws:iam::{suspended[0]['Id']}:role/{ROLE}", f"arn:aws:iam::{active[1]['Id']}:role/NoSuchRole"):
    expect_error("AccessDenied", 403, sts.assume_role,
                 f"User: arn:aws:iam::{MANAGEMENT}:user/iamcreds-demo is not authorized to perform: sts:AssumeRole on resource: {arn}",
                 RoleArn=arn, RoleSessionName="boto3-conformance")
expect_error("ValidationError", 400, sts.assume_role, "MaxSessionDuration",
             RoleArn=f"arn:aws:iam::{active[1]['Id']}:role/{ROLE}", RoleSessionName="boto3-conformance", DurationSeconds=7200)
forged = {"AccessKeyId": "ASIAZZZZZZZZZZZZZZZZ", "SecretAccessKey": "x" * 40, "SessionToken": "forged"}
expect_error("InvalidClientTokenId", 403, client("iam", forged).list_users, "The security token included in the request is invalid.")

print(f"boto3 org conformance: OK ({boto3_checks.count} checks)")
