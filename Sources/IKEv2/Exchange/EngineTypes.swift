/// One IKE message on the wire, without the non-ESP marker (RFC 3948 section 2.2):
/// Transport adds the marker when sending from or to the NAT-T port and strips it on
/// receipt.
public struct Datagram: Sendable {
    public var bytes: [UInt8]
    public var local: Endpoint
    public var remote: Endpoint

    public init(bytes: [UInt8], local: Endpoint, remote: Endpoint) {
        self.bytes = bytes
        self.local = local
        self.remote = remote
    }
}

/// Ports this daemon listens on.
public struct EngineSettings: Sendable {
    public var ikePort: UInt16
    public var nattPort: UInt16
    /// Seconds before the first retransmission; doubled each time (RFC 7296 section 2.1).
    public var retransmitBase: Double
    public var retransmitTries: Int
    /// Half-open IKE SAs (IKE_SA_INIT answered, no IKE_AUTH yet) from which on a
    /// responder demands a COOKIE before it spends a DH computation (section 2.6).
    public var cookieThreshold: Int
    /// Half-open IKE SAs beyond which new IKE_SA_INIT requests are dropped outright.
    public var maxHalfOpen: Int
    /// Seconds a half-open IKE SA waits for IKE_AUTH.
    public var halfOpenTimeout: Double
    /// Seconds without a message from the peer after which we check it is alive with an
    /// empty INFORMATIONAL (section 1.4); 0 turns liveness checks off.
    public var dpdDelay: Double
    /// Seconds after which an IKE SA / child SA we initiated is rekeyed with
    /// CREATE_CHILD_SA (sections 1.3.2, 2.8); 0 never rekeys.
    public var ikeRekeyTime: Double
    public var childRekeyTime: Double

    public init(ikePort: UInt16 = 500, nattPort: UInt16 = 4500,
                retransmitBase: Double = 1.0, retransmitTries: Int = 5,
                cookieThreshold: Int = 64, maxHalfOpen: Int = 10_000,
                halfOpenTimeout: Double = 30, dpdDelay: Double = 30,
                ikeRekeyTime: Double = 14_400, childRekeyTime: Double = 3_600) {
        self.ikeRekeyTime = ikeRekeyTime
        self.childRekeyTime = childRekeyTime
        self.maxHalfOpen = maxHalfOpen
        self.halfOpenTimeout = halfOpenTimeout
        self.dpdDelay = dpdDelay
        self.ikePort = ikePort
        self.nattPort = nattPort
        self.retransmitBase = retransmitBase
        self.retransmitTries = retransmitTries
        self.cookieThreshold = cookieThreshold
    }
}

/// A child SA as `ikectl list-sas` shows it. No key material.
public struct ChildSASnapshot: Sendable, Codable, Hashable {
    public var name: String
    public var protocolName: String
    public var mode: String
    /// SPI we receive on and the peer's SPI we send with, 8 hex digits.
    public var spiIn: String
    public var spiOut: String
    public var encr: String
    public var integ: String?
    public var esn: Bool
    public var udpEncapsulation: Bool
    public var localTS: [String]
    public var remoteTS: [String]
    public var state: String
}

/// An IKE SA as `ikectl list-sas` shows it. No key material.
public struct IKESASnapshot: Sendable, Codable, Hashable {
    public var connection: String
    public var spiI: String
    public var spiR: String
    public var role: String
    public var state: String
    public var local: String
    public var remote: String
    public var localID: String
    public var remoteID: String
    public var proposal: String
    public var authMethod: String
    /// True when the peer was accepted on leap of faith (BTNS).
    public var btns: Bool
    public var peerKeyFingerprint: String?
    public var natDetected: Bool
    public var established: Double?
    public var children: [ChildSASnapshot]
    /// Set after a reload whose PAD would no longer authorize this SA: why.
    public var unauthorized: String? = nil
}

/// What the engine asks the daemon to do; the engine itself does no I/O.
public enum EngineAction: Sendable {
    case send(Datagram)
    case log(LogRecord)
    /// An IKE SA and (when `child` is set) its first child SA are established.
    case established(IKESASnapshot)
    /// `ikectl initiate NAME` is finished: success, or the reason it failed (for example
    /// the notify received, a timeout, or both sides' proposals when none matched).
    case initiateFinished(connection: String, success: Bool, message: String)
    /// An IKE SA (and its children) is gone.
    case deleted(spiI: String, spiR: String, connection: String)
    /// Keys of a new IKE SA or child SA, for `--keylog` only; never sent otherwise.
    case keylog(KeylogEntry)
}

/// Result of checking a BTNS peer's key against its pin (RFC 5386 leap of faith).
public enum PinCheck: Sendable, Equatable {
    /// No pin existed for this ID; the key is now pinned, durably.
    case pinnedNow
    /// The key matches the pin.
    case matches
    /// A different key is pinned for this ID; the new one is refused.
    case mismatch(pinnedFingerprint: String)
    /// The pin store could not be read or written.
    case failed(String)
}

/// Result of walk 1 (RFC 5386 section 2): the PAD entry (a connection) that governs
/// a peer, by index into the connection list.
public struct PADMatch: Sendable, Equatable {
    public var connectionIndex: Int
    public var isBTNS: Bool
    /// One line per entry looked at, for logs and `ikectl explain`.
    public var trace: [String]

    public init(connectionIndex: Int, isBTNS: Bool, trace: [String] = []) {
        self.connectionIndex = connectionIndex
        self.isBTNS = isBTNS
        self.trace = trace
    }
}

/// The PAD walks and pin store as the exchanges see them. BTNSAuth implements it.
public protocol AuthorizationPolicy: AnyObject, Sendable {
    /// Walk 1: the first non-BTNS entry whose ID matcher accepts `peerID` decides;
    /// BTNS entries are tried only when no non-BTNS entry matches. `presentedKey` is the
    /// raw public key from the peer's CERT payload, if any, for entries that know a BTNS
    /// peer by its key rather than by what it asserts (RFC 5386 section 2). nil: no entry.
    func walk1(peerID: IDPayload, presentedKey: PublicKey?, connections: [ConnectionConfig])
        -> PADMatch?

    /// Walk 2: the selectors of the peer's side of a child SA that `connection` allows;
    /// for a BTNS peer, minus every address a non-BTNS entry could claim.
    /// Empty: answer TS_UNACCEPTABLE.
    func walk2(peerTS: [TrafficSelector], connectionIndex: Int, peerIsBTNS: Bool,
               connections: [ConnectionConfig]) -> [TrafficSelector]

    /// Leap of faith: pin `key` to `peerID` on first use, compare afterwards.
    func checkPin(peerID: IDPayload, key: PublicKey) -> PinCheck
}

/// One line of a Wireshark decryption table (see `KeylogFormat`).
public struct KeylogEntry: Sendable {
    public enum Table: String, Sendable {
        case ikev2DecryptionTable = "ikev2_decryption_table"
        case espSA = "esp_sa"
    }

    public var table: Table
    public var line: String
}

extension AuthorizationPolicy {
    /// Walk 1 for a peer that presented no key.
    public func walk1(peerID: IDPayload, connections: [ConnectionConfig]) -> PADMatch? {
        walk1(peerID: peerID, presentedKey: nil, connections: connections)
    }
}
