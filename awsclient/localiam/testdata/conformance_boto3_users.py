#!/usr/bin/env python3
"""boto3 conformance check of what a user holds (run by conformance_test.go).

Usage: conformance_boto3_users.py ENDPOINT_URL   (against the demo seed)

Drives access keys, the login profile, attached and inline policies, group
memberships and DeleteUser's conflicts with the unmodified boto3 client and
botocore's own paginators, and checks the parsed results: types, modelled
exception classes, error codes and HTTP statuses. Prints
"boto3 user conformance: OK (N checks)" or exits non-zero at the first failure.
"""
import re
import sys

import boto3
from botocore.config import Config

import boto3_checks
from boto3_checks import check, expect_error, is_utc_datetime

ENDPOINT = sys.argv[1]
ACCOUNT = "123456789012"
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
BEDROCK = "arn:aws:iam::aws:policy/AmazonBedrockLimitedAccess"

config = Config(retries={"max_attempts": 1, "mode": "standard"})
iam = boto3.client("iam", endpoint_url=ENDPOINT, region_name="us-east-1", config=config)

iam.create_user(UserName="kai")

# Access keys: the secret once, two at most, metadata in lists.
made = [iam.create_access_key(UserName="kai")["AccessKey"] for _ in range(2)]
for k in made:
    check(set(k) == {"UserName", "AccessKeyId", "Status", "SecretAccessKey", "CreateDate"}, f"access key keys {sorted(k)}")
    check(re.fullmatch(r"AKIA[A-Z2-7]{16}", k["AccessKeyId"]) and len(k["SecretAccessKey"]) == 40, f"access key {k['AccessKeyId']}")
    check(k["Status"] == "Active" and is_utc_datetime(k["CreateDate"]), f"new key {k}")
e = expect_error("LimitExceeded", 409, iam.create_access_key, "AccessKeysPerUser: 2", UserName="kai")
check(isinstance(e, iam.exceptions.LimitExceededException), "LimitExceeded is the modelled exception")
iam.update_access_key(UserName="kai", AccessKeyId=made[0]["AccessKeyId"], Status="Inactive")
pages = list(iam.get_paginator("list_access_keys").paginate(UserName="kai", PaginationConfig={"PageSize": 1}))
listed = [k for p in pages for k in p["AccessKeyMetadata"]]
check(len(pages) == 2 and "Marker" not in pages[-1], f"{len(pages)} ListAccessKeys pages")
check(all(set(k) == {"UserName", "AccessKeyId", "Status", "CreateDate"} for k in listed), "metadata has no secret")
check({k["AccessKeyId"]: k["Status"] for k in listed} == {made[0]["AccessKeyId"]: "Inactive", made[1]["AccessKeyId"]: "Active"}, f"statuses {listed}")
expect_error("ValidationError", 400, iam.update_access_key, "enum value set", UserName="kai", AccessKeyId=made[0]["AccessKeyId"], Status="Expired")
e = expect_error("NoSuchEntity", 404, iam.delete_access_key, "The Access Key with id AKIAZZZZZZZZZZZZZZZZ cannot be found.",
                 UserName="kai", AccessKeyId="AKIAZZZZZZZZZZZZZZZZ")
check(isinstance(e, iam.exceptions.NoSuchEntityException), "NoSuchEntity is the modelled exception")

# Login profile.
expect_error("NoSuchEntity", 404, iam.get_login_profile, "Login Profile for User kai cannot be found.", UserName="kai")
e = expect_error("PasswordPolicyViolation", 400, iam.create_login_profile, "minimum length", UserName="kai", Password="short")
check(isinstance(e, iam.exceptions.PasswordPolicyViolationException), "PasswordPolicyViolation is the modelled exception")
lp = iam.create_login_profile(UserName="kai", Password="a long enough password", PasswordResetRequired=True)["LoginProfile"]
check(lp["UserName"] == "kai" and lp["PasswordResetRequired"] is True and is_utc_datetime(lp["CreateDate"]), f"login profile {lp}")
e = expect_error("EntityAlreadyExists", 409, iam.create_login_profile, UserName="kai", Password="a long enough password")
check(isinstance(e, iam.exceptions.EntityAlreadyExistsException), "EntityAlreadyExists is the modelled exception")
check(iam.get_login_profile(UserName="kai")["LoginProfile"] == lp, "GetLoginProfile = CreateLoginProfile")

# Managed policies.
iam.attach_user_policy(UserName="kai", PolicyArn=BEDROCK)
iam.attach_user_policy(UserName="kai", PolicyArn=ADMIN)
expect_error("NoSuchEntity", 404, iam.attach_user_policy, "does not exist or is not attachable",
             UserName="kai", PolicyArn="arn:aws:iam::aws:policy/NoSuchPolicy")
e = expect_error("InvalidInput", 400, iam.attach_user_policy, "is not valid", UserName="kai", PolicyArn="not-an-arn-but-long-enough")
check(isinstance(e, iam.exceptions.InvalidInputException), "InvalidInput is the modelled exception")
pages = list(iam.get_paginator("list_attached_user_policies").paginate(UserName="kai", PaginationConfig={"PageSize": 1}))
attached = [p for page in pages for p in page["AttachedPolicies"]]
check(len(pages) == 2 and attached == [{"PolicyName": "AdministratorAccess", "PolicyArn": ADMIN}, {"PolicyName": "AmazonBedrockLimitedAccess", "PolicyArn": BEDROCK}],
      f"attached {attached}")

# Inline policies.
doc = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}'
for name in ("b-policy", "a-policy"):
    iam.put_user_policy(UserName="kai", PolicyName=name, PolicyDocument=doc)
e = expect_error("MalformedPolicyDocument", 400, iam.put_user_policy, "Syntax errors in policy.", UserName="kai", PolicyName="x", PolicyDocument="{")
check(isinstance(e, iam.exceptions.MalformedPolicyDocumentException), "MalformedPolicyDocument is the modelled exception")
pages = list(iam.get_paginator("list_user_policies").paginate(UserName="kai", PaginationConfig={"PageSize": 1}))
check([n for p in pages for n in p["PolicyNames"]] == ["a-policy", "b-policy"] and len(pages) == 2, f"inline {pages}")

# Groups (the demo seed has api-key-users and developers).
iam.add_user_to_group(UserName="kai", GroupName="developers")
iam.add_user_to_group(UserName="kai", GroupName="api-key-users")
expect_error("NoSuchEntity", 404, iam.add_user_to_group, "The group with name nogroup cannot be found.", UserName="kai", GroupName="nogroup")
groups = [g for p in iam.get_paginator("list_groups_for_user").paginate(UserName="kai", PaginationConfig={"PageSize": 1}) for g in p["Groups"]]
check([g["GroupName"] for g in groups] == ["api-key-users", "developers"], f"groups {groups}")
for g in groups:
    check(set(g) == {"Path", "GroupName", "GroupId", "Arn", "CreateDate"} and is_utc_datetime(g["CreateDate"]), f"group {g}")
    check(g["Arn"] == f"arn:aws:iam::{ACCOUNT}:group{g['Path']}{g['GroupName']}" and re.fullmatch(r"AGPA[A-Z2-7]{17}", g["GroupId"]), f"group {g}")

# An API key too, then DeleteUser: refused while anything remains, in the
# DeleteUser reference's order.
key = iam.create_service_specific_credential(UserName="kai", ServiceName="xray.amazonaws.com")["ServiceSpecificCredential"]
check(key["ServiceCredentialSecret"] and "ExpirationDate" not in key, f"X-Ray key {sorted(key)}")
steps = [
    ("must delete login profile first.", lambda: iam.delete_login_profile(UserName="kai")),
    ("must delete access keys first.", lambda: [iam.delete_access_key(UserName="kai", AccessKeyId=k["AccessKeyId"]) for k in made]),
    ("must remove referenced objects first.", lambda: iam.delete_service_specific_credential(UserName="kai", ServiceSpecificCredentialId=key["ServiceSpecificCredentialId"])),
    ("must delete policies first.", lambda: [iam.delete_user_policy(UserName="kai", PolicyName=n) for n in ("a-policy", "b-policy")]),
    ("must detach all policies first.", lambda: [iam.detach_user_policy(UserName="kai", PolicyArn=a) for a in (ADMIN, BEDROCK)]),
    ("must remove users from group first.", lambda: [iam.remove_user_from_group(UserName="kai", GroupName=g) for g in ("developers", "api-key-users")]),
]
for message, remove in steps:
    e = expect_error("DeleteConflict", 409, iam.delete_user, "Cannot delete entity, " + message, UserName="kai")
    check(isinstance(e, iam.exceptions.DeleteConflictException), "DeleteConflict is the modelled exception")
    remove()
resp = iam.delete_user(UserName="kai")
check(set(resp) == {"ResponseMetadata"} and resp["ResponseMetadata"]["HTTPStatusCode"] == 200, f"delete_user {resp}")
expect_error("NoSuchEntity", 404, iam.list_access_keys, "The user with name kai cannot be found.", UserName="kai")
expect_error("NoSuchEntity", 404, iam.detach_user_policy, "was not found", UserName="mateo", PolicyArn=ADMIN)
expect_error("NoSuchEntity", 404, iam.delete_user_policy, "The user policy with name a-policy cannot be found.", UserName="mateo", PolicyName="a-policy")
expect_error("NoSuchEntity", 404, iam.remove_user_from_group, UserName="mateo", GroupName="developers")
expect_error("NoSuchEntity", 404, iam.delete_login_profile, "Login Profile for User mateo cannot be found.", UserName="mateo")

# The demo's console-made users, as a scanner sees them.
bedrock_users = [u for p in iam.get_paginator("list_users").paginate() for u in p["Users"] if u["UserName"].startswith("BedrockAPIKey-")]
check(len(bedrock_users) >= 3, f"{len(bedrock_users)} BedrockAPIKey- users")
for u in bedrock_users:
    names = [p["PolicyName"] for p in iam.list_attached_user_policies(UserName=u["UserName"])["AttachedPolicies"]]
    check("AmazonBedrockLimitedAccess" in names, f"{u['UserName']} policies {names}")
risky = iam.list_access_keys(UserName="BedrockAPIKey-r8tn")["AccessKeyMetadata"]
check(len(risky) == 1 and risky[0]["Status"] == "Active", f"at-risk user's keys {risky}")

print(f"boto3 user conformance: OK ({boto3_checks.count} checks)")
