/// Help texts of `ikectl` and each of its commands.
public enum IkectlHelp {
    public static let tool = """
        usage: ikectl [--socket PATH] [--config FILE] COMMAND [ARGS]

        Controls a running iked over its control socket (default \(DaemonConfig.defaultSocketPath)).

        commands:
          initiate NAME [--timeout S]   bring up connection NAME and wait for it
          list-sas [--json]             show IKE SAs and child SAs
          terminate NAME                delete the IKE SAs of connection NAME
          terminate --unauthorized      delete the SAs the last reload no longer authorizes
          rekey NAME [--ike]            rekey a child SA (or the IKE SA) of NAME now
          reload [--delete-unauthorized]  re-read iked's configuration (as SIGHUP)
          spd [--json]                  show the ordered security policy database
          flow SRC DST [--proto P] [--sport N] [--dport N]  decide one flow by the SPD
          flows [--json]                show the flows decided so far
          connections [--json]          show the configured connections
          pins [list] [--json]          show BTNS pins (leap-of-faith keys)
          pins forget ID                drop the pin of peer ID so a new key is accepted
          pins show ID [--json]         one pin with its refused keys
          pins approve ID               pin the key most recently refused for ID
          pad [--json]                  the effective PAD, in walk order
          explain PEER-ID [--key F] [--ts SEL...]  both PAD walks for a hypothetical peer
          genkey [--type T] [--out F]   new private key (PKCS#8 PEM); no daemon needed
          pubkey [--in F] [--out F]     public key of a private key; no daemon needed
          decode [--keys F] [--json] CAP...  decode IKE in pcap/pcapng files; no daemon needed
          help [COMMAND]                this text, or help for COMMAND

        options:
          --socket PATH   control socket of iked
          --config FILE   read the socket path from iked's configuration file
        Every command accepts --help.
        """

    public static let commands: [String: String] = [
        "initiate": """
            usage: ikectl initiate NAME [--timeout S]

            Starts IKE_SA_INIT for connection NAME and waits until the IKE SA and its first
            child SA are established (exit 0, prints them) or the exchange failed or S
            seconds (default 30) passed (exit 1, prints the reason).
            """,
        "list-sas": """
            usage: ikectl list-sas [--json]

            Lists every IKE SA: connection, role, state, addresses, identities, SPIs, the
            negotiated proposal and authentication, BTNS peers with their key fingerprint,
            and each child SA with its SPIs, traffic selectors and encapsulation.
            --json prints the daemon's answer unchanged.
            """,
        "terminate": """
            usage: ikectl terminate NAME
                   ikectl terminate --unauthorized

            Deletes the IKE SAs of connection NAME (and their child SAs) with an
            INFORMATIONAL exchange. --unauthorized deletes instead every IKE SA that
            the last 'ikectl reload' reported as no longer authorized by the PAD.
            """,
        "connections": """
            usage: ikectl connections [--json]

            Shows the connections iked loaded: addresses, identities, authentication,
            proposals and traffic selectors. No secrets are shown.
            """,
        "pins": """
            usage: ikectl pins [list] [--json] [--pin-store PATH]
                   ikectl pins show ID [--json] [--pin-store PATH]
                   ikectl pins forget ID [--pin-store PATH]
                   ikectl pins approve ID [--pin-store PATH]

            BTNS peers (remote-auth btns) are accepted on first use and their key pinned to
            their identity; a later different key is refused and recorded. 'list' shows the
            pins (first seen, last seen, SA count); 'show ID' one pin with every refused key;
            'forget ID' (e.g. fqdn:host.example) removes one so the next key is pinned;
            'approve ID' replaces the pinned key with the most recently refused one (the
            operator accepts the key change; iked logs it).
            With --pin-store the store file is used directly and iked need not run.
            """,
        "pad": """
            usage: ikectl pad [--json] [--config FILE]

            Shows the Peer Authorization Database (RFC 4301 4.4.3): one entry per
            connection, in order, with its ID matcher (remote-id), authentication, whether
            it is a BTNS entry (RFC 5386) and the walk 1 pass that looks at it, and its
            child SA authorization data (remote-ts). With --config FILE the file is read
            and iked need not run.
            """,
        "explain": """
            usage: ikectl explain PEER-ID [--key FILE] [--ts SELECTOR...] [--json]
                                  [--config FILE]

            Runs both PAD walks for a hypothetical peer asserting PEER-ID (fqdn:, email:,
            ipv4:, ipv6:, keyid:, "dn:CN=..,O=..") and prints which entry each looked at
            and why: walk 1 (which entry decides, what the peer must prove, pins of BTNS
            peers) with the raw public key of FILE (a public or private PEM key; only the
            public key is used) as its CERT payload, then walk 2 for the selectors the peer
            asks for its side (e.g. 10.0.0.0/24 10.1.0.1[tcp/443]). Exit 1 when the peer
            would be refused (AUTHENTICATION_FAILED) or get TS_UNACCEPTABLE. With --config
            FILE (here or before the command) it works offline, from that configuration.
            """,
        "genkey": """
            usage: ikectl genkey [--type ed25519|ecdsa-p256] [--out FILE]

            Creates a private key as PKCS#8 PEM, written to FILE (mode 0600) or stdout.
            Use it as 'local-key' in iked.conf; give 'ikectl pubkey' output to the peer.
            """,
        "pubkey": """
            usage: ikectl pubkey [--in KEYFILE] [--out FILE]

            Prints the public key (SubjectPublicKeyInfo PEM) of a private key read from
            KEYFILE or stdin, to FILE or stdout. Its key ID (SHA-1 of the SPKI, what
            strongSwan's 'pki --keyid' prints) and fingerprint go to stderr.
            """,
        "decode": """
            usage: ikectl decode [--keys FILE] [--json] CAPTURE...

            Decodes the IKE traffic in pcap or pcapng files, frame by frame: IKEv2 on UDP
            500, and on UDP 4500 behind the non-ESP marker, NAT keepalives and ESP-in-UDP;
            IPv4 fragments are reassembled. --keys FILE is a key table in Wireshark's
            ikev2_decryption_table format (SPIi,SPIr,SK_ei,SK_er,"encryption",SK_ai,SK_ar,
            "integrity"); with it SK and SKF payloads are verified and decrypted. --json
            prints one JSON object per frame per line. Malformed frames get a one-line
            error and decoding continues. See docs/decode.md.
            """,
        "help": """
            usage: ikectl help [COMMAND]
            """,
    ].merging(IkectlHelp.spdCommands) { a, _ in a }
}
