"""The spec's vectors, through the library and through `scanner verify-code`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from scanner.checkin.codes import IssuedProof, verify_code
from scanner.checkin.keyring import keyring_from_json

VECTORS = json.loads((Path(__file__).parents[1] / "data" / "ticket-code-vectors.json").read_text())
CASES = VECTORS["cases"]


def _matches(output: dict[str, Any], expect: dict[str, Any]) -> None:
    for key, value in expect.items():
        assert output.get(key) == value, key
    if not expect["valid"]:
        assert output["ticket_id"] is None and output["claims"] is None


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_library_gives_the_vectors_answer(case: dict[str, Any]) -> None:
    keyring = keyring_from_json(VECTORS)
    _matches(verify_code(case["text"], keyring).to_json(), case["expect"])


def test_command_line_gives_one_answer_per_code_in_order(tmp_path: Path) -> None:
    keyring = tmp_path / "keyring.json"
    keyring.write_text(
        json.dumps({"keys": VECTORS["keys"], "seed_json_secret": VECTORS["seed_json_secret"]})
    )
    texts = [case["text"] for case in CASES]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "scanner",
            "verify-code",
            "--keyring",
            str(keyring),
            "--json",
            "--",
            *texts,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stdout.splitlines()
    assert len(lines) == len(CASES), done.stderr
    for case, line in zip(CASES, lines, strict=True):
        _matches(json.loads(line), case["expect"])
    assert done.returncode == 1  # some codes are invalid


def test_seedjson_without_secret_uses_the_stored_signature() -> None:
    keyring = keyring_from_json({"keys": VECTORS["keys"]})
    case = next(c for c in CASES if c["name"] == "seed_json_valid_0")
    signature = json.loads(case["text"])["signature"]
    assert verify_code(case["text"], keyring).reason == "unknown_key"
    assert verify_code(case["text"], keyring, lambda _tid: IssuedProof(signature)).ok
    wrong = IssuedProof("0" * 64)
    assert verify_code(case["text"], keyring, lambda _tid: wrong).reason == "bad_signature"
