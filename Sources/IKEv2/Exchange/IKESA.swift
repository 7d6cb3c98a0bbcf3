/// One child SA (RFC 7296 section 1.3): negotiated algorithms, SPIs and keys.
struct ChildSA: Sendable {
    var name: String
    var chosen: ChosenProposal
    /// The SPI we receive on (we allocated it) and the one the peer receives on.
    var spiIn: UInt32
    var spiOut: UInt32
    var keys: ChildSAKeys
    var localTS: [TrafficSelector]
    var remoteTS: [TrafficSelector]
    var mode: IPsecMode
    var udpEncapsulation: Bool
    /// When the child SA came up; rekeying counts from here.
    var createdAt: Double
}

/// The nonces (and PFS secret) child SA keys come from: IKE_SA_INIT's for the first
/// child SA, the CREATE_CHILD_SA exchange's for later ones (RFC 7296 section 2.17).
struct ChildKeyInput {
    var ni: [UInt8]
    var nr: [UInt8]
    var sharedSecret: SecretBytes?
}

/// The state of one IKE SA and of the exchange in progress on it.
struct IKESA: Sendable {
    enum Role: String, Sendable { case initiator, responder }

    enum State: String, Sendable {
        /// Initiator: IKE_SA_INIT request sent.
        case initSent = "CONNECTING"
        /// Responder: IKE_SA_INIT answered, waiting for IKE_AUTH.
        case initResponded = "INIT_RESPONDED"
        /// Initiator: IKE_AUTH request sent.
        case authSent = "AUTHENTICATING"
        case established = "ESTABLISHED"
        /// Delete sent, waiting for the answer.
        case deleting = "DELETING"
    }

    /// A request of ours waiting for its response (section 2.1).
    struct PendingRequest: Sendable {
        var messageID: UInt32
        var exchange: ExchangeType
        var bytes: [UInt8]
        var local: Endpoint
        var remote: Endpoint
        var nextSend: Double
        var interval: Double
        var triesLeft: Int
    }

    let role: Role
    /// The connection (PAD entry) governing this SA, by position in the engine's list;
    /// walk 1 may change it, and -1 means a reload removed it (no new child SAs).
    var connectionIndex: Int
    /// That connection's settings as they were when it was chosen: a reload does not
    /// change the algorithms or credentials of an SA that already exists.
    var config: ConnectionConfig
    /// The configured connection's name; `config.name` differs for an instance of a
    /// template (`NAME@ADDRESS`, see `IKEEngine.initiate(connection:remoteAddress:...)`).
    var templateName: String
    var connectionName: String
    var spiI: UInt64
    var spiR: UInt64
    var state: State

    var local: Endpoint
    var remote: Endpoint
    /// Where the IKE_SA_INIT request came from (the responder's half-open key).
    var initRemote: Endpoint
    var natLocal = false
    var natPeer = false

    /// Nonces and the IKE_SA_INIT messages as sent, for AUTH (section 2.15).
    var ni: [UInt8] = []
    var nr: [UInt8] = []
    var initRequest: [UInt8] = []
    var initResponse: [UInt8] = []

    var keyExchange: (any KeyExchange)?
    /// Cookie the responder asked for (section 2.6), echoed in the retried request.
    var cookie: [UInt8]?
    var chosen: ChosenProposal?
    var prf: PRF?
    var keys: IKESAKeys?
    var protection: SKProtection?

    var localID: IDPayload?
    var remoteID: IDPayload?
    var peerKey: PublicKey?
    var peerIsBTNS = false
    var peerAuthMethod = ""
    var peerAcceptedSignatureHashes: [UInt16] = []
    /// Encodings of the peer's CERTREQ payloads; empty when it sent none (RFC 7670).
    var peerCertReqEncodings: Set<UInt8> = []

    /// A CREATE_CHILD_SA request of ours in flight, and what it is for (section 1.3).
    enum PendingCreate: Sendable {
        case newChild(spiIn: UInt32, ni: [UInt8], kex: (any KeyExchange)?)
        case rekeyChild(oldSpiIn: UInt32, spiIn: UInt32, ni: [UInt8], kex: (any KeyExchange)?)
        case rekeyIKE(newSpiI: UInt64, ni: [UInt8], kex: any KeyExchange)
    }
    var pendingCreate: PendingCreate?
    /// Set by a reload whose PAD would refuse this SA: why (see `replaceConnections`).
    var unauthorized: String?
    /// Do not start another rekey before this time (after TEMPORARY_FAILURE, 2.25).
    var rekeyNotBefore: Double = 0

    /// Initiator: the inbound SPI offered for the first child SA.
    var offeredChildSPI: UInt32 = 0
    var children: [ChildSA] = []

    var nextRequestID: UInt32 = 0
    /// The peer's next request is expected with this message ID.
    var expectedPeerRequestID: UInt32 = 0
    /// Our last response and the request ID it answered, resent on a retransmit.
    var lastResponse: (id: UInt32, bytes: [UInt8], local: Endpoint, remote: Endpoint)?
    var pending: PendingRequest?

    var establishedAt: Double?
    var createdAt: Double
    /// When an authentic message from the peer last arrived (liveness checks).
    var lastHeard: Double

    init(role: Role, connectionIndex: Int, config: ConnectionConfig, connectionName: String,
         spiI: UInt64, spiR: UInt64, state: State, local: Endpoint, remote: Endpoint,
         now: Double) {
        self.role = role
        self.connectionIndex = connectionIndex
        self.config = config
        self.templateName = config.name
        self.connectionName = connectionName
        self.spiI = spiI
        self.spiR = spiR
        self.state = state
        self.local = local
        self.remote = remote
        self.initRemote = remote
        self.createdAt = now
        self.lastHeard = now
    }

    var isInitiator: Bool { role == .initiator }
    /// The SPI that names this SA in our table.
    var ourSPI: UInt64 { isInitiator ? spiI : spiR }
    /// `spiI_spiR` in hex, as every log line about this SA carries.
    var spiText: String { Self.spiText(spiI, spiR) }
    var natDetected: Bool { natLocal || natPeer }

    static func spiText(_ i: UInt64, _ r: UInt64) -> String {
        hex64(i) + "_" + hex64(r)
    }
}

func hex64(_ v: UInt64) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: 16 - s.count) + s
}

func hex32(_ v: UInt32) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: 8 - s.count) + s
}
