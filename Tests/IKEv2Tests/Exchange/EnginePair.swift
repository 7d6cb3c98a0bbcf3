import Testing
@testable import IKEv2

/// A PAD walk and pin store in memory: enough policy for exchange tests.
final class MemoryPolicy: AuthorizationPolicy, @unchecked Sendable {
    var pins: [IDPayload: PublicKey] = [:]

    func walk1(peerID: IDPayload, presentedKey: PublicKey?,
               connections: [ConnectionConfig]) -> PADMatch? {
        if let i = connections.firstIndex(where: { !$0.remoteAuth.isBTNS && $0.remoteID.matches(peerID) }) {
            return PADMatch(connectionIndex: i, isBTNS: false)
        }
        if let i = connections.firstIndex(where: { $0.remoteAuth.isBTNS && $0.remoteID.matches(peerID) }) {
            return PADMatch(connectionIndex: i, isBTNS: true)
        }
        return nil
    }

    func walk2(peerTS: [TrafficSelector], connectionIndex: Int, peerIsBTNS: Bool,
               connections: [ConnectionConfig]) -> [TrafficSelector] {
        TrafficSelectorMath.narrow(requested: peerTS, allowed: connections[connectionIndex].remoteTS)
    }

    func checkPin(peerID: IDPayload, key: PublicKey) -> PinCheck {
        guard let pinned = pins[peerID] else {
            pins[peerID] = key
            return .pinnedNow
        }
        return pinned == key ? .matches : .mismatch(pinnedFingerprint: pinned.fingerprint)
    }
}

/// Two engines joined by an in-memory wire; `run` carries datagrams until both are quiet.
struct EnginePair {
    let a: IKEEngine
    let b: IKEEngine
    var now = 1000.0
    var finished: [(String, Bool, String)] = []
    var logs: [String] = []
    var keylog: [(fromA: Bool, KeylogEntry)] = []
    /// Every datagram carried, in order, with its direction.
    var wire: [(fromA: Bool, Datagram)] = []
    /// Drops a datagram when this returns true.
    var drop: (Int, Datagram) -> Bool = { _, _ in false }

    static let addrA = IPAddress("192.0.2.1")!
    static let addrB = IPAddress("192.0.2.2")!

    init(a: [ConnectionConfig], b: [ConnectionConfig], policyA: MemoryPolicy = MemoryPolicy(),
         policyB: MemoryPolicy = MemoryPolicy(), keylog: Bool = false,
         settingsB: EngineSettings = EngineSettings()) {
        self.a = IKEEngine(settings: EngineSettings(), connections: a, policy: policyA,
                           keylog: keylog)
        self.b = IKEEngine(settings: settingsB, connections: b, policy: policyB,
                           keylog: keylog)
    }

    init(engineA: IKEEngine, engineB: IKEEngine) {
        a = engineA
        b = engineB
    }

    mutating func initiate(_ name: String) {
        deliver(a.initiate(connection: name, now: now), fromA: true)
    }

    mutating func deliver(_ actions: [EngineAction], fromA: Bool) {
        var queue: [(Bool, Datagram)] = []
        collect(actions, fromA: fromA, into: &queue)
        var steps = 0
        while !queue.isEmpty && steps < 100 {
            steps += 1
            let (from, d) = queue.removeFirst()
            wire.append((from, d))
            if drop(wire.count, d) { continue }
            let target = from ? b : a
            let mirrored = Datagram(bytes: d.bytes, local: d.remote, remote: fixLocal(d.local, from))
            collect(target.receive(mirrored, now: now), fromA: !from, into: &queue)
        }
    }

    /// The initiator may send from a wildcard address; the peer sees the real one.
    func fixLocal(_ e: Endpoint, _ fromA: Bool) -> Endpoint {
        if e.address.bytes.allSatisfy({ $0 == 0 }) {
            return Endpoint(address: fromA ? Self.addrA : Self.addrB, port: e.port)
        }
        return e
    }

    mutating func collect(_ actions: [EngineAction], fromA: Bool, into q: inout [(Bool, Datagram)]) {
        for act in actions {
            switch act {
            case .send(let d): q.append((fromA, d))
            case .initiateFinished(let c, let ok, let msg): finished.append((c, ok, msg))
            case .log(let r): logs.append((fromA ? "A " : "B ") + r.formatted)
            case .keylog(let k): keylog.append((fromA, k))
            default: break
            }
        }
    }

    mutating func advance(_ seconds: Double) {
        now += seconds
        deliver(a.tick(now: now), fromA: true)
        deliver(b.tick(now: now), fromA: false)
    }
}

enum ExchangeFixtures {
    static let psk = SecretBytes(Array("test-preshared-key-0123456789".utf8))
    static let ike = [try! ProposalSpec(parsing: "aes128gcm16-prfsha256-x25519", forESP: false),
                      try! ProposalSpec(parsing: "aes256-sha256-x25519", forESP: false)]
    static let esp = [try! ProposalSpec(parsing: "aes128gcm16", forESP: true),
                      try! ProposalSpec(parsing: "aes256-sha256", forESP: true)]
    static let tsA = [TrafficSelector(cidr: "10.1.0.0/24")!]
    static let tsB = [TrafficSelector(cidr: "10.2.0.0/24")!]

    static func conn(_ name: String, local: IPAddress?, remote: IPAddress?, localID: String?,
                     remoteID: IDMatcher, localAuth: LocalCredential, remoteAuth: PeerCredential,
                     ike: [ProposalSpec] = ExchangeFixtures.ike, esp: [ProposalSpec] = ExchangeFixtures.esp,
                     localTS: [TrafficSelector], remoteTS: [TrafficSelector]) -> ConnectionConfig {
        ConnectionConfig(name: name, localAddress: local, remoteAddress: remote,
                         localID: localID.flatMap { IDPayload(text: $0) }, remoteID: remoteID,
                         localAuth: localAuth, remoteAuth: remoteAuth, ikeProposals: ike,
                         espProposals: esp, localTS: localTS, remoteTS: remoteTS)
    }
}
