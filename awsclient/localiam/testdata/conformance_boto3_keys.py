#!/usr/bin/env python3
"""boto3 conformance check of what a leaked-key lookup asks (run by conformance_test.go).

Usage: conformance_boto3_keys.py ENDPOINT_URL   (against the demo seed)

STS GetAccessKeyInfo with the unmodified boto3 client: the account of a key
the endpoint issued (Active, Inactive, deleted), of a key it did not (the
account AWS encodes in the ID), botocore's own length check; then the API-key
secrets' forms (ABSK, AEAA) against the alias the same reply carries, and the
exact listing a lookup makes (UserName and ServiceName). Prints
"boto3 key conformance: OK (N checks)" or exits non-zero at the first failure.
"""
import base64
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ParamValidationError

import boto3_checks
from boto3_checks import check, expect_error

ENDPOINT = sys.argv[1]
ACCOUNT = "123456789012"

config = Config(retries={"max_attempts": 1, "mode": "standard"})
iam = boto3.client("iam", endpoint_url=ENDPOINT, region_name="us-east-1", config=config)
sts = boto3.client("sts", endpoint_url=ENDPOINT, region_name="us-east-1", config=config)

iam.create_user(UserName="leaky")
key = iam.create_access_key(UserName="leaky")["AccessKey"]["AccessKeyId"]
info = sts.get_access_key_info(AccessKeyId=key)
check(set(info) == {"Account", "ResponseMetadata"}, f"get_access_key_info keys {sorted(info)}")
check(info["Account"] == ACCOUNT, f"account of an issued key {info['Account']}")
# "does not indicate the state of the access key": Inactive, then deleted.
iam.update_access_key(UserName="leaky", AccessKeyId=key, Status="Inactive")
check(sts.get_access_key_info(AccessKeyId=key)["Account"] == ACCOUNT, "an Inactive key's account")
iam.delete_access_key(UserName="leaky", AccessKeyId=key)
check(sts.get_access_key_info(AccessKeyId=key)["Account"] == ACCOUNT, "a deleted key's account: it is in the ID")
# A key of another account: the account encoded in the ID.
check(sts.get_access_key_info(AccessKeyId="ASIAY34FZKBOKMUTVV7A")["Account"] == "609629065308", "encoded account")
caller = sts.get_caller_identity()
check(caller["Account"] == ACCOUNT, f"caller {caller}")
try:
    sts.get_access_key_info(AccessKeyId="AKIA123")
    raise AssertionError("a 7-character key ID was sent")
except ParamValidationError:
    check(True, "botocore checks the length")
expect_error("InvalidParameterValue", 400, sts.get_access_key_info, AccessKeyId="AKIA0000000000000000")

# API-key secrets: prefix + base64("<alias>:<secret>"), the alias the reply's.
for service, prefix, framing in (("bedrock.amazonaws.com", "ABSK", None),
                                  ("aws-external-anthropic.amazonaws.com", "AEAA", b"\x00@\x00")):
    c = iam.create_service_specific_credential(UserName="leaky", ServiceName=service)["ServiceSpecificCredential"]
    secret, alias = c["ServiceCredentialSecret"], c["ServiceCredentialAlias"]
    check(secret.startswith(prefix) and alias == f"leaky-at-{ACCOUNT}", f"{service}: {alias}")
    payload = base64.b64decode(secret[len(prefix):])
    check(payload.startswith((alias + ":").encode()) and len(payload) > len(alias) + 20, f"{service} payload form")
    if framing:
        check(base64.b64decode(secret).startswith(framing + alias.encode()), f"{service}: AEAA is the framing bytes")
    listed = iam.list_service_specific_credentials(UserName="leaky", ServiceName=service)["ServiceSpecificCredentials"]
    check([m["ServiceCredentialAlias"] for m in listed] == [alias], f"{service} listing {listed}")
second = iam.create_service_specific_credential(UserName="leaky", ServiceName="bedrock.amazonaws.com")["ServiceSpecificCredential"]
check(second["ServiceCredentialAlias"] == f"leaky+1-at-{ACCOUNT}", f"second key alias {second['ServiceCredentialAlias']}")
check(base64.b64decode(second["ServiceCredentialSecret"][4:]).startswith(f"leaky+1-at-{ACCOUNT}:".encode()), "second key payload")

print(f"boto3 key conformance: OK ({boto3_checks.count} checks)")
