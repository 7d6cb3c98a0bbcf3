// latchkey-bench: handshake rate and memory per IKE SA of the engine, in one process
// (two IKEEngines joined by an in-memory wire: no sockets, no kernel). Prints figures
// and their ratio to the crypto-only limit measured on this kind of machine.
import Foundation
import IKEv2

/// A PAD that accepts the one PSK peer and any selectors it asks for.
final class OpenPolicy: AuthorizationPolicy, @unchecked Sendable {
    func walk1(peerID: IDPayload, presentedKey: PublicKey?, connections: [ConnectionConfig])
        -> PADMatch? { PADMatch(connectionIndex: 0, isBTNS: false) }
    func walk2(peerTS: [TrafficSelector], connectionIndex: Int, peerIsBTNS: Bool,
               connections: [ConnectionConfig]) -> [TrafficSelector] { peerTS }
    func checkPin(peerID: IDPayload, key: PublicKey) -> PinCheck { .matches }
}

func residentKiB() -> Int {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
    return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
}

/// Carries datagrams between the engines until both are quiet.
func run(_ first: [EngineAction], _ a: IKEEngine, _ b: IKEEngine) -> Bool {
    var queue: [(toB: Bool, Datagram)] = []
    var ok = false
    func take(_ actions: [EngineAction], fromA: Bool) {
        for act in actions {
            if case .send(let d) = act { queue.append((fromA, d)) }
            if case .initiateFinished(_, let success, let why) = act {
                ok = success
                if !success { FileHandle.standardError.write(Data((why + "\n").utf8)) }
            }
        }
    }
    take(first, fromA: true)
    while !queue.isEmpty {
        let (toB, d) = queue.removeFirst()
        let back = Datagram(bytes: d.bytes, local: d.remote, remote: d.local)
        take((toB ? b : a).receive(back, now: 1), fromA: !toB)
    }
    return ok
}

let args = CommandLine.arguments
let count = args.count > 1 ? Int(args[1]) ?? 2000 : 2000
let psk = SecretBytes(Array("benchmark-preshared-key-0123456789".utf8))
let ike = [try! ProposalSpec(parsing: "aes128gcm16-prfsha256-x25519", forESP: false)]
let esp = [try! ProposalSpec(parsing: "aes128gcm16", forESP: true)]
let addrA = IPAddress("192.0.2.1")!
let addrB = IPAddress("192.0.2.2")!
func conn(_ local: IPAddress, _ remote: IPAddress?, _ me: String, _ peer: String,
          mine: String, theirs: String) -> ConnectionConfig {
    ConnectionConfig(name: "bench", localAddress: local, remoteAddress: remote,
                     localID: IDPayload(text: me), remoteID: .exact(IDPayload(text: peer)!),
                     localAuth: .psk(psk), remoteAuth: .psk(psk), ikeProposals: ike,
                     espProposals: esp, localTS: [TrafficSelector(cidr: mine)!],
                     remoteTS: [TrafficSelector(cidr: theirs)!])
}
// Liveness checks and rekeys off; cookies off: every handshake is a full one.
let settings = EngineSettings(cookieThreshold: 1_000_000, maxHalfOpen: 1_000_000,
                              dpdDelay: 0, ikeRekeyTime: 0, childRekeyTime: 0)
let responder = IKEEngine(settings: settings, connections: [conn(addrB, nil, "fqdn:b", "fqdn:a",
                                                             mine: "10.2.0.0/16",
                                                             theirs: "10.1.0.0/16")],
                          policy: OpenPolicy())
let rssBefore = residentKiB()
let start = Date()
var established = 0
for _ in 0..<count {
    // a fresh initiator each time, so the responder accumulates IKE SAs
    let initiator = IKEEngine(settings: settings,
                              connections: [conn(addrA, addrB, "fqdn:a", "fqdn:b",
                                                 mine: "10.1.0.0/16", theirs: "10.2.0.0/16")],
                              policy: OpenPolicy())
    if run(initiator.initiate(connection: "bench", now: 1), initiator, responder) {
        established += 1
    }
}
let seconds = Date().timeIntervalSince(start)
let perSA = Double(residentKiB() - rssBefore) / Double(max(established, 1))
let rate = Double(established) / seconds
// Both sides' crypto runs here on one core; the platform notes put the responder-only
// limit for X25519 + PSK at roughly 10,000 per core, so both sides at about half that.
let limit = 5_000.0
print("handshakes (IKE_SA_INIT + IKE_AUTH, both roles, one core): \(established)/\(count)")
print(String(format: "rate: %.0f handshakes/s (%.0f%% of the ~%.0f/s crypto-only limit)",
             rate, 100 * rate / limit, limit))
print(String(format: "responder memory: %.1f KiB per established IKE SA (with its child SA)",
             perSA))
