#!/usr/bin/env python3
"""Turn an SA listing into one line per SA, the same for strongSwan and iked.

    sasummary.py swanctl < output of "swanctl --list-sas"
    sasummary.py iked    < output of "ikectl list-sas --json"
    sasummary.py pins    < output of "ikectl pins --json"

SA output lines (SPIs lower-case hex without 0x, IKE SPIs 16 digits, child SPIs 8):

    ike   CONNECTION STATE SPI_I SPI_R
    child CONNECTION CHILD STATE SPI_IN SPI_OUT LOCAL_TS REMOTE_TS IKE_SPI_I

Pin output lines:

    pin ID FINGERPRINT [REFUSED_FINGERPRINT]

"SPI_IN" is the SPI this side receives on, "SPI_OUT" the one it sends with, so
for two peers of one child SA one side's SPI_IN is the other side's SPI_OUT.
Traffic selectors are comma-separated, e.g. 10.99.1.1/32 ("-" when none);
IKE_SPI_I names the IKE SA the child SA belongs to.
Unparseable input is reported on stderr with exit status 1.
"""
import json
import re
import sys


def spi(text, digits):
    t = text.strip().lower()
    if t.startswith("0x"):
        t = t[2:]
    t = t.rstrip("*")
    for suffix in ("_i", "_r"):
        if t.endswith(suffix):
            t = t[: -len(suffix)]
    if not re.fullmatch(r"[0-9a-f]+", t):
        return "?" + t
    return t.zfill(digits)


# "psk: #1, ESTABLISHED, IKEv2, ce5c29c4897bcec7_i* f7779f5e59424d02_r"
IKE_RE = re.compile(r"^(\S+): #\d+, (\w+), IKEv\d, ([0-9a-fA-F]+_i\*?) ([0-9a-fA-F]+_r\*?)")
# "  psk: #1, reqid 1, INSTALLED, TUNNEL-in-UDP, ESP:AES_GCM_16-128"
CHILD_RE = re.compile(r"^\s+(\S+): #\d+, reqid \d+, (\w+),")
# "    in  8dae684d (-|0x00000001),      0 bytes, ..."  /  "    out 679acb5c, ..."
DIR_RE = re.compile(r"^\s+(in|out)\s+([0-9a-fA-F]{8})\b")
# "    local  10.99.1.1/32" / "    remote 10.99.2.1/32" (child SA lines, no quotes)
TS_RE = re.compile(r"^\s{4,}(local|remote)\s+([^'@]+)$")


def swanctl(text):
    out = []
    ike = None
    child = None
    for line in text.splitlines():
        m = IKE_RE.match(line)
        if m:
            ike = m.group(1)
            spi_i = spi(m.group(3), 16)
            out.append(["ike", ike, m.group(2), spi_i, spi(m.group(4), 16)])
            child = None
            continue
        m = CHILD_RE.match(line)
        if m and ike is not None:
            child = ["child", ike, m.group(1), m.group(2), "-", "-", "-", "-", spi_i]
            out.append(child)
            continue
        m = DIR_RE.match(line)
        if m and child is not None:
            child[4 if m.group(1) == "in" else 5] = spi(m.group(2), 8)
            continue
        m = TS_RE.match(line)
        if m and child is not None:
            child[6 if m.group(1) == "local" else 7] = ",".join(m.group(2).split())
    return out


def sas_of(doc):
    """The SA list of an ikectl answer: {"ok":..,"sas":[..]} or a bare list."""
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        if doc.get("ok") is False:
            raise ValueError("iked answered with an error: %s" % doc.get("error"))
        return doc.get("sas") or []
    raise ValueError("not an SA list")


def iked(text):
    out = []
    for sa in sas_of(json.loads(text)):
        name = sa["connection"]
        spi_i = spi(sa["spiI"], 16)
        out.append(["ike", name, sa["state"].upper(), spi_i, spi(sa["spiR"], 16)])
        for c in sa.get("children") or []:
            out.append(["child", name, c["name"], c["state"].upper(),
                        spi(c["spiIn"], 8), spi(c["spiOut"], 8),
                        ",".join(c.get("localTS") or []) or "-",
                        ",".join(c.get("remoteTS") or []) or "-", spi_i])
    return out


def pins(text):
    doc = json.loads(text)
    items = doc if isinstance(doc, list) else (doc.get("pins") or [])
    if isinstance(doc, dict) and doc.get("ok") is False:
        raise ValueError("iked answered with an error: %s" % doc.get("error"))
    out = []
    for p in items:
        row = ["pin", p["id"], p["fingerprint"]]
        if p.get("refusedFingerprint"):
            row.append(p["refusedFingerprint"])
        out.append(row)
    return out


def main():
    kinds = {"swanctl": swanctl, "iked": iked, "pins": pins}
    if len(sys.argv) != 2 or sys.argv[1] not in kinds:
        sys.stderr.write("usage: sasummary.py swanctl|iked|pins < listing\n")
        return 2
    text = sys.stdin.read()
    try:
        rows = kinds[sys.argv[1]](text)
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        sys.stderr.write("sasummary.py %s: cannot parse (%s: %s):\n%s\n"
                         % (sys.argv[1], type(e).__name__, e, text[:2000]))
        return 1
    for row in rows:
        print(" ".join(row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
