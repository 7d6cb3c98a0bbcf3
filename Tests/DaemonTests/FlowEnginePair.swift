import BTNSAuth
@testable import Daemon
import IKEv2

/// PAD walks of BTNSAuth with pins in memory: enough policy for flow tests.
final class MemoryPins: AuthorizationPolicy, @unchecked Sendable {
    let pad = PADPolicy(pinStore: nil)
    var pins: [IDPayload: PublicKey] = [:]

    func walk1(peerID: IDPayload, presentedKey: PublicKey?,
               connections: [ConnectionConfig]) -> PADMatch? {
        pad.walk1(peerID: peerID, presentedKey: presentedKey, connections: connections)
    }

    func walk2(peerTS: [TrafficSelector], connectionIndex: Int, peerIsBTNS: Bool,
               connections: [ConnectionConfig]) -> [TrafficSelector] {
        pad.walk2(peerTS: peerTS, connectionIndex: connectionIndex, peerIsBTNS: peerIsBTNS,
                  connections: connections)
    }

    func checkPin(peerID: IDPayload, key: PublicKey) -> PinCheck {
        guard let pinned = pins[peerID] else {
            pins[peerID] = key
            return .pinnedNow
        }
        return pinned == key ? .matches : .mismatch(pinnedFingerprint: pinned.fingerprint)
    }
}

/// Two engines on an in-memory wire with a `FlowDecider` on A, driven the way
/// DaemonRuntime drives them: `flow` performs the decider's step on engine A and
/// feeds every `.initiateFinished` back.
final class FlowEnginePair {
    let a: IKEEngine
    let b: IKEEngine
    let decider: FlowDecider
    var now = 1000.0
    /// Records decided through `.initiateFinished`, in order.
    var decided: [FlowRecord] = []
    var logs: [String] = []
    /// B receives nothing: a peer that never answers.
    var silent = false

    static let addrA = IPAddress("192.0.2.1")!
    static let addrB = IPAddress("192.0.2.2")!

    init(a: [ConnectionConfig], b: [ConnectionConfig], spd: SPD) {
        self.a = IKEEngine(settings: EngineSettings(), connections: a, policy: MemoryPins())
        self.b = IKEEngine(settings: EngineSettings(), connections: b, policy: MemoryPins())
        decider = FlowDecider(spd: spd)
    }

    /// The decision for `flow`, as `ikectl flow` would get it.
    func flow(_ flow: Flow) -> FlowRecord? {
        switch decider.handle(flow, now: now, sas: a.snapshots(), connections: a.connections) {
        case .decided(let r):
            return r
        case .initiate(let r, let name, _, let remote, let localTS, let remoteTS):
            let actions = remote.map {
                a.initiate(connection: name, remoteAddress: $0, localTS: localTS,
                           remoteTS: remoteTS, now: now)
            } ?? a.initiate(connection: name, now: now)
            deliver(actions, fromA: true)
            return decider.record(r.id)
        }
    }

    func deliver(_ actions: [EngineAction], fromA: Bool) {
        var queue: [(Bool, Datagram)] = []
        collect(actions, fromA: fromA, into: &queue)
        var steps = 0
        while !queue.isEmpty && steps < 100 {
            steps += 1
            let (from, d) = queue.removeFirst()
            if silent { continue }
            let target = from ? b : a
            var local = d.local
            if local.address.bytes.allSatisfy({ $0 == 0 }) {
                local = Endpoint(address: from ? Self.addrA : Self.addrB, port: local.port)
            }
            let mirrored = Datagram(bytes: d.bytes, local: d.remote, remote: local)
            collect(target.receive(mirrored, now: now), fromA: !from, into: &queue)
        }
    }

    private func collect(_ actions: [EngineAction], fromA: Bool,
                         into q: inout [(Bool, Datagram)]) {
        for act in actions {
            switch act {
            case .send(let d):
                q.append((fromA, d))
            case .initiateFinished(let name, let ok, let message) where fromA:
                decided += decider.finished(instance: name, success: ok, message: message,
                                            sas: a.snapshots(), now: now)
            case .log(let r):
                logs.append((fromA ? "A " : "B ") + r.formatted)
            default:
                break
            }
        }
    }

    func advance(_ seconds: Double) {
        now += seconds
        deliver(a.tick(now: now), fromA: true)
        deliver(b.tick(now: now), fromA: false)
    }
}

/// Connections for flow tests: PSK and raw-key peers A (192.0.2.1) and B (192.0.2.2).
enum FlowFixtures {
    static let psk = SecretBytes(Array("flow-test-preshared-key-0123456789".utf8))
    static let ike = [try! ProposalSpec(parsing: "aes128gcm16-prfsha256-x25519", forESP: false)]
    static let esp = [try! ProposalSpec(parsing: "aes128gcm16", forESP: true)]
    static let idA = IDPayload(text: "fqdn:a.test")!
    static let idB = IDPayload(text: "fqdn:b.test")!

    static func ts(_ s: String) -> [TrafficSelector] { [TrafficSelector(cidr: s)!] }

    /// A's side: `remote` nil makes a template.
    static func initiator(_ name: String, remote: IPAddress?, remoteAuth: PeerCredential? = nil,
                          local: LocalCredential? = nil, esp: [ProposalSpec] = esp)
        -> ConnectionConfig {
        ConnectionConfig(name: name, localAddress: FlowEnginePair.addrA, remoteAddress: remote,
                         localID: idA, remoteID: .exact(idB), localAuth: local ?? .psk(psk),
                         remoteAuth: remoteAuth ?? .psk(psk), ikeProposals: ike, espProposals: esp,
                         localTS: ts("192.0.2.0/24"), remoteTS: ts("192.0.2.0/24"))
    }

    /// B's side, accepting A for `remoteTS` (the addresses A may claim).
    static func responder(remoteTS: String = "192.0.2.0/24", local: LocalCredential? = nil,
                          esp: [ProposalSpec] = esp) -> ConnectionConfig {
        ConnectionConfig(name: "from-a", localAddress: FlowEnginePair.addrB, remoteAddress: nil,
                         localID: idB, remoteID: .exact(idA), localAuth: local ?? .psk(psk),
                         remoteAuth: .psk(psk), ikeProposals: ike, espProposals: esp,
                         localTS: ts("192.0.2.0/24"), remoteTS: ts(remoteTS))
    }
}
