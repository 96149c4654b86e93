"""The companion API behind a fault proxy, in a process of its own (as the platform is another
machine: its threads must not share the door app's interpreter in a benchmark).

Prints one JSON line (the proxy's url, an enrolment code, the demo codes), then reads a fault
name per line on stdin; ends at end of input.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from _common import ROOT

from scanner.app.demo_site import demo_site

sys.path.insert(0, str(ROOT))
from tests.sync.faultproxy import FaultProxy


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, demo_site(Path(tmp)) as site:
        proxy = FaultProxy(int(site.url.rsplit(":", 1)[1]))
        print(json.dumps({"url": proxy.url, "code": site.enrolment_code, "codes": site.codes}))
        sys.stdout.flush()
        for line in sys.stdin:
            proxy.set(line.strip())
        proxy.close()


if __name__ == "__main__":
    main()
