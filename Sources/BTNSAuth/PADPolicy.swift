import IKEv2

/// The Peer Authorization Database (RFC 4301 section 4.4.3) with the BTNS extensions of
/// RFC 5386 section 2, searched in the two ordered walks the spec digest (1.2) describes.
///
/// The PAD is the ordered connection list: each connection is one entry, with `remoteID`
/// as its ID matcher, `remoteAuth` as its authentication data (`.btns` marks a BTNS
/// entry) and `remoteTS` as its child SA authorization data (the addresses the peer may
/// claim for its side). Entry numbers in traces are 1-based, as in the RFC's tables;
/// `PADMatch.connectionIndex` is 0-based.
public final class PADPolicy: AuthorizationPolicy {
    public let pinStore: PinStore?

    public init(pinStore: PinStore?) {
        self.pinStore = pinStore
    }

    /// Result of walk 1 with its trace, also when no entry matched.
    public struct Walk1Outcome: Sendable, Equatable {
        public var match: PADMatch?
        /// One line per entry looked at.
        public var trace: [String]
    }

    /// Result of walk 2 with its trace: what was kept and why the rest was dropped.
    public struct Walk2Outcome: Sendable, Equatable {
        /// The peer's selectors that remain; empty means TS_UNACCEPTABLE.
        public var selectors: [TrafficSelector]
        public var trace: [String]
    }

    // MARK: - Walk 1

    /// Walk 1 (RFC 5386 section 2; RFC 4301 4.4.3): see `walk1Outcome`.
    public func walk1(peerID: IDPayload, presentedKey: PublicKey?,
                      connections: [ConnectionConfig]) -> PADMatch? {
        walk1Outcome(peerID: peerID, presentedKey: presentedKey, connections: connections).match
    }

    /// Walk 1, the IKE_AUTH peer lookup.
    ///
    /// Pass 1: the non-BTNS entries in configured order; the first whose ID matcher
    /// accepts `peerID` decides. The caller must authenticate the peer against that entry
    /// only: a failure rejects the IKE SA and never falls through to a BTNS entry
    /// (RFC 5386 section 2, "hard failure").
    /// Pass 2, only when no non-BTNS entry matched: the BTNS entries, those with a
    /// specific ID matcher in configured order, then the wildcard (`%any`) ones, since
    /// the wildcard BTNS entry is logically last whatever its position (RFC 5386
    /// section 2, rule 2).
    ///
    /// A `publickey:` entry (`IDMatcher.publicKey`, PUBLICKEY(key) of RFC 5386 section 2)
    /// matches whatever ID the peer asserts when `presentedKey`, the raw key of its CERT
    /// payload, is the entry's key. Whether it is a BTNS entry depends on its
    /// authentication alone: with `remote-auth pubkey` it is a non-BTNS entry (the key is
    /// configured, so the peer is authenticated by it) and walked in pass 1; with
    /// `remote-auth btns` it is a specific BTNS entry of pass 2.
    public func walk1Outcome(peerID: IDPayload, presentedKey: PublicKey? = nil,
                             connections: [ConnectionConfig]) -> Walk1Outcome
    {
        var trace: [String] = []
        let id = peerID.displayString
        for (i, c) in connections.enumerated() {
            if c.remoteAuth.isBTNS {
                trace.append("\(label(i, c)): BTNS entry, deferred until no non-BTNS "
                             + "entry matches")
                continue
            }
            guard c.remoteID.matches(peerID, presentedKey: presentedKey) else {
                trace.append("\(label(i, c)): " + noMatch(c.remoteID, presentedKey))
                continue
            }
            trace.append("\(label(i, c)): matches \(matched(c.remoteID, id, presentedKey)); "
                         + "decides, the peer must authenticate with "
                         + "\(c.remoteAuth.summary) (no fall-through to BTNS entries)")
            return Walk1Outcome(
                match: PADMatch(connectionIndex: i, isBTNS: false, trace: trace), trace: trace)
        }
        let btns = connections.indices.filter { connections[$0].remoteAuth.isBTNS }
        let ordered = btns.filter { !isWildcard(connections[$0].remoteID) }
            + btns.filter { isWildcard(connections[$0].remoteID) }
        for i in ordered {
            let c = connections[i]
            guard c.remoteID.matches(peerID, presentedKey: presentedKey) else {
                trace.append("\(label(i, c)): " + noMatch(c.remoteID, presentedKey))
                continue
            }
            trace.append("\(label(i, c)): matches \(matched(c.remoteID, id, presentedKey)); "
                         + "BTNS peer, accepted on a signature with its own key, then pinned")
            return Walk1Outcome(
                match: PADMatch(connectionIndex: i, isBTNS: true, trace: trace), trace: trace)
        }
        trace.append("no PAD entry matches \(id)")
        return Walk1Outcome(match: nil, trace: trace)
    }

    /// Why an entry did not match, for the trace.
    private func noMatch(_ m: IDMatcher, _ key: PublicKey?) -> String {
        guard case .publicKey(let want, _) = m else { return "no match" }
        guard let key else { return "no match (no raw public key presented)" }
        return "no match (presented key \(key.fingerprint), entry's key \(want.fingerprint))"
    }

    private func matched(_ m: IDMatcher, _ id: String, _ key: PublicKey?) -> String {
        guard m.isPublicKey, let key else { return id }
        return "\(id) by its presented key \(key.fingerprint)"
    }

    // MARK: - Walk 2

    /// Walk 2 (RFC 5386 section 2): see `walk2Outcome`.
    public func walk2(peerTS: [TrafficSelector], connectionIndex: Int, peerIsBTNS: Bool,
                      connections: [ConnectionConfig]) -> [TrafficSelector] {
        walk2Outcome(peerTS: peerTS, connectionIndex: connectionIndex,
                     peerIsBTNS: peerIsBTNS, connections: connections).selectors
    }

    /// Walk 2, child SA authorization; runs for every child SA, rekeys included.
    ///
    /// The peer's selectors are narrowed to the entry's child SA authorization data
    /// (RFC 7296 section 2.9, RFC 4301 4.4.3.2). For a BTNS peer (`peerIsBTNS`, or the
    /// entry itself is a BTNS entry) every address range in the `remoteTS` of every
    /// non-BTNS entry is then removed, for all ports and protocols: those addresses
    /// belong to authenticated peers (RFC 5386 section 2 rule 3, section 3.1).
    /// An unknown `connectionIndex` yields nothing.
    public func walk2Outcome(peerTS: [TrafficSelector], connectionIndex: Int,
                             peerIsBTNS: Bool, connections: [ConnectionConfig])
        -> Walk2Outcome
    {
        guard connections.indices.contains(connectionIndex) else {
            return Walk2Outcome(selectors: [],
                                trace: ["no PAD entry \(connectionIndex + 1)"])
        }
        let entry = connections[connectionIndex]
        var trace: [String] = []
        let narrowed = TrafficSelectorMath.narrow(requested: peerTS, allowed: entry.remoteTS)
        trace.append("\(label(connectionIndex, entry)): peer asks \(show(peerTS)), "
                     + "allowed \(show(entry.remoteTS)), narrowed to \(show(narrowed))")
        guard peerIsBTNS || entry.remoteAuth.isBTNS else {
            return Walk2Outcome(selectors: narrowed, trace: trace)
        }
        var kept = narrowed
        for (i, c) in connections.enumerated() where !c.remoteAuth.isBTNS {
            let before = kept
            kept = dedup(kept.flatMap { TrafficSelectorMath.subtract($0, removing: c.remoteTS) })
            if before != kept {
                trace.append("\(label(i, c)): owns \(show(c.remoteTS)); BTNS peer keeps "
                             + show(kept))
            }
        }
        if kept.isEmpty { trace.append("nothing left: TS_UNACCEPTABLE") }
        return Walk2Outcome(selectors: kept, trace: trace)
    }

    // MARK: - Pins

    /// Leap of faith (RFC 5386 section 4.2): delegated to the pin store.
    public func checkPin(peerID: IDPayload, key: PublicKey) -> PinCheck {
        guard let pinStore else { return .failed("no pin store configured") }
        return pinStore.check(peerID: peerID, key: key)
    }

    // MARK: - Helpers

    private func label(_ i: Int, _ c: ConnectionConfig) -> String {
        "entry \(i + 1) '\(c.name)' (\(c.remoteAuth.summary), \(c.remoteID))"
    }

    private func isWildcard(_ m: IDMatcher) -> Bool {
        if case .any = m { return true } else { return false }
    }

    private func show(_ ts: [TrafficSelector]) -> String {
        ts.isEmpty ? "none" : ts.map(\.displayString).joined(separator: ", ")
    }

    private func dedup(_ ts: [TrafficSelector]) -> [TrafficSelector] {
        var seen = Set<TrafficSelector>()
        return ts.filter { seen.insert($0).inserted }
    }
}
