"""A keyring that cannot be used is refused when loaded, with the key and the reason."""

from __future__ import annotations

import pytest

from scanner.checkin.keyring import KeyringError, keyring_from_json, keyring_from_text

GOOD_SECRET = "_ublSg6bQNEhundEIfXzrbO3UfC89nlRKmlnuLAEn30"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"keys": [{"kid": "H1", "alg": "RS256", "secret_b64u": GOOD_SECRET}]}, "unknown alg"),
        ({"keys": [{"kid": "H1", "alg": "HS256", "secret_b64u": "***"}]}, "not base64url"),
        ({"keys": [{"kid": "H1", "alg": "HS256", "secret_b64u": "AAAA"}]}, "must be 32 bytes"),
        ({"keys": [{"kid": "E1", "alg": "Ed25519"}]}, "public_b64u is missing"),
        ({"keys": [{"kid": "h_1", "alg": "HS256", "secret_b64u": GOOD_SECRET}]}, "kid must be"),
        ({"keys": "nope"}, "must be a list"),
        ({"keys": [{"kid": "H1", "alg": "HS256", "secret_b64u": GOOD_SECRET}] * 2}, "twice"),
        ({"keys": [], "seed_json_secret": 5}, "seed_json_secret"),
        ([], "JSON object"),
    ],
)
def test_bad_keyrings_are_refused_with_the_reason(data: object, message: str) -> None:
    with pytest.raises(KeyringError, match=message):
        keyring_from_json(data)


def test_unknown_members_are_ignored() -> None:
    keyring = keyring_from_json(
        {"keys": [{"kid": "H1", "alg": "HS256", "secret_b64u": GOOD_SECRET, "x": 1}], "y": 2}
    )
    assert set(keyring.keys) == {"H1"}
    assert keyring.can_mint


def test_not_json_is_refused() -> None:
    with pytest.raises(KeyringError, match="not valid JSON"):
        keyring_from_text("{oops")
