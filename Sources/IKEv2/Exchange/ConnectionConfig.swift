/// How this end proves its identity (RFC 7296 section 2.15).
public enum LocalCredential: Sendable {
    /// AUTH method 2.
    case psk(SecretBytes)
    /// AUTH method 14 (RFC 7427) with this key; Ed25519 or ECDSA P-256.
    case privateKey(PrivateKey)
}

/// How the peer must prove its identity: what a PAD entry demands (RFC 4301 4.4.3.2).
public enum PeerCredential: Sendable {
    case psk(SecretBytes)
    /// One of these keys, configured for the peer's ID (strongSwan's raw-key model).
    case publicKeys([PublicKey])
    /// Any raw public key, accepted on leap of faith and pinned (RFC 5386 section 2).
    case btns

    public var isBTNS: Bool { if case .btns = self { return true } else { return false } }

    public var summary: String {
        switch self {
        case .psk: return "psk"
        case .publicKeys(let k): return "pubkey(\(k.map(\.fingerprint).joined(separator: ",")))"
        case .btns: return "btns"
        }
    }
}

/// Matches a peer's asserted identity: the ID part of a PAD entry (RFC 4301 section
/// 4.4.3.1, which asks for exact values, ranges and wildcards per ID type), plus the
/// PUBLICKEY ID of RFC 5386 section 2.
public enum IDMatcher: Hashable, Sendable, CustomStringConvertible {
    /// Any identity of any type.
    case any
    /// Exactly this type and value (FQDN and RFC822 compared case-insensitively,
    /// ID_DER_ASN1_DN as Names, see `DistinguishedName.equal`).
    case exact(IDPayload)
    /// ID_FQDN equal to `suffix` or ending in "." + `suffix` (written `*.suffix`).
    case wildcardFQDN(suffix: String)
    /// ID_IPV4_ADDR or ID_IPV6_ADDR (same family as the bounds) from `first` to `last`
    /// inclusive (RFC 4301 4.4.3.1: address ranges); written `ipv4:10.0.0.0/24` or
    /// `ipv4:10.0.0.1-10.0.0.9`.
    case addressRange(first: IPAddress, last: IPAddress)
    /// ID_RFC822_ADDR of any user at exactly `domain` (written `email:*@domain`),
    /// compared case-insensitively.
    case rfc822Domain(String)
    /// ID_DER_ASN1_DN equal to the DER Name `der`; `text` is how it was configured.
    case distinguishedName(der: [UInt8], text: String)
    /// PUBLICKEY(key) of RFC 5386 section 2: a peer known by its key, not by what it
    /// asserts. Matches any asserted ID when the raw public key the peer presented (its
    /// CERT payload) is `key`; never without a presented key. `source` names where the
    /// key came from (the configured file), for display.
    case publicKey(PublicKey, source: String)

    /// Whether a peer asserting `id` and presenting `presentedKey` (nil: no raw key in
    /// a CERT payload) falls under this matcher.
    public func matches(_ id: IDPayload, presentedKey: PublicKey?) -> Bool {
        switch self {
        case .any:
            return true
        case .exact(let want):
            guard want.type == id.type else { return false }
            if id.type == .fqdn || id.type == .rfc822Addr {
                return Self.lower(want.data) == Self.lower(id.data)
            }
            if id.type == .derASN1DN { return DistinguishedName.equal(want.data, id.data) }
            return want.data == id.data
        case .wildcardFQDN(let suffix):
            guard id.type == .fqdn else { return false }
            return Self.lower(id.data).hasSuffix("." + suffix.lowercased())
        case .addressRange(let first, let last):
            guard id.type == (first.isV4 ? .ipv4Addr : .ipv6Addr),
                  id.data.count == first.bytes.count else { return false }
            return !id.data.lexicographicallyPrecedes(first.bytes)
                && !last.bytes.lexicographicallyPrecedes(id.data)
        case .rfc822Domain(let domain):
            guard id.type == .rfc822Addr else { return false }
            let text = Self.lower(id.data)
            guard let at = text.lastIndex(of: "@"), at != text.startIndex else { return false }
            return text[text.index(after: at)...] == domain.lowercased()
        case .distinguishedName(let der, _):
            return id.type == .derASN1DN && DistinguishedName.equal(der, id.data)
        case .publicKey(let key, _):
            return presentedKey == key
        }
    }

    /// `matches(_:presentedKey:)` for a peer that presented no key: a `.publicKey`
    /// matcher never matches then (fail closed).
    public func matches(_ id: IDPayload) -> Bool {
        matches(id, presentedKey: nil)
    }

    /// True for `.publicKey`: the entry is found by the presented key.
    public var isPublicKey: Bool {
        if case .publicKey = self { return true } else { return false }
    }

    public var description: String {
        switch self {
        case .any: return "%any"
        case .exact(let id): return id.displayString
        case .wildcardFQDN(let s): return "fqdn:*.\(s)"
        case .addressRange(let first, let last):
            let kind = first.isV4 ? "ipv4:" : "ipv6:"
            if let ts = TrafficSelector(cidr: "\(first)-\(last)") {
                return kind + ts.displayString
            }
            return kind + "\(first)-\(last)"
        case .rfc822Domain(let d): return "email:*@\(d)"
        case .distinguishedName(_, let text): return "dn:\(text)"
        case .publicKey(let key, let source):
            return "publickey:\(source) (\(key.algorithm.rawValue) \(key.fingerprint))"
        }
    }

    private static func lower(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).lowercased()
    }
}

/// Tunnel or transport mode for child SAs (RFC 7296 section 1.3.1).
public enum IPsecMode: String, Hashable, Sendable {
    case tunnel
    case transport
}

/// One configured connection: what this end offers and accepts for one peer or kind of
/// peer. Connections in configuration order also make up the PAD (RFC 4301 4.4.3):
/// `remoteID` and `remoteAuth` are the entry's ID matcher and authentication data,
/// `remoteTS` the child SA authorization data.
public struct ConnectionConfig: Sendable {
    public var name: String
    /// Source address for initiating, and the address a responder accepts on; nil = any.
    public var localAddress: IPAddress?
    /// Peer address to initiate to; nil = accept any (responder only).
    public var remoteAddress: IPAddress?
    public var remotePort: UInt16
    /// Peer's NAT-T port, used after a NAT is detected (RFC 7296 section 2.23).
    public var remoteNATTPort: UInt16
    /// nil: ID_KEY_ID of the local public key, or the local address for PSK.
    public var localID: IDPayload?
    public var remoteID: IDMatcher
    public var localAuth: LocalCredential
    public var remoteAuth: PeerCredential
    /// Send our raw public key as CERT encoding 15 (RFC 7670).
    public var sendCert: Bool
    public var ikeProposals: [ProposalSpec]
    public var espProposals: [ProposalSpec]
    public var localTS: [TrafficSelector]
    public var remoteTS: [TrafficSelector]
    public var mode: IPsecMode

    public init(
        name: String, localAddress: IPAddress? = nil, remoteAddress: IPAddress? = nil,
        remotePort: UInt16 = 500, remoteNATTPort: UInt16 = 4500, localID: IDPayload? = nil, remoteID: IDMatcher = .any,
        localAuth: LocalCredential, remoteAuth: PeerCredential, sendCert: Bool = true,
        ikeProposals: [ProposalSpec], espProposals: [ProposalSpec],
        localTS: [TrafficSelector], remoteTS: [TrafficSelector], mode: IPsecMode = .tunnel
    ) {
        self.name = name
        self.localAddress = localAddress
        self.remoteAddress = remoteAddress
        self.remotePort = remotePort
        self.remoteNATTPort = remoteNATTPort
        self.localID = localID
        self.remoteID = remoteID
        self.localAuth = localAuth
        self.remoteAuth = remoteAuth
        self.sendCert = sendCert
        self.ikeProposals = ikeProposals
        self.espProposals = espProposals
        self.localTS = localTS
        self.remoteTS = remoteTS
        self.mode = mode
    }
}
