"""The cascade on a seeded corpus of rendered camera frames: per-category floors, no false codes,
and never a crash from a decoder."""

from __future__ import annotations

import logging
from collections import Counter

import cv2
import numpy as np
import pytest

from scanner.camera import cascade as cascade_module
from scanner.camera.cascade import DIM_SHARE, UNLIT_SHARE, Cascade, lit_share, plausible
from scanner.camera.decoders import Found, ZxingDecoder, guarded
from scanner.camera.synthetic import CODE_CATEGORIES, Sample, TicketMint, qr_modules
from scanner.checkin import verify_code
from scanner.checkin.keyring import Keyring
from tests.camera.held_up import code_frame, hard_ticket

# Floors sit below what the seeded corpus gives today (docs/camera.md), so a decoder upgrade that
# moves a frame or two does not fail CI while a real regression does.
FLOORS = {
    "nominal": 0.9,
    "blur": 0.75,
    "motion_blur": 0.4,
    "rotation": 0.9,
    "perspective": 0.8,
    "small": 0.75,
    "low_light": 0.8,
    "glare": 0.8,
    "noise": 0.8,
    "phone": 0.9,
    "phone_dark": 0.9,
    "clutter": 0.9,
    "multi": 0.9,
    "damaged": 0.8,
}
OVERALL_FLOOR = 0.88


def _rates(samples: list[Sample], decode: object) -> tuple[dict[str, float], float, list[str]]:
    read: Counter[str] = Counter()
    shown: Counter[str] = Counter()
    false_codes = []
    for sample in samples:
        texts = {found.text for found in decode(sample.image)}  # type: ignore[operator]
        false_codes.extend(texts - set(sample.texts))
        read[sample.category] += len(texts & set(sample.texts))
        shown[sample.category] += len(sample.texts)
    rates = {c: read[c] / shown[c] for c in shown if shown[c]}
    return rates, sum(read.values()) / sum(shown.values()), false_codes


@pytest.fixture(scope="module")
def cascade_rates(
    samples: list[Sample], cascade: Cascade
) -> tuple[dict[str, float], float, list[str]]:
    return _rates(samples, cascade.decode)


def test_the_corpus_covers_every_category_with_valid_codes(
    samples: list[Sample], mint: object
) -> None:
    keyring: Keyring = mint.keyring  # type: ignore[attr-defined]
    assert set(CODE_CATEGORIES) <= {s.category for s in samples}
    codes = [text for s in samples for text in s.texts]
    assert codes and all(verify_code(text, keyring).ok for text in codes)
    assert {text.split(".")[0][:3] for text in codes} == {"TK1", '{"t'}  # both formats


def test_tk1_codes_are_rendered_in_alphanumeric_mode_at_level_m() -> None:
    import segno

    qr = segno.make_qr("TK1.E1.ABC234.DEF567", error="m", boost_error=False)
    assert (qr.mode, qr.error) == ("alphanumeric", "M")
    assert qr_modules("TK1.E1.ABC234.DEF567").shape == (qr.symbol_size()[0],) * 2


@pytest.mark.parametrize("category", sorted(FLOORS))
def test_each_category_decodes_above_its_floor(
    category: str, cascade_rates: tuple[dict[str, float], float, list[str]]
) -> None:
    rates, _overall, _false = cascade_rates
    assert rates[category] >= FLOORS[category], f"{category}: {rates[category]:.2f}"


def test_overall_rate_and_no_false_codes(
    cascade_rates: tuple[dict[str, float], float, list[str]],
) -> None:
    _rates_by_category, overall, false_codes = cascade_rates
    assert overall >= OVERALL_FLOOR
    assert false_codes == []


def test_the_cascade_reads_at_least_what_zxing_alone_reads(
    samples: list[Sample], cascade_rates: tuple[dict[str, float], float, list[str]]
) -> None:
    alone, _overall, _false = _rates(samples, ZxingDecoder().decode)
    cascade, _overall, _false = cascade_rates
    assert all(cascade[c] >= alone[c] for c in alone)


def test_several_codes_in_one_frame_are_all_returned(
    samples: list[Sample], cascade: Cascade
) -> None:
    multi = [s for s in samples if s.category == "multi"]
    assert any(len(s.texts) >= 3 for s in multi)
    fully_read = [s for s in multi if {f.text for f in cascade.decode(s.image)} == set(s.texts)]
    assert len(fully_read) >= len(multi) - 1


def test_colour_frames_are_decoded_like_gray_ones(samples: list[Sample], cascade: Cascade) -> None:
    sample = next(s for s in samples if s.category == "nominal")
    colour = cv2.cvtColor(sample.image, cv2.COLOR_GRAY2BGR)
    assert [f.text for f in cascade.decode(colour)] == list(sample.texts)


class Exploding:
    name = "exploding"

    def decode(self, gray: np.ndarray) -> list[Found]:
        raise cv2.error("convexHull assertion")


def test_a_decoder_exception_is_a_frame_without_a_code(
    samples: list[Sample], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert guarded(Exploding(), samples[0].image) == []
    broken = Cascade()
    monkeypatch.setattr(broken.primary, "read", Exploding().decode)
    monkeypatch.setattr(broken.fallback, "read", Exploding().decode)
    assert broken.decode(samples[0].image) == []


def test_without_libzbar_the_cascade_still_decodes_and_says_so(
    samples: list[Sample], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    reason = "Unable to find zbar shared library"
    monkeypatch.setattr(cascade_module, "pyzbar_unavailable_reason", lambda: reason)
    with caplog.at_level(logging.WARNING):
        without = Cascade()
    assert without.pyzbar is None and reason in caplog.text
    sample = next(s for s in samples if s.category == "nominal")
    assert [f.text for f in without.decode(sample.image)] == list(sample.texts)


def test_implausible_candidates_are_not_retried() -> None:
    square = ((0.0, 0.0), (50.0, 0.0), (50.0, 52.0), (0.0, 50.0))
    sliver = ((0.0, 0.0), (400.0, 0.0), (400.0, 30.0), (0.0, 30.0))
    tiny = ((0.0, 0.0), (5.0, 0.0), (5.0, 5.0), (0.0, 5.0))
    assert plausible(square) and not plausible(sliver) and not plausible(tiny)


def test_a_still_of_a_defocused_ticket_only_enlarging_harder_reads_is_read() -> None:
    """4.3 px modules blurred into each other: sharpened, thresholded, enlarged twice and
    pyzbar all fail; enlarged three times and sharpened harder, the still reads."""
    sample = hard_ticket("blur", 11)
    assert [f.text for f in Cascade().decode(sample.image)] == list(sample.texts)


def test_a_still_where_only_a_corner_of_a_far_screen_was_located_is_read() -> None:
    """zxing located one finder pattern (40 px) of a dark-mode screen's code: the retries'
    crop takes in the rest of the code around it, whichever corner it is."""
    sample = hard_ticket("phone_dark", 4)
    assert [f.text for f in Cascade().decode(sample.image)] == list(sample.texts)


def test_a_screen_held_close_to_a_1080p_camera_is_read_where_zxing_alone_reads_it() -> None:
    """20 px per module, out of focus, dark mode: the full size does not read it, zxing alone
    only through its downscaled search; the cascade's own third of the frame (subsampled,
    where zxing averages) reads it too."""
    text = TicketMint(1).code(np.random.default_rng(1))
    frame = code_frame(text, (1920, 1080), px=20, blur=0.5, dark_mode=True)
    assert ZxingDecoder(downscale=False).decode(frame) == []
    assert [f.text for f in ZxingDecoder().decode(frame)] == [text]
    assert [f.text for f in Cascade().decode(frame)] == [text]


def test_a_far_dark_mode_screen_in_a_dark_room_is_read() -> None:
    """A dark frame goes without the inverted search only when nothing in it is lit: a small
    lit screen keeps it, though the frame is dim (under 1% of it light)."""
    text = TicketMint(1).code(np.random.default_rng(1))
    frame = code_frame(text, (1920, 1080), px=3, blur=0.2, dark_mode=True, background=12)
    assert lit_share(frame) < DIM_SHARE
    assert ZxingDecoder(invert=False, downscale=False).decode(frame) == []
    assert [f.text for f in Cascade().decode(frame)] == [text]


def test_a_dim_dark_mode_screen_in_a_dark_room_is_read() -> None:
    """Nothing in the frame is lit (the screen's light modules are at grey 45): the full size
    goes without its inverted search there, and the brightened pass does it instead."""
    text = TicketMint(1).code(np.random.default_rng(1))
    frame = (code_frame(text, px=4, blur=0.2, dark_mode=True, background=0) * 0.18).astype(np.uint8)
    assert lit_share(frame) < UNLIT_SHARE
    assert [f.text for f in Cascade().decode(frame)] == [text]
