"""The protocol's pure decisions, as tables."""

import pytest

from sync.protocol import (API_PREFIX, EndpointError, Outcome, ReceiptError, backoff_delay, blob_path,
                           check_endpoint, check_receipt, classify_status, error_reason, is_sha256_hex,
                           is_uuid4, make_receipt, next_delay, parse_retry_after, submission_path)

SHA = "a" * 64
UUID = "1b4e28ba-2fa1-4d2e-8f3b-1c2d3e4f5a6b"


@pytest.mark.parametrize("status, outcome", [
    (200, Outcome.OK), (201, Outcome.OK),
    (401, Outcome.AUTH), (403, Outcome.AUTH),
    (409, Outcome.PERMANENT), (413, Outcome.PERMANENT), (422, Outcome.PERMANENT),
    (408, Outcome.TRANSIENT), (429, Outcome.TRANSIENT), (500, Outcome.TRANSIENT),
    (502, Outcome.TRANSIENT), (503, Outcome.TRANSIENT), (504, Outcome.TRANSIENT),
    (400, Outcome.UNEXPECTED), (404, Outcome.UNEXPECTED), (405, Outcome.UNEXPECTED),
    (302, Outcome.UNEXPECTED),
])
def test_classify_status(status, outcome):
    assert classify_status(status) is outcome


@pytest.mark.parametrize("failures, rand, expected", [
    (0, 0.5, 0.0),
    (1, 0.0, 1.0), (1, 1.0, 2.0),
    (2, 0.0, 2.0), (3, 1.0, 8.0),
    (9, 0.0, 150.0), (9, 1.0, 300.0),     # 2 * 2**8 = 512 -> capped at 300
    (1000, 1.0, 300.0),                   # no overflow
])
def test_backoff_delay(failures, rand, expected):
    assert backoff_delay(failures, rand=lambda: rand) == pytest.approx(expected)


def test_backoff_jitter_spreads_kiosks():
    import random
    rng = random.Random(1)
    delays = {round(backoff_delay(5, rand=rng.random), 3) for _ in range(20)}
    assert len(delays) > 15
    assert all(16.0 <= d <= 32.0 for d in delays)


NOW = 1_700_000_000.0  # 2023-11-14T22:13:20Z


@pytest.mark.parametrize("value, expected", [
    (None, None),
    ("5", 5.0), (" 120 ", 120.0), ("0", 0.0),
    ("999999", 3600.0),                                  # capped
    ("Tue, 14 Nov 2023 22:13:50 GMT", 30.0),             # HTTP-date
    ("Tue, 14 Nov 2023 22:00:00 GMT", 0.0),              # in the past
    ("soon", None), ("-3", None), ("1.5", None), ("", None),
])
def test_parse_retry_after(value, expected):
    got = parse_retry_after(value, NOW)
    assert got == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize("failures, retry_after, expected", [
    (1, None, 1.0), (1, 30.0, 30.0), (5, 3.0, 16.0),
])
def test_next_delay_honours_retry_after(failures, retry_after, expected):
    assert next_delay(failures, retry_after, rand=lambda: 0.0) == pytest.approx(expected)


@pytest.mark.parametrize("url, plain, root", [
    ("https://example.org/api/v1", False, "https://example.org"),
    ("https://example.org/api/v1/", False, "https://example.org"),
    ("https://example.org/receiver/api/v1", False, "https://example.org/receiver"),
    ("https://example.org", False, "https://example.org"),
    ("http://127.0.0.1:8000/api/v1", False, "http://127.0.0.1:8000"),
    ("http://localhost:8000", False, "http://localhost:8000"),
    ("http://[::1]:8000/api/v1", False, "http://[::1]:8000"),
    ("http://10.0.0.5/api/v1", True, "http://10.0.0.5"),
])
def test_check_endpoint_accepts(url, plain, root):
    assert check_endpoint(url, allow_plain_http=plain) == root


@pytest.mark.parametrize("url", [
    "http://example.org/api/v1", "http://10.0.0.5/api/v1", "ftp://example.org", "", "example.org",
    "https://example.org/api/v1?x=1",
])
def test_check_endpoint_rejects(url):
    with pytest.raises(EndpointError):
        check_endpoint(url)


@pytest.mark.parametrize("value, ok", [
    (SHA, True), ("A" * 64, False), ("a" * 63, False), ("a" * 65, False), ("../" + "a" * 61, False),
    ("g" * 64, False), (None, False), (SHA + "\n", False),
])
def test_is_sha256_hex(value, ok):
    assert is_sha256_hex(value) is ok


@pytest.mark.parametrize("value, ok", [
    (UUID, True), (UUID.upper(), False), (UUID.replace("-", ""), False),
    ("1b4e28ba-2fa1-1d2e-8f3b-1c2d3e4f5a6b", False),   # version 1
    ("../etc/passwd", False), (None, False),
])
def test_is_uuid4(value, ok):
    assert is_uuid4(value) is ok


def test_paths_refuse_anything_but_checked_ids():
    assert blob_path(SHA) == f"{API_PREFIX}/blobs/{SHA}"
    assert submission_path(UUID) == f"{API_PREFIX}/submissions/{UUID}"
    with pytest.raises(ValueError):
        blob_path("../x")
    with pytest.raises(ValueError):
        submission_path("x/../../y")


def test_check_receipt():
    receipt = make_receipt(UUID, SHA, "2024-01-01T00:00:00.000Z", "created")
    assert check_receipt(receipt, UUID, SHA) == receipt
    with pytest.raises(ReceiptError, match="digest"):
        check_receipt(receipt, UUID, "b" * 64)
    with pytest.raises(ReceiptError, match="not"):
        check_receipt(dict(receipt, submission_id="x"), UUID, SHA)
    with pytest.raises(ReceiptError):
        check_receipt({"sha256": SHA}, UUID, SHA)


@pytest.mark.parametrize("status, body, reason", [
    (422, {"detail": "must be a string", "field": "text"}, "422: text: must be a string"),
    (409, {"detail": "id exists", "field": None}, "409: id exists"),
    (413, "oops", "413: receiver gave no reason"),
])
def test_error_reason(status, body, reason):
    assert error_reason(status, body) == reason
