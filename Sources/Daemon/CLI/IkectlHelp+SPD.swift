/// Help of `ikectl flow`, `flows`, `spd`, `reload` and `rekey`.
extension IkectlHelp {
    static let spdCommands: [String: String] = [
        "flow": """
            usage: ikectl flow SRC DST [--proto P] [--sport N] [--dport N] [--timeout S]

            Makes iked handle one flow as if its first packet were seen (RFC 4301 5.1):
            SRC is this host's side, DST the peer's. The first matching SPD entry
            ('ikectl spd') decides: bypass, discard, or protect: an existing child SA of
            the entry's connection that covers the flow, otherwise the connection is
            initiated (a connection without remote-address as a template toward DST, for
            the flow's addresses). If that fails, protect discards the flow and
            bypass-or-protect sends it in the clear; the reason is recorded. Waits up to
            S seconds (default 30) for the decision and prints it. --proto is tcp, udp,
            icmp, sctp, ... or a number; ports need tcp, udp or sctp.
            (No packets are really passed or dropped yet: iked has no data path.)
            """,
        "flows": """
            usage: ikectl flows [--json]

            The last 1024 flows iked decided, oldest first: time, flow, SPD entry,
            decision (protected, bypass, discard, pending) and why.
            """,
        "spd": """
            usage: ikectl spd [--json]

            The security policy database in effect, in lookup order: each policy's
            action, selectors, connection and whether BTNS peers may satisfy it.
            """,
        "reload": """
            usage: ikectl reload [--delete-unauthorized]

            Makes iked re-read its configuration file (as SIGHUP does). A file with
            errors is refused as a whole, with every FILE:LINE error, and the running
            configuration stays. Otherwise the new connections and policies apply at
            once; settings that need a restart are named. IKE SAs the new PAD no longer
            authorizes are listed with the reason and keep running, unless
            --delete-unauthorized (or later 'ikectl terminate --unauthorized').
            """,
        "rekey": """
            usage: ikectl rekey NAME [--ike]

            Rekeys the first child SA of connection NAME now, or with --ike its IKE SA
            (CREATE_CHILD_SA, RFC 7296 1.3.2, 1.3.3). Does not wait; 'ikectl list-sas'
            shows the new SPIs.
            """,
    ]
}
