import BTNSAuth
import IKEv2

/// A flow as `ikectl flow SRC DST [--proto P] [--sport N] [--dport N]` names it; both
/// ikectl (before sending) and iked (on receipt) check it with `flow()`.
public struct FlowRequest: Codable, Sendable, Equatable {
    public var src: String
    public var dst: String
    /// `tcp`, `udp`, ... or a number; nil: any protocol.
    public var proto: String?
    public var sport: Int?
    public var dport: Int?

    public init(src: String, dst: String, proto: String? = nil, sport: Int? = nil,
                dport: Int? = nil) {
        self.src = src
        self.dst = dst
        self.proto = proto
        self.sport = sport
        self.dport = dport
    }

    /// The flow, or what is wrong with the request.
    public func flow() throws(DaemonError) -> Flow {
        guard let s = IPAddress(src) else {
            throw DaemonError("flow: SRC '\(src)' is not an IPv4 or IPv6 address")
        }
        guard let d = IPAddress(dst) else {
            throw DaemonError("flow: DST '\(dst)' is not an IPv4 or IPv6 address")
        }
        guard s.isV4 == d.isV4 else {
            throw DaemonError("flow: \(src) and \(dst) are of different address families")
        }
        var p: UInt8 = 0
        if let proto {
            guard let v = SelectorText.ipProtocol(proto) else {
                throw DaemonError("flow: --proto '\(proto)' is not a protocol name (tcp, udp, "
                    + "icmp, sctp, ...) or number 0-255")
            }
            p = v
        }
        func port(_ v: Int?, _ flag: String) throws(DaemonError) -> UInt16? {
            guard let v else { return nil }
            guard (0...65535).contains(v) else {
                throw DaemonError("flow: \(flag) \(v) is not a port (0-65535)")
            }
            // Ports exist only for port-carrying protocols; without --proto the
            // selector "any protocol" cannot say which port space is meant.
            guard [6, 17, 132].contains(p) else {
                throw DaemonError("flow: \(flag) needs --proto tcp, udp or sctp")
            }
            return UInt16(v)
        }
        return Flow(src: s, dst: d, ipProtocol: p, srcPort: try port(sport, "--sport"),
                    dstPort: try port(dport, "--dport"))
    }
}
