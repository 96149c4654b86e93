"""Two door processes on one machine, the venue's internet down: they find each other by
multicast DNS on loopback, and a ticket admitted at one is refused at the other within 2 s
("already used", first in at the North gate). When the server returns, each door uploads its own
entries only, once."""

from __future__ import annotations

from tests.peers.conftest import Venue

WITHIN_S = 2.0  # the "done when", for each of 5 codes after the server is stopped


def test_doors_find_each_other_and_refuse_the_screenshot_with_the_server_down(
    venue: Venue,
) -> None:
    north_dir = venue.enrol("North gate", peer_port="0")
    south_dir = venue.enrol("South gate", peer_port="0")
    venue.server_down()
    north, south = venue.start(north_dir), venue.start(south_dir)
    assert [p["name"] for p in north.nearby(1)["nearby"]] == ["South gate"]
    assert [p["name"] for p in south.nearby(1)["nearby"]] == ["North gate"]

    delays = []
    for index in range(5):
        admitted = north.scan(venue.code(index))
        assert admitted["reason"] == "ok"
        delays.append(south.knows(admitted["entry_id"]))
        screenshot = south.scan(venue.code(index))
        assert screenshot["reason"] == "already_checked_in"
        assert screenshot["first"]["device_name"] == "North gate"
        assert any("North gate" in words for words in screenshot["words"])
    assert max(delays) <= WITHIN_S, delays

    # an undo at the South gate reaches the North gate too
    let_in = south.scan(venue.code(7))
    north.knows(let_in["entry_id"])
    south.ask(f"undo {let_in['entry_id']}")
    north.wait_for(f"knows {let_in['entry_id']}", lambda a: a["annulled"])
    assert north.scan(venue.code(7))["reason"] == "ok"

    # the server returns: each door uploads its own entries, none twice
    venue.server_up()
    for door in (north, south):
        door.wait_for("sync", lambda a: a["link"] == "online")
    expected = 5 + 5 + 2 + 1  # north's 5, south's 5 refusals, south's admission and undo, north's
    per_entry = _wait_uploaded(venue, expected)
    assert set(per_entry.values()) == {1}


def test_a_door_given_by_address_where_multicast_is_blocked(venue: Venue) -> None:
    from server_stub.testing import free_port

    port = free_port()
    south_dir, north_dir = venue.enrol_by_address(port, port)
    venue.server_down()
    north, south = venue.start(north_dir), venue.start(south_dir)
    assert south.nearby(1)["nearby"][0]["name"] == "North gate"
    admitted = north.scan(venue.code(0))
    south.knows(admitted["entry_id"])
    assert south.scan(venue.code(0))["reason"] == "already_checked_in"
    other = south.scan(venue.code(1))  # the link carries both ways
    north.knows(other["entry_id"])


def _wait_uploaded(venue: Venue, count: int) -> dict[str, int]:
    import time

    deadline = time.monotonic() + 30
    while True:
        per_entry = venue.checkins_per_entry()
        if sum(per_entry.values()) >= count or time.monotonic() > deadline:
            assert len(per_entry) == count, per_entry
            return per_entry
        time.sleep(0.05)
