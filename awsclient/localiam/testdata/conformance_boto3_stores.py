#!/usr/bin/env python3
"""boto3 conformance check for Secrets Manager and Parameter Store on `iamcreds local-iam`.

Usage: conformance_boto3_stores.py ENDPOINT_URL DENIED_ENDPOINT_URL

ENDPOINT_URL serves an empty account; DENIED_ENDPOINT_URL one started with
--deny secretsmanager:PutSecretValue,ssm:PutParameter. Drives both with the
unmodified boto3 clients as a delivery script would (create, put twice, read
back by stage, roll back, SecureString parameters) and checks parsed results,
error codes and HTTP statuses. Prints "boto3 stores conformance: OK (N checks)"
or exits non-zero at the first failure.
"""
import re
import sys
import uuid

import boto3
from botocore.config import Config

import boto3_checks
from boto3_checks import check, expect_error, is_utc_datetime

ENDPOINT, DENIED = sys.argv[1], sys.argv[2]
ACCOUNT = "123456789012"
CALLER = f"arn:aws:iam::{ACCOUNT}:user/iamcreds-demo"

config = Config(retries={"max_attempts": 1, "mode": "standard"})


def client(service, endpoint=ENDPOINT, region="us-east-1"):
    return boto3.client(service, endpoint_url=endpoint, region_name=region, config=config)


sm, ssm = client("secretsmanager"), client("ssm")

# --- Secrets Manager ---------------------------------------------------------
created = sm.create_secret(Name="ci/git", KmsKeyId="alias/ci", Description="CI Git password")
arn = created["ARN"]
check(re.fullmatch(rf"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:ci/git-[A-Za-z0-9]{{6}}", arn), f"ARN {arn}")
check(created["Name"] == "ci/git" and "VersionId" not in created, f"create_secret {created}")
expect_error("ResourceNotFoundException", 400, sm.get_secret_value, "staging label: AWSCURRENT", SecretId="ci/git")
expect_error("ResourceExistsException", 400, sm.create_secret, "already exists", Name="ci/git", SecretString="x")

# boto3 fills ClientRequestToken with a UUID itself.
first = sm.put_secret_value(SecretId="ci/git", SecretString='{"secret":"one"}')
check(re.fullmatch(r"[0-9a-f-]{36}", first["VersionId"]) and first["VersionStages"] == ["AWSCURRENT"], f"first put {first}")
token = str(uuid.uuid4())
second = sm.put_secret_value(SecretId=arn, SecretString='{"secret":"two"}', ClientRequestToken=token)
check(second["VersionId"] == token and second["VersionStages"] == ["AWSCURRENT"] and second["ARN"] == arn, f"second put {second}")
retry = sm.put_secret_value(SecretId=arn, SecretString='{"secret":"two"}', ClientRequestToken=token)
check(retry["VersionId"] == token, f"retry {retry}")
expect_error("ResourceExistsException", 400, sm.put_secret_value, f"You can't use ClientRequestToken {token}",
             SecretId="ci/git", SecretString="other", ClientRequestToken=token)

desc = sm.describe_secret(SecretId="ci/git")
check(desc["VersionIdsToStages"] == {first["VersionId"]: ["AWSPREVIOUS"], token: ["AWSCURRENT"]}, f"stages {desc['VersionIdsToStages']}")
check(desc["KmsKeyId"] == "alias/ci" and desc["Description"] == "CI Git password" and desc["ARN"] == arn, f"describe {desc}")
check(is_utc_datetime(desc["CreatedDate"]) and is_utc_datetime(desc["LastChangedDate"]), "describe dates")

cur = sm.get_secret_value(SecretId="ci/git")
check(cur["SecretString"] == '{"secret":"two"}' and cur["VersionStages"] == ["AWSCURRENT"] and is_utc_datetime(cur["CreatedDate"]), f"current {cur}")
prev = sm.get_secret_value(SecretId=arn[:-7], VersionStage="AWSPREVIOUS")  # a partial ARN
check(prev["SecretString"] == '{"secret":"one"}' and prev["VersionId"] == first["VersionId"], f"previous {prev}")
check(sm.get_secret_value(SecretId=arn, VersionId=first["VersionId"])["SecretString"] == '{"secret":"one"}', "by VersionId")

versions = sm.list_secret_version_ids(SecretId="ci/git")["Versions"]
check([v["VersionId"] for v in versions] == [token, first["VersionId"]], f"versions {versions}")
check(all(is_utc_datetime(v["CreatedDate"]) for v in versions), "version dates")

# Roll back: AWSCURRENT to the first version needs the one that has it named.
expect_error("InvalidParameterException", 400, sm.update_secret_version_stage, "RemoveFromVersionId",
             SecretId="ci/git", VersionStage="AWSCURRENT", MoveToVersionId=first["VersionId"])
moved = sm.update_secret_version_stage(SecretId="ci/git", VersionStage="AWSCURRENT",
                                       MoveToVersionId=first["VersionId"], RemoveFromVersionId=token)
check(moved["ARN"] == arn and moved["Name"] == "ci/git", f"update {moved}")
stages = sm.describe_secret(SecretId=arn)["VersionIdsToStages"]
check(stages == {first["VersionId"]: ["AWSCURRENT"], token: ["AWSPREVIOUS"]}, f"after rollback {stages}")

binary = sm.create_secret(Name="bin", SecretBinary=b"\x00\x01\xff")
check(sm.get_secret_value(SecretId="bin")["SecretBinary"] == b"\x00\x01\xff", "SecretBinary round trip")
check("VersionId" in binary, "create with a value makes a version")

expect_error("ResourceNotFoundException", 400, sm.get_secret_value, "can't find the specified secret", SecretId="nobody")
expect_error("ResourceNotFoundException", 400, sm.put_secret_value, "can't find the specified secret", SecretId="nobody", SecretString="x")
other = "arn:aws:secretsmanager:us-east-1:111122223333:secret:ci/git-AbCdEf"
expect_error("AccessDeniedException", 400, sm.get_secret_value, f"User: {CALLER} is not authorized to perform: secretsmanager:GetSecretValue on resource: {other}",
             SecretId=other)
expect_error("InvalidParameterException", 400, sm.create_secret, "Invalid name", Name="bad name")
expect_error("ResourceNotFoundException", 400, client("secretsmanager", region="eu-west-1").describe_secret, SecretId="ci/git")

# Deletion: scheduled (the values and the name refused), restored; then forced.
d = sm.delete_secret(SecretId="bin", RecoveryWindowInDays=7)
check(d["Name"] == "bin" and is_utc_datetime(d["DeletionDate"]), f"delete {d}")
check(is_utc_datetime(sm.describe_secret(SecretId="bin")["DeletedDate"]), "DeletedDate")
expect_error("InvalidRequestException", 400, sm.get_secret_value, "marked for deletion", SecretId="bin")
expect_error("InvalidRequestException", 400, sm.create_secret, "already scheduled for deletion", Name="bin", SecretString="x")
restored = sm.restore_secret(SecretId="bin")
check(restored["Name"] == "bin" and sm.get_secret_value(SecretId="bin")["SecretBinary"] == b"\x00\x01\xff", "restored")
sm.delete_secret(SecretId="bin", ForceDeleteWithoutRecovery=True)
expect_error("ResourceNotFoundException", 400, sm.describe_secret, SecretId="bin")

# --- Parameter Store -----------------------------------------------------------
name = "/ci/runner/git-password"
put = ssm.put_parameter(Name=name, Value="one", Type="SecureString", KeyId="alias/ci")
check(put == {"Version": 1, "Tier": "Standard", "ResponseMetadata": put["ResponseMetadata"]}, f"put {put}")
expect_error("ParameterAlreadyExists", 400, ssm.put_parameter, "set the overwrite option", Name=name, Value="two", Type="SecureString")
check(ssm.put_parameter(Name=name, Value="two", Type="SecureString", Overwrite=True)["Version"] == 2, "overwrite")
p = ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]
check(p["Value"] == "two" and p["Version"] == 2 and p["Type"] == "SecureString" and p["DataType"] == "text", f"get {p}")
check(p["ARN"] == f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter{name}" and is_utc_datetime(p["LastModifiedDate"]), f"get {p}")
enc = ssm.get_parameter(Name=name)["Parameter"]["Value"]
check(enc not in ("one", "two") and enc.startswith("AQICAH"), f"SecureString without decryption: {enc[:12]}…")
check(ssm.get_parameter(Name=p["ARN"], WithDecryption=True)["Parameter"]["Value"] == "two", "by ARN")
check(ssm.get_parameter(Name=name + ":1", WithDecryption=True)["Parameter"]["Value"] == "one", "by version")
expect_error("ValidationException", 400, ssm.put_parameter, "parameter type is required", Name="/new", Value="x")
expect_error("ValidationException", 400, ssm.put_parameter, "fully qualified", Name="a/b", Value="x", Type="String")
deleted = ssm.delete_parameter(Name=name)
check(set(deleted) == {"ResponseMetadata"}, f"delete {deleted}")
expect_error("ParameterNotFound", 400, ssm.get_parameter, Name=name, WithDecryption=True)
expect_error("ParameterNotFound", 400, ssm.delete_parameter, Name=name)

# --- Denied actions (--deny), each answered before anything changes -----------
dsm, dssm = client("secretsmanager", DENIED), client("ssm", DENIED)
dsm.create_secret(Name="ci/git")
expect_error("AccessDeniedException", 400, dsm.put_secret_value,
             f"User: {CALLER} is not authorized to perform: secretsmanager:PutSecretValue on resource: ci/git because no identity-based policy allows",
             SecretId="ci/git", SecretString="x")
check("VersionIdsToStages" not in dsm.describe_secret(SecretId="ci/git"), "a denied put left no version")
expect_error("AccessDeniedException", 400, dssm.put_parameter,
             f"is not authorized to perform: ssm:PutParameter on resource: arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/ci/git",
             Name="/ci/git", Value="x", Type="SecureString")
expect_error("ParameterNotFound", 400, dssm.get_parameter, Name="/ci/git")

print(f"boto3 stores conformance: OK ({boto3_checks.count} checks)")
