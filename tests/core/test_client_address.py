"""The client address the login lock-out counts against: REMOTE_ADDR, or behind a proxy what the proxy wrote."""

import pytest
from django.test import RequestFactory, override_settings

from core.client_address import client_address

PROXY = "10.0.0.2"


def request_from(remote=PROXY, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/admin/login/", **headers)


@override_settings(BEHIND_PROXY=False)
def test_without_a_proxy_the_header_is_ignored():
    assert client_address(request_from("198.51.100.9", "203.0.113.5")) == "198.51.100.9"


@override_settings(BEHIND_PROXY=True, TRUSTED_PROXY_COUNT=1)
@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.5", "203.0.113.5"),
        # The client sent its own X-Forwarded-For; the proxy appended the real address.
        ("1.2.3.4, 203.0.113.5", "203.0.113.5"),
        ("1.2.3.4,203.0.113.5", "203.0.113.5"),
        ("2001:db8::7", "2001:db8::7"),
        ("", PROXY),
        ("not-an-address", PROXY),
        ("203.0.113.5, garbage", PROXY),
        (None, PROXY),
    ],
)
def test_behind_one_proxy_the_rightmost_entry_is_the_client(forwarded, expected):
    assert client_address(request_from(forwarded=forwarded)) == expected


@override_settings(BEHIND_PROXY=True, TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client():
    # load balancer (saw the client) -> nginx (saw the load balancer) -> gunicorn (sees nginx)
    assert client_address(request_from(forwarded="1.2.3.4, 203.0.113.5, 10.0.0.1")) == "203.0.113.5"
    assert client_address(request_from(forwarded="10.0.0.1")) == PROXY
