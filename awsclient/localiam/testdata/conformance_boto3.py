#!/usr/bin/env python3
"""boto3 conformance check for `iamcreds local-iam` (run by conformance_test.go).

Usage: conformance_boto3.py ENDPOINT_URL   (against an empty account)

Drives the endpoint with the unmodified boto3 client, as the boto3 reference
describes the service-specific-credential operations, and checks the parsed
results: types, error codes, HTTP statuses and pagination. Prints
"boto3 conformance: OK (N checks)" or exits non-zero at the first failure.
"""
import base64
import datetime
import re
import sys

import boto3
from botocore.config import Config

import boto3_checks
from boto3_checks import check, expect_error, is_utc_datetime

ENDPOINT = sys.argv[1]
ACCOUNT = "123456789012"

config = Config(retries={"max_attempts": 1, "mode": "standard"})
iam = boto3.client("iam", endpoint_url=ENDPOINT, region_name="us-east-1", config=config)
sts = boto3.client("sts", endpoint_url=ENDPOINT, region_name="us-east-1", config=config)


# Users, and ListUsers pagination through botocore's own paginator.
user = iam.create_user(UserName="sofia", Path="/engineering/")["User"]
check(user["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/engineering/sofia", f"Arn {user['Arn']}")
check(re.fullmatch(r"AIDA[A-Z2-7]{17}", user["UserId"]), f"UserId {user['UserId']}")
check(is_utc_datetime(user["CreateDate"]), f"CreateDate {user['CreateDate']!r}")
names = ["sofia"] + [f"user{i:02d}" for i in range(9)]
for n in names[1:]:
    iam.create_user(UserName=n)
expect_error("EntityAlreadyExists", 409, iam.create_user, UserName="SOFIA")
pages = list(iam.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 3}))
check(len(pages) == 4, f"{len(pages)} ListUsers pages")
check(sorted(u["UserName"] for p in pages for u in p["Users"]) == sorted(names), "paginated users")
check("Marker" not in pages[-1] and pages[-1]["IsTruncated"] is False, "last ListUsers page")
check(iam.get_user(UserName="Sofia")["User"]["UserName"] == "sofia", "case-insensitive GetUser")
try:
    iam.get_user(UserName="nobody")
    raise AssertionError("GetUser(nobody) succeeded")
except iam.exceptions.NoSuchEntityException as e:  # the modelled exception class
    check(e.response["Error"]["Message"] == "The user with name nobody cannot be found.", "NoSuchEntity message")

# Create: the reference response shape.
first = iam.create_service_specific_credential(UserName="sofia", ServiceName="codecommit.amazonaws.com")["ServiceSpecificCredential"]
second = iam.create_service_specific_credential(UserName="sofia", ServiceName="codecommit.amazonaws.com")["ServiceSpecificCredential"]
for c, name in ((first, f"sofia-at-{ACCOUNT}"), (second, f"sofia+1-at-{ACCOUNT}")):
    check(set(c) == {"CreateDate", "ServiceName", "ServiceUserName", "ServicePassword", "ServiceSpecificCredentialId", "UserName", "Status"},
          f"credential keys {sorted(c)}")
    check(c["ServiceUserName"] == name, f"ServiceUserName {c['ServiceUserName']}")
    check(re.fullmatch(r"ACCA[A-Z2-7]{17}", c["ServiceSpecificCredentialId"]), c["ServiceSpecificCredentialId"])
    check(re.fullmatch(r"[A-Za-z0-9+/]{43}=", c["ServicePassword"]), "44-character password")
    check(c["Status"] == "Active" and is_utc_datetime(c["CreateDate"]), f"status/date {c}")
e = expect_error("LimitExceeded", 409, iam.create_service_specific_credential, UserName="sofia", ServiceName="codecommit.amazonaws.com")
check(isinstance(e, iam.exceptions.LimitExceededException), "LimitExceeded is the modelled exception")

# List never returns the password.
listed = iam.list_service_specific_credentials(UserName="sofia")["ServiceSpecificCredentials"]
# Same-second credentials are ordered by ID, so compare as sets.
check({c["ServiceSpecificCredentialId"] for c in listed} == {first["ServiceSpecificCredentialId"], second["ServiceSpecificCredentialId"]}, "listed IDs")
check(all("ServicePassword" not in c and is_utc_datetime(c["CreateDate"]) for c in listed), "list metadata")
check(iam.list_service_specific_credentials(UserName="sofia", ServiceName="cassandra.amazonaws.com")["ServiceSpecificCredentials"] == [], "empty list")

# Update (no output) and reset (same ID and name, new password, status kept).
cid = first["ServiceSpecificCredentialId"]
resp = iam.update_service_specific_credential(UserName="sofia", ServiceSpecificCredentialId=cid, Status="Inactive")
check(set(resp) == {"ResponseMetadata"} and resp["ResponseMetadata"]["HTTPStatusCode"] == 200, f"update output {resp}")
reset = iam.reset_service_specific_credential(UserName="sofia", ServiceSpecificCredentialId=cid)["ServiceSpecificCredential"]
check(reset["ServiceSpecificCredentialId"] == cid and reset["ServiceUserName"] == first["ServiceUserName"], "reset keeps ID and name")
check(reset["Status"] == "Inactive" and reset["CreateDate"] == first["CreateDate"], "reset keeps status and date")
check(reset["ServicePassword"] != first["ServicePassword"], "reset changes the password")
expect_error("ValidationError", 400, iam.update_service_specific_credential, "enum value set",
             UserName="sofia", ServiceSpecificCredentialId=cid, Status="Expired")
expect_error("ValidationError", 400, iam.delete_service_specific_credential, "regular expression pattern",
             UserName="sofia", ServiceSpecificCredentialId="ACCA-BAD-ID-WITH-HYPHENS")
expect_error("NoSuchEntity", 404, iam.delete_service_specific_credential, "No such credential ACCAZZZZZZZZZZZZZZZZZ exists",
             UserName="sofia", ServiceSpecificCredentialId="ACCAZZZZZZZZZZZZZZZZZ")
expect_error("DeleteConflict", 409, iam.delete_user, UserName="sofia")

# API keys.
key = iam.create_service_specific_credential(UserName="sofia", ServiceName="bedrock.amazonaws.com", CredentialAgeDays=30)["ServiceSpecificCredential"]
check("ServicePassword" not in key and key["ServiceCredentialAlias"] == f"sofia-at-{ACCOUNT}", f"bedrock key {sorted(key)}")
check(key["ExpirationDate"] - key["CreateDate"] == datetime.timedelta(days=30), "ExpirationDate = CreateDate + 30 days")
secret = key["ServiceCredentialSecret"]
check(secret.startswith("ABSK") and base64.b64decode(secret[4:]).startswith(f"sofia-at-{ACCOUNT}:".encode()), "ABSK secret")
logs = iam.create_service_specific_credential(UserName="user00", ServiceName="logs.amazonaws.com")["ServiceSpecificCredential"]
check("ExpirationDate" not in logs and logs["ServiceCredentialSecret"], "logs key without expiry")
expect_error("InvalidInput", 400, iam.create_service_specific_credential, "CredentialAgeDays",
             UserName="sofia", ServiceName="cassandra.amazonaws.com", CredentialAgeDays=5)
expect_error("NoSuchEntity", 404, iam.create_service_specific_credential, "No such service lambda.amazonaws.com is supported",
             UserName="sofia", ServiceName="lambda.amazonaws.com")
expect_error("NoSuchEntity", 404, iam.create_service_specific_credential, "The user with name ghost cannot be found.",
             UserName="ghost", ServiceName="lambda.amazonaws.com")
expect_error("ValidationError", 400, iam.list_service_specific_credentials, "AllUsers", AllUsers=True, UserName="sofia")

# AllUsers pagination by hand (there is no paginator for this operation).
for n in names[1:]:
    iam.create_service_specific_credential(UserName=n, ServiceName="bedrock.amazonaws.com")
want = {c["ServiceSpecificCredentialId"] for u in names for c in iam.list_service_specific_credentials(UserName=u, ServiceName="bedrock.amazonaws.com")["ServiceSpecificCredentials"]}
seen, kwargs, pages = [], {"AllUsers": True, "ServiceName": "bedrock.amazonaws.com", "MaxItems": 4}, 0
while True:
    page = iam.list_service_specific_credentials(**kwargs)
    pages += 1
    check(isinstance(page["IsTruncated"], bool), "IsTruncated is a bool")
    seen += [c["ServiceSpecificCredentialId"] for c in page["ServiceSpecificCredentials"]]
    if not page["IsTruncated"]:
        check("Marker" not in page, "no Marker on the last page")
        break
    kwargs["Marker"] = page["Marker"]
check(len(want) == 10 and sorted(seen) == sorted(want) and len(seen) == len(set(seen)) and pages == 3, f"AllUsers paging {pages} pages {len(seen)} items")

ident = sts.get_caller_identity()
check(ident["Account"] == ACCOUNT and ident["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/iamcreds-demo", f"identity {ident}")

print(f"boto3 conformance: OK ({boto3_checks.count} checks)")
