"""Conditional GET and HEAD by RFC 9110: which of 200, 304 and 412 each set of conditions gets."""

from datetime import UTC, datetime
from http import HTTPStatus

import pytest

from serving.preconditions import evaluate, failed_headers

ETAG = '"abc"'
MODIFIED = datetime(2024, 5, 1, 12, 0, 0, 500_000, tzinfo=UTC)  # HTTP dates drop the fraction
AT = "Wed, 01 May 2024 12:00:00 GMT"
BEFORE = "Mon, 01 Jan 1990 00:00:00 GMT"
AFTER = "Sat, 01 Jan 2100 00:00:00 GMT"
OK, NOT_MODIFIED, FAILED = HTTPStatus.OK, HTTPStatus.NOT_MODIFIED, HTTPStatus.PRECONDITION_FAILED


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, OK),
        ({"If-Match": '"nope"'}, FAILED),
        ({"If-Match": "nope"}, FAILED),
        ({"If-Match": ETAG}, OK),
        ({"If-Match": f'"nope", {ETAG}'}, OK),
        ({"If-Match": "*"}, OK),
        ({"If-Match": f"W/{ETAG}"}, FAILED),  # If-Match compares strongly
        ({"If-Unmodified-Since": BEFORE}, FAILED),
        ({"If-Unmodified-Since": AT}, OK),
        ({"If-Unmodified-Since": AFTER}, OK),
        ({"If-Unmodified-Since": "not a date"}, OK),  # ignored, as the RFC says
        ({"If-Match": ETAG, "If-Unmodified-Since": BEFORE}, OK),  # If-Match wins
        ({"If-Match": '"nope"', "If-None-Match": ETAG}, FAILED),  # 412 before 304
        ({"If-Unmodified-Since": BEFORE, "If-None-Match": ETAG}, FAILED),
        ({"If-None-Match": ETAG}, NOT_MODIFIED),
        ({"If-None-Match": f"W/{ETAG}"}, NOT_MODIFIED),  # If-None-Match compares weakly
        ({"If-None-Match": "*"}, NOT_MODIFIED),
        ({"If-None-Match": '"other"'}, OK),
        ({"If-None-Match": '"other"', "If-Modified-Since": AFTER}, OK),  # If-None-Match wins
        ({"If-Match": ETAG, "If-None-Match": ETAG}, NOT_MODIFIED),
        ({"If-Modified-Since": AT}, NOT_MODIFIED),
        ({"If-Modified-Since": AFTER}, NOT_MODIFIED),
        ({"If-Modified-Since": BEFORE}, OK),
        ({"If-Modified-Since": "not a date"}, OK),
    ],
)
def test_conditions_are_evaluated_in_the_rfcs_order(headers, expected):
    environ = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()}
    assert evaluate(environ, ETAG, MODIFIED) is expected
    assert evaluate(environ, ETAG, AT) is expected  # a stored Last-Modified header


def test_dates_are_ignored_when_there_is_no_last_modified():
    assert evaluate({"HTTP_IF_UNMODIFIED_SINCE": BEFORE}, ETAG, None) is OK
    assert evaluate({"HTTP_IF_MODIFIED_SINCE": AFTER}, ETAG, None) is OK


def test_a_412_has_no_body_and_no_cache_control():
    headers = failed_headers([("ETag", ETAG), ("Cache-Control", "public, max-age=60")])
    assert headers == [("ETag", ETAG), ("Content-Length", "0")]
