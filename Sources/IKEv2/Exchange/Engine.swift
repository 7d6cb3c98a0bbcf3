/// Runs every IKE SA of the daemon: datagrams, timer ticks and operator commands in,
/// `EngineAction`s out. It does no I/O; it is not thread-safe and is driven from one
/// serial queue by the daemon.
public final class IKEEngine: @unchecked Sendable {
    public let settings: EngineSettings
    public internal(set) var connections: [ConnectionConfig]
    let policy: any AuthorizationPolicy
    let keylog: Bool

    /// IKE SAs by the SPI we chose (spiI as initiator, spiR as responder).
    var sas: [UInt64: IKESA] = [:]
    /// Responder: (spiI, peer address) of IKE_SA_INIT requests already answered, so a
    /// retransmitted request gets the same response (section 2.1).
    var halfOpen: [HalfOpenKey: UInt64] = [:]
    /// The source address the host would use toward a peer, for connections without a
    /// local address: NAT_DETECTION_SOURCE_IP must hash the real one (section 2.23).
    /// The daemon sets it (a routing lookup); nil leaves the wildcard address.
    public var sourceAddress: (@Sendable (IPAddress) -> IPAddress?)?
    /// Secret behind COOKIE values (section 2.6); lives as long as the engine.
    let cookieSecret = SecretBytes(SecureRandom.bytes(32))

    struct HalfOpenKey: Hashable {
        var spiI: UInt64
        var remote: Endpoint
    }

    public init(settings: EngineSettings, connections: [ConnectionConfig],
                policy: any AuthorizationPolicy, keylog: Bool = false) {
        self.settings = settings
        self.connections = connections
        self.policy = policy
        self.keylog = keylog
    }

    /// Starts IKE_SA_INIT for the named connection (as `ikectl initiate NAME`).
    public func initiate(connection name: String, now: Double) -> [EngineAction] {
        initiate(connection: name, instance: nil, now: now)
    }

    /// Initiates the named connection as a template: to `remoteAddress`, for the given
    /// selectors (an SPD entry that must protect one flow, RFC 4301 section 4.4.1).
    /// The instance is named `NAME@ADDRESS`, which `initiateFinished` reports.
    public func initiate(connection name: String, remoteAddress: IPAddress,
                         localTS: [TrafficSelector], remoteTS: [TrafficSelector],
                         now: Double) -> [EngineAction] {
        guard var instance = connections.first(where: { $0.name == name }) else {
            return initiate(connection: name, now: now)
        }
        instance.name = "\(name)@\(remoteAddress)"
        instance.remoteAddress = remoteAddress
        instance.localTS = localTS
        instance.remoteTS = remoteTS
        return initiate(connection: name, instance: instance, now: now)
    }

    private func initiate(connection name: String, instance: ConnectionConfig?, now: Double)
        -> [EngineAction]
    {
        guard let index = connections.firstIndex(where: { $0.name == name }) else {
            let known = connections.map(\.name).joined(separator: ", ")
            return [.initiateFinished(connection: name, success: false,
                                      message: "no connection '\(name)' (known: \(known))")]
        }
        let instanceName = instance?.name ?? name
        // one IKE SA per connection: an initiation already under way answers the caller
        // when it finishes, an established one answers now
        let existing = sas.values.filter { $0.connectionName == instanceName && $0.isInitiator }
        if let up = existing.first(where: { $0.state == .established && !$0.children.isEmpty }) {
            return [.initiateFinished(connection: instanceName, success: true,
                                      message: "already up: " + summary(up))]
        }
        if existing.contains(where: { $0.state == .initSent || $0.state == .authSent }) {
            return []
        }
        return startInitiator(connectionIndex: index, instance: instance, now: now)
    }

    /// One received IKE message (non-ESP marker already removed).
    public func receive(_ datagram: Datagram, now: Double) -> [EngineAction] {
        let header: IKEHeader
        do {
            header = try MessageCodec.decodeHeader(datagram.bytes[...])
        } catch {
            return rejectHeader(datagram, error)
        }

        // IKEv1 (major version 1) shares port 500; it is not ours to answer.
        guard header.majorVersion == 2 else {
            return [debug("dropped IKE major version \(header.majorVersion) from \(datagram.remote)")]
        }

        let message: Message
        do {
            message = try MessageCodec.decode(datagram.bytes)
        } catch {
            return rejectUnprotected(datagram, header: header, error: error)
        }

        // RFC 7296 section 3.1: the I flag names the original initiator, so the SPI
        // we chose is SPIr when the sender is the original initiator.
        if !header.isResponse && header.exchangeType == .ikeSAInit && header.isInitiator
            && header.spiR == 0
        {
            return respondToInit(message, datagram, now: now)
        }
        let ourSPI = header.isInitiator ? header.spiR : header.spiI
        guard var sa = sas[ourSPI], sa.isInitiator != header.isInitiator else {
            return [debug("no IKE SA for \(IKESA.spiText(header.spiI, header.spiR)); "
                          + "dropped \(message.shortSummary) from \(datagram.remote)")]
        }
        var actions: [EngineAction] = []
        if header.isResponse {
            actions = handleResponse(&sa, message, datagram, now: now)
        } else {
            actions = handleRequest(&sa, message, datagram, now: now)
        }
        store(sa)
        return actions
    }

    /// Retransmissions and timeouts; call about every 100 ms.
    public func tick(now: Double) -> [EngineAction] {
        var actions: [EngineAction] = []
        for spi in Array(sas.keys) {
            guard var sa = sas[spi] else { continue }
            if var p = sa.pending, now >= p.nextSend {
                if p.triesLeft <= 0 {
                    actions += timedOut(&sa, p)
                } else {
                    p.triesLeft -= 1
                    p.interval *= 2
                    p.nextSend = now + p.interval
                    sa.pending = p
                    actions.append(.send(Datagram(bytes: p.bytes, local: p.local, remote: p.remote)))
                    actions.append(log(.debug, "retransmitting \(p.exchange) request \(p.messageID)", sa))
                }
            }
            // A responder's half-open SA that never saw IKE_AUTH (section 2.6).
            if sa.state == .initResponded && now - sa.createdAt > settings.halfOpenTimeout {
                actions.append(log(.info, "half-open IKE SA expired without IKE_AUTH", sa))
                sa.state = .deleting
                sa.pending = nil
            }
            actions += rekeyIfDue(&sa, now: now)
            actions += checkLiveness(&sa, now: now)
            store(sa)
        }
        // An IKE SA that never came up lingers a few seconds after it failed, so that
        // a retransmitted request still gets the same answer (section 2.1).
        for (spi, sa) in sas where sa.state == .deleting && sa.pending == nil
            && (sa.establishedAt != nil || now - sa.lastHeard >= 5)
        {
            actions += remove(spi)
        }
        return actions
    }

    /// Deletes the IKE SAs of the named connection (INFORMATIONAL with a Delete payload).
    public func terminate(connection name: String, now: Double) -> [EngineAction] {
        var actions: [EngineAction] = []
        for spi in Array(sas.keys) where sas[spi]?.connectionName == name {
            actions += terminate(spi: spi, now: now)
        }
        return actions
    }

    /// Deletes one IKE SA, named by the SPI we chose.
    func terminate(spi: UInt64, now: Double) -> [EngineAction] {
        guard var sa = sas[spi] else { return [] }
        guard sa.state == .established && sa.pending == nil else {
            sa.pending = nil
            sa.state = .deleting
            store(sa)
            return remove(spi)
        }
        let delete = Payload.delete(DeletePayload(protocolID: .ike, spiSize: 0, spis: []))
        var actions = sendRequest(&sa, .informational, [delete], now: now)
        actions.append(log(.notice, "deleting IKE SA (operator request)", sa))
        sa.state = .deleting
        store(sa)
        return actions
    }

    /// Every IKE SA with its child SAs, for `ikectl list-sas`.
    public func snapshots() -> [IKESASnapshot] {
        // a failed negotiation is no SA to an operator, even while it lingers
        sas.values.filter { !($0.state == .deleting && $0.establishedAt == nil) }
            .sorted { $0.createdAt < $1.createdAt }.map(snapshot)
    }

    // MARK: - table

    func store(_ sa: IKESA) {
        if sas[sa.ourSPI] != nil { sas[sa.ourSPI] = sa }
    }

    func remove(_ spi: UInt64) -> [EngineAction] {
        guard let sa = sas.removeValue(forKey: spi) else { return [] }
        if sa.role == .responder {
            halfOpen[HalfOpenKey(spiI: sa.spiI, remote: sa.initRemote)] = nil
        }
        var actions: [EngineAction] = []
        if sa.establishedAt != nil {
            actions.append(.deleted(spiI: hex64(sa.spiI), spiR: hex64(sa.spiR),
                                    connection: sa.connectionName))
        }
        actions.append(log(.info, "IKE SA removed", sa))
        return actions
    }

    func newSPI() -> UInt64 {
        while true {
            let spi = SecureRandom.uint64()
            if spi != 0 && sas[spi] == nil { return spi }
        }
    }

    // MARK: - logging

    func log(_ level: LogLevel, _ message: String, _ sa: IKESA) -> EngineAction {
        let peer = sa.peerKey?.fingerprint ?? sa.remoteID?.displayString ?? "\(sa.remote)"
        return .log(LogRecord(level, "\(sa.connectionName): \(message)", spi: sa.spiText,
                              peer: peer))
    }

    func debug(_ message: String) -> EngineAction {
        .log(LogRecord(.debug, message))
    }
}
