import BTNSAuth
import IKEv2

/// One flow the daemon decided (or is deciding), as `ikectl flow` and `ikectl flows`
/// show it.
public struct FlowRecord: Codable, Sendable, Hashable {
    public enum Decision: String, Codable, Sendable {
        /// Waiting for the IKE SA / child SA that would protect it.
        case pending
        /// Carried by a child SA (`childSPI`, `connection`).
        case protected
        /// Sent in the clear.
        case bypass
        /// Dropped.
        case discard
    }

    /// Increasing number, unique for the daemon's lifetime.
    public var id: Int
    /// `10.0.0.1:40000 -> 10.0.0.2:443 tcp`
    public var flow: String
    public var src: String
    public var dst: String
    public var ipProtocol: Int
    public var srcPort: Int?
    public var dstPort: Int?
    /// The SPD entry that matched; nil when none did.
    public var policy: String?
    /// That entry's action (`protect`, `bypass-or-protect`, ...), or `discard` for none.
    public var action: String
    public var decision: Decision
    /// Why, for the operator: which SA protects it, or what the peer answered.
    public var reason: String
    /// The connection (or `NAME@ADDRESS` template instance) involved.
    public var connection: String?
    /// The protecting child SA: `IN/OUT` ESP SPIs.
    public var childSPI: String?
    /// Seconds since 1970: when the flow was seen, and when it was decided.
    public var time: Double
    public var decided: Double?

    init(id: Int, flow: Flow, entry: SPDEntry?, time: Double) {
        self.id = id
        self.flow = flow.description
        src = "\(flow.src)"
        dst = "\(flow.dst)"
        ipProtocol = Int(flow.ipProtocol)
        srcPort = flow.srcPort.map(Int.init)
        dstPort = flow.dstPort.map(Int.init)
        policy = entry?.name
        action = entry?.action.rawValue ?? SPDAction.discard.rawValue
        decision = .pending
        reason = ""
        self.time = time
    }
}

/// An SPD entry as `ikectl spd` shows it.
public struct SPDEntryInfo: Codable, Sendable, Hashable {
    public var name: String
    public var action: String
    public var localTS: [String]
    public var remoteTS: [String]
    public var connection: String?
    public var btns: Bool
    public var line: Int

    public init(_ e: SPDEntry) {
        name = e.name
        action = e.action.rawValue
        localTS = e.localTS.map(\.displayString)
        remoteTS = e.remoteTS.map(\.displayString)
        connection = e.connection
        btns = e.btnsOK
        line = e.line
    }
}

/// The outcome of `ikectl reload` (or SIGHUP).
public struct ReloadReport: Codable, Sendable, Hashable {
    public var connections: Int
    public var policies: Int
    /// Warnings of the new file, `FILE:LINE: warning: ...`.
    public var warnings: [String]
    /// Settings that changed in the file but keep their old value until a restart.
    public var restartNeeded: [String]
    /// SAs the new PAD no longer authorizes (each with its `unauthorized` reason); they
    /// keep running unless `deleted`.
    public var unauthorized: [IKESASnapshot]
    /// IKE SAs whose deletion was started (`--delete-unauthorized`).
    public var deleted: Int
}
