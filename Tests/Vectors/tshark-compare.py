#!/usr/bin/env python3
"""Cross-check `ikectl decode --json` against tshark's own IKEv2/ESP decryption.

    tshark-compare.py extract < "tshark -V" output > NAME.tshark.txt
    tshark-compare.py sanity NAME.expected.jsonl
    tshark-compare.py compare NAME.expected.jsonl NAME.tshark.txt [--icv-correct] [--esp]

extract  keeps the lines of tshark's detail view that the comparison reads: frame
         and protocol headers, IKE header fields, every payload line (decrypted
         ones included) except transforms, notify types, identities, proposal
         SPIs, the decryption and integrity lines, and ESP SPI/sequence/ICV.
sanity   what a reviewer checks in our own decode of a clean exchange: frames
         exist, every SK payload decrypted with a valid ICV, no errors, IKE_SA_INIT
         request carries SA KE Nonce, IKE_AUTH request IDi AUTH SA TSi TSr, the
         response IDr AUTH SA TSi TSr, and an INFORMATIONAL request carries a Delete.
compare  per frame: the same IKE frames and ESP frames, SPIs, exchange type, flags,
         message ID, payload chain (outer and decrypted), notify types, FQDN/IPv4
         identities and proposal SPIs; tshark decrypted every SK payload and never
         printed an incorrect checksum. --icv-correct: tshark printed [correct] for
         every SK payload (CBC/HMAC suites). --esp: tshark decrypted every ESP
         packet (and printed [correct] for its ICV when it has one).

Exit status 0 when everything agrees; otherwise each difference is printed and
the status is 1.
"""
import ipaddress
import json
import re
import sys

# transforms are substructures of proposals; neither is a payload in our chain
PROPOSAL, TRANSFORM, SK = 2, 3, 46

KEEP_IKE = re.compile(
    r"^\s+(Initiator SPI|Responder SPI|Exchange type|Flags: 0x|Message ID|Payload: |"
    r"Notify Message Type|Identification Data|SPI: |Decrypted Data|Encrypted Data|"
    r"Integrity Checksum Data)")
KEEP_ESP = re.compile(r"^\s+(ESP SPI|ESP Sequence|ESP ICV|ESP Decrypted Data|Next header)")
TOP_KEEP = ("Frame ", "Internet Protocol Version", "User Datagram Protocol",
            "Internet Security Association", "UDP Encapsulation of IPsec",
            "Encapsulating Security Payload", "Internet Control Message Protocol")


def extract(lines):
    section = ""
    out = []
    for line in lines:
        line = line.rstrip("\n")
        if line and not line[0].isspace():
            section = line
            if line.startswith(TOP_KEEP):
                out.append(line)
            continue
        if section.startswith("Internet Security Association") and KEEP_IKE.match(line):
            if "Payload: Transform (3)" not in line:
                out.append(line)
        elif section.startswith("Encapsulating Security Payload") and KEEP_ESP.match(line):
            out.append(line)
    return out


def last_number(text):
    m = re.search(r"\((\d+)\)", text)
    return int(m.group(1)) if m else None


def parse_tshark(lines):
    """Frame number -> what tshark showed."""
    frames = {}
    cur = None
    last_payload = None
    for line in lines:
        m = re.match(r"^Frame (\d+):", line)
        if m:
            cur = frames.setdefault(int(m.group(1)), {
                "payloads": [], "notifies": [], "ids": [], "proposal_spis": [],
                "sk": 0, "decrypted": 0, "icv": [], "esp": False})
            last_payload = None
            continue
        if cur is None:
            continue
        s = line.strip()
        if s.startswith("Internet Security Association"):
            cur["ike"] = True
        elif s.startswith("Initiator SPI:"):
            cur["ispi"] = s.split(":", 1)[1].strip()
        elif s.startswith("Responder SPI:"):
            cur["rspi"] = s.split(":", 1)[1].strip()
        elif s.startswith("Exchange type:"):
            cur["exchange_type"] = last_number(s)
        elif s.startswith("Flags: 0x"):
            cur["flags"] = int(s.split()[1], 16)
        elif s.startswith("Message ID:"):
            cur["message_id"] = int(s.split(":", 1)[1].strip(), 16)
        elif s.startswith("Payload: "):
            last_payload = last_number(s)
            if last_payload == SK:
                cur["sk"] += 1
            if last_payload not in (PROPOSAL, TRANSFORM):
                cur["payloads"].append(last_payload)
        elif s.startswith("Notify Message Type:"):
            cur["notifies"].append(last_number(s))
        elif s.startswith("Identification Data:"):
            cur["ids"].append(s.split(":", 1)[1].strip())
        elif s.startswith("SPI: ") and last_payload == PROPOSAL:
            cur["proposal_spis"].append(s.split(":", 1)[1].strip().lower())
        elif s.startswith("Decrypted Data"):
            cur["decrypted"] += 1
        elif s.startswith("Integrity Checksum Data:"):
            verdict = re.search(r"\[(correct|incorrect)", s)
            cur["icv"].append(verdict.group(1) if verdict else "none")
        elif s.startswith("ESP SPI:"):
            cur["esp"] = True
            cur["esp_spi"] = s.split()[2].lower().removeprefix("0x")
        elif s.startswith("ESP Sequence:"):
            cur["esp_seq"] = int(s.split(":", 1)[1])
        elif s.startswith("ESP ICV:"):
            verdict = re.search(r"\[(correct|incorrect|unchecked)", s)
            cur["esp_icv"] = verdict.group(1) if verdict else "none"
        elif s.startswith("ESP Decrypted Data"):
            cur["esp_decrypted"] = True
    return frames


def identity(p):
    """An ID payload's data as tshark prints it, or None when not comparable."""
    data = bytes.fromhex(p.get("id_data", ""))
    if p.get("id_type") in (2, 3):  # ID_FQDN, ID_RFC822_ADDR
        return data.decode("ascii", "replace")
    if p.get("id_type") == 1 and len(data) == 4:  # ID_IPV4_ADDR
        return str(ipaddress.IPv4Address(data))
    return None


def parse_ours(path):
    frames = {}
    with open(path) as f:
        for line in f:
            if line.strip():
                obj = json.loads(line)
                frames[obj["frame"]] = obj
    return frames


def summary(obj):
    """Our frame in the shape of parse_tshark's."""
    ike = obj["ike"]
    out = {"ispi": ike["ispi"], "rspi": ike["rspi"], "exchange_type": ike["exchange_type"],
           "flags": ike["flags"], "message_id": ike["message_id"], "payloads": [],
           "notifies": [], "ids": [], "proposal_spis": []}

    def walk(payloads):
        for p in payloads:
            out["payloads"].append(p["type"])
            if p["type"] == 41:
                out["notifies"].append(p.get("notify_type"))
            if p["type"] in (35, 36):
                ident = identity(p)
                if ident is not None:
                    out["ids"].append(ident)
            for prop in p.get("proposals", []):
                if prop.get("spi"):
                    out["proposal_spis"].append(prop["spi"])
            if p["type"] == SK and "decrypted" in obj:
                walk(obj["decrypted"].get("inner_payloads", []))

    walk(ike["payloads"])
    return out


def sanity(ours):
    problems = []
    if not ours:
        return ["no frames"]
    sk_frames = 0
    for n, obj in sorted(ours.items()):
        if obj.get("errors") or obj.get("kind") not in ("ike", "esp-in-udp"):
            problems.append(f"frame {n}: kind {obj.get('kind')}, errors {obj.get('errors')}")
        if obj.get("kind") != "ike":
            continue
        ike = obj["ike"]
        outer = [p["type"] for p in ike["payloads"]]
        if SK in outer:
            sk_frames += 1
            d = obj.get("decrypted")
            if not d or d.get("icv_valid") is not True or "decrypt_error" in obj:
                problems.append(f"frame {n}: SK not decrypted with a valid ICV")
                continue
        inner = [p["type"] for p in obj.get("decrypted", {}).get("inner_payloads", [])]
        exch, response = ike["exchange_type"], bool(ike["flags"] & 0x20)
        want = {(34, False): [33, 34, 40], (34, True): [33, 34, 40],
                (35, False): [35, 39, 33, 44, 45], (35, True): [36, 39, 33, 44, 45],
                (37, False): [42]}.get((exch, response), [])
        have = outer if exch == 34 else inner
        missing = [t for t in want if t not in have]
        if missing:
            problems.append(f"frame {n}: exchange {exch} {'response' if response else 'request'}"
                            f" lacks payload types {missing} (has {have})")
        if any(p.get("error") for p in ike["payloads"] + obj.get("decrypted", {}).get(
                "inner_payloads", [])):
            problems.append(f"frame {n}: a payload did not decode")
    if sk_frames == 0:
        problems.append("no SK payload at all")
    if not any(o.get("ike", {}).get("exchange_type") == 37
               and not o["ike"]["flags"] & 0x20 for o in ours.values()):
        problems.append("no INFORMATIONAL request (the Delete of the terminate)")
    return problems


def compare(ours, theirs, icv_correct, esp):
    problems = []
    ike_ours = {n for n, o in ours.items() if o.get("kind") == "ike"}
    ike_theirs = {n for n, t in theirs.items() if t.get("ike")}
    esp_ours = {n for n, o in ours.items() if o.get("kind") == "esp-in-udp"}
    esp_theirs = {n for n, t in theirs.items() if t["esp"]}
    if ike_ours != ike_theirs:
        problems.append(f"IKE frames differ: ours {sorted(ike_ours)}, tshark {sorted(ike_theirs)}")
    if esp_ours != esp_theirs:
        problems.append(f"ESP frames differ: ours {sorted(esp_ours)}, tshark {sorted(esp_theirs)}")
    if not ike_ours:
        problems.append("no IKE frames")
    for n in sorted(ike_ours & ike_theirs):
        a, t = summary(ours[n]), theirs[n]
        for key in ("ispi", "rspi", "exchange_type", "flags", "message_id", "payloads",
                    "notifies", "ids", "proposal_spis"):
            if a[key] != t.get(key):
                problems.append(f"frame {n}: {key}: ours {a[key]}, tshark {t.get(key)}")
        if t["decrypted"] != t["sk"]:
            problems.append(f"frame {n}: tshark decrypted {t['decrypted']} of {t['sk']} SK payloads")
        if "incorrect" in t["icv"]:
            problems.append(f"frame {n}: tshark says the integrity checksum is incorrect")
        if icv_correct and t["icv"].count("correct") != t["sk"]:
            problems.append(f"frame {n}: tshark verdicts {t['icv']} for {t['sk']} SK payloads,"
                            " expected [correct] for each")
    for n in sorted(esp_ours & esp_theirs):
        o, t = ours[n], theirs[n]
        if (o.get("esp_spi"), o.get("esp_seq")) != (t.get("esp_spi"), t.get("esp_seq")):
            problems.append(f"frame {n}: ESP SPI/seq: ours {o.get('esp_spi')}/{o.get('esp_seq')},"
                            f" tshark {t.get('esp_spi')}/{t.get('esp_seq')}")
        if esp and not t.get("esp_decrypted"):
            problems.append(f"frame {n}: tshark did not decrypt the ESP packet")
        if esp and t.get("esp_icv") not in ("correct", "none"):
            problems.append(f"frame {n}: tshark's ESP ICV verdict is {t.get('esp_icv')}")
    return problems


def main(argv):
    if len(argv) >= 1 and argv[0] == "extract":
        sys.stdout.write("".join(line + "\n" for line in extract(sys.stdin)))
        return 0
    if len(argv) == 2 and argv[0] == "sanity":
        problems = sanity(parse_ours(argv[1]))
    elif len(argv) >= 3 and argv[0] == "compare":
        with open(argv[2]) as f:
            theirs = parse_tshark(f.read().splitlines())
        problems = compare(parse_ours(argv[1]), theirs, "--icv-correct" in argv[3:],
                           "--esp" in argv[3:])
    else:
        sys.stderr.write(__doc__)
        return 2
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
