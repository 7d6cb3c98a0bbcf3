import BTNSAuth
import IKEv2

/// One entry of the effective PAD (RFC 4301 section 4.4.3) as `ikectl pad` shows it.
public struct PADEntryInfo: Codable, Sendable, Hashable {
    /// 1-based, in configuration order, as in RFC 5386's tables.
    public var number: Int
    public var name: String
    /// The ID matcher (`remote-id`), e.g. `fqdn:*.example`, `publickey:peer.pub (...)`.
    public var idMatcher: String
    /// `psk`, `pubkey(FINGERPRINT,...)` or `btns`.
    public var auth: String
    /// A BTNS entry (RFC 5386 section 2): walked only when no non-BTNS entry matches.
    public var btns: Bool
    /// Walk 1 pass that looks at it: 1 (non-BTNS, configured order), 2 (BTNS, specific
    /// entries first), 3 (wildcard BTNS, logically last).
    public var walk1Pass: Int
    /// Child SA authorization data: the selectors the peer may claim for its side.
    public var childAuthorization: [String]

    public init(number: Int, connection c: ConnectionConfig) {
        self.number = number
        name = c.name
        idMatcher = c.remoteID.description
        auth = c.remoteAuth.summary
        btns = c.remoteAuth.isBTNS
        if case .any = c.remoteID, btns { walk1Pass = 3 } else { walk1Pass = btns ? 2 : 1 }
        childAuthorization = c.remoteTS.map(SelectorSyntax.show)
    }

    /// The PAD of `connections`, one entry per connection, in order.
    public static func table(_ connections: [ConnectionConfig]) -> [PADEntryInfo] {
        connections.enumerated().map { PADEntryInfo(number: $0.offset + 1, connection: $0.element) }
    }
}

/// What `ikectl explain` reports: both PAD walks for a hypothetical peer.
public struct PADExplanation: Codable, Sendable, Hashable {
    /// The asserted ID (IDi), normalized.
    public var peerID: String
    /// Fingerprint of the presented raw public key (CERT payload), if one was given.
    public var presentedKey: String?
    /// Walk 1, one line per entry looked at (`PADPolicy.walk1Outcome`).
    public var walk1: [String]
    /// The deciding entry, 1-based; nil when none matched.
    public var entry: Int?
    public var entryName: String?
    public var btns: Bool
    /// True when walk 1 refuses this peer outright (AUTHENTICATION_FAILED).
    public var refused: Bool
    /// Why walk 1 ends as it does.
    public var walk1Result: String
    /// The selectors asked for the peer's side (TSi when it initiates).
    public var peerTS: [String]
    /// Walk 2, one line per step (`PADPolicy.walk2Outcome`); empty when not reached.
    public var walk2: [String]
    /// What walk 2 grants; empty with `walk2Result` naming TS_UNACCEPTABLE.
    public var granted: [String]
    public var walk2Result: String?
}

/// Runs both PAD walks for a hypothetical peer, without any exchange (`ikectl explain`,
/// online in iked or offline from a configuration file).
enum PADExplainer {
    /// `pins`, when open, tells whether a BTNS peer's key matches its pin (read only).
    static func explain(peerID: IDPayload, presentedKey: PublicKey?, peerTS: [TrafficSelector],
                        connections: [ConnectionConfig], pins: PinStore?) -> PADExplanation
    {
        let policy = PADPolicy(pinStore: nil)
        let w1 = policy.walk1Outcome(peerID: peerID, presentedKey: presentedKey,
                                     connections: connections)
        var x = PADExplanation(
            peerID: peerID.displayString, presentedKey: presentedKey?.fingerprint,
            walk1: w1.trace, entry: nil, entryName: nil, btns: false, refused: true,
            walk1Result: "", peerTS: peerTS.map(SelectorSyntax.show), walk2: [],
            granted: [], walk2Result: nil)
        guard let m = w1.match else {
            x.walk1Result = "no PAD entry matches \(peerID.displayString): "
                + "AUTHENTICATION_FAILED"
            return x
        }
        let c = connections[m.connectionIndex]
        x.entry = m.connectionIndex + 1
        x.entryName = c.name
        x.btns = m.isBTNS
        let at = "entry \(m.connectionIndex + 1) '\(c.name)'"
        (x.refused, x.walk1Result) = verdict(at, c.remoteAuth, peerID, presentedKey, pins)
        guard !x.refused else {
            x.walk2Result = "not reached: the IKE SA is refused in walk 1"
            return x
        }
        guard !peerTS.isEmpty else {
            x.walk2Result = "no selectors given (--ts SELECTOR...)"
            return x
        }
        let w2 = policy.walk2Outcome(peerTS: peerTS, connectionIndex: m.connectionIndex,
                                     peerIsBTNS: m.isBTNS, connections: connections)
        x.walk2 = w2.trace
        x.granted = w2.selectors.map(SelectorSyntax.show)
        if w2.selectors.isEmpty {
            x.walk2Result = "TS_UNACCEPTABLE: no child SA (the IKE SA stays up, RFC 7296 1.2)"
        } else if Set(w2.selectors) == Set(peerTS) {
            x.walk2Result = "child SA granted as asked: " + x.granted.joined(separator: ", ")
        } else {
            x.walk2Result = "child SA narrowed to " + x.granted.joined(separator: ", ")
        }
        return x
    }

    /// Walk 1's result for the deciding entry: refused outright, or what the peer must
    /// still prove.
    private static func verdict(_ at: String, _ auth: PeerCredential, _ id: IDPayload,
                                _ key: PublicKey?, _ pins: PinStore?) -> (Bool, String) {
        let noFallThrough = " (no fall-through to BTNS entries, RFC 5386 section 2)"
        switch auth {
        case .psk:
            if key != nil {
                return (true, "\(at) decides and demands the PSK; a BTNS peer holding only "
                    + "its raw key cannot prove it: AUTHENTICATION_FAILED" + noFallThrough)
            }
            return (false, "\(at) decides: accepted if the peer's AUTH proves the PSK, "
                + "else AUTHENTICATION_FAILED" + noFallThrough)
        case .publicKeys(let keys):
            let list = keys.map(\.fingerprint).joined(separator: ", ")
            guard let key else {
                return (false, "\(at) decides: accepted if the peer signs with one of its keys "
                    + "(\(list)), else AUTHENTICATION_FAILED" + noFallThrough)
            }
            guard keys.contains(key) else {
                return (true, "\(at) decides; the presented key \(key.fingerprint) is not one "
                    + "of its keys (\(list)): AUTHENTICATION_FAILED" + noFallThrough)
            }
            return (false, "\(at) decides: accepted if the AUTH signature verifies with the "
                + "presented key \(key.fingerprint)")
        case .btns:
            guard let key else {
                return (true, "\(at) is a BTNS entry; a BTNS peer must present its raw public "
                    + "key (CERT encoding 15 or 11), none given (--key FILE): "
                    + "AUTHENTICATION_FAILED")
            }
            let name = id.displayString
            guard let pins else {
                return (false, "\(at): BTNS peer, accepted if its AUTH signature verifies with "
                    + "key \(key.fingerprint), which is then checked against the pin of "
                    + "\(name) (pin store not available here)")
            }
            let pin: PinDetail?
            do { pin = try pins.detail(peerID: id) } catch {
                return (false, "\(at): BTNS peer; its pin could not be read (\(error))")
            }
            guard let pin else {
                return (false, "\(at): BTNS peer, no pin for \(name) yet: accepted on leap of "
                    + "faith if its AUTH signature verifies, and key \(key.fingerprint) is "
                    + "pinned to \(name)")
            }
            if pin.pin.fingerprint == key.fingerprint {
                return (false, "\(at): BTNS peer, key \(key.fingerprint) is the one pinned to "
                    + "\(name): accepted if its AUTH signature verifies")
            }
            return (true, "\(at): BTNS peer, but \(name) is pinned to key "
                + "\(pin.pin.fingerprint), not \(key.fingerprint): AUTHENTICATION_FAILED (the "
                + "refusal is recorded; 'ikectl pins approve \(name)' accepts the new key)")
        }
    }
}
