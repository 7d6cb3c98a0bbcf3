/// Runs every IKE SA of the daemon: datagrams, timer ticks and operator commands in,
/// `EngineAction`s out. It does no I/O; it is not thread-safe and is driven from one
/// serial queue by the daemon.
public final class IKEEngine: @unchecked Sendable {
    public let settings: EngineSettings
    public private(set) var connections: [ConnectionConfig]
    let policy: any AuthorizationPolicy
    let keylog: Bool

    public init(settings: EngineSettings, connections: [ConnectionConfig],
                policy: any AuthorizationPolicy, keylog: Bool = false) {
        self.settings = settings
        self.connections = connections
        self.policy = policy
        self.keylog = keylog
    }

    /// Starts IKE_SA_INIT for the named connection (as `ikectl initiate NAME`).
    public func initiate(connection: String, now: Double) -> [EngineAction] { [] }

    /// One received IKE message (non-ESP marker already removed).
    public func receive(_ datagram: Datagram, now: Double) -> [EngineAction] { [] }

    /// Retransmissions and timeouts; call about every 100 ms.
    public func tick(now: Double) -> [EngineAction] { [] }

    /// Deletes the IKE SAs of the named connection (INFORMATIONAL with a Delete payload).
    public func terminate(connection: String, now: Double) -> [EngineAction] { [] }

    /// Every IKE SA with its child SAs, for `ikectl list-sas`.
    public func snapshots() -> [IKESASnapshot] { [] }
}
