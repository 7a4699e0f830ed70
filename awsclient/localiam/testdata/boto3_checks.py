"""Checks shared by the boto3 conformance scripts: each failure raises at once."""
import datetime

from botocore.exceptions import ClientError

count = 0


def check(cond, what):
    global count
    count += 1
    if not cond:
        raise AssertionError(what)


def expect_error(code, status, fn, message=None, **kwargs):
    try:
        fn(**kwargs)
    except ClientError as e:
        err = e.response["Error"]
        check(err["Code"] == code, f"{fn.__name__}: code {err['Code']!r}, want {code!r}")
        check(e.response["ResponseMetadata"]["HTTPStatusCode"] == status,
              f"{fn.__name__}: HTTP {e.response['ResponseMetadata']['HTTPStatusCode']}, want {status}")
        check(e.response["ResponseMetadata"].get("RequestId"), "error without RequestId")
        if message is not None:
            check(message in err["Message"], f"{fn.__name__}: message {err['Message']!r} lacks {message!r}")
        return e
    raise AssertionError(f"{fn.__name__}({kwargs}) succeeded, want {code}")


def is_utc_datetime(v):
    return isinstance(v, datetime.datetime) and v.utcoffset() == datetime.timedelta(0)
