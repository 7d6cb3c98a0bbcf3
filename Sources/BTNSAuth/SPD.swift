import IKEv2

/// What the SPD says to do with a flow (RFC 4301 section 4.4.1; RFC 5660 section 3.1).
public enum SPDAction: String, Sendable, Codable, CaseIterable, Hashable {
    /// Only under a child SA of the entry's connection; without one the flow is dropped.
    case protect
    /// In the clear, no IPsec.
    case bypass
    /// Dropped.
    case discard
    /// Protected when the peer negotiates a child SA, in the clear when it cannot
    /// (optional protection, RFC 5660 section 3.1; libreswan's "private-or-clear").
    case bypassOrProtect = "bypass-or-protect"

    public var initiatesIKE: Bool { self == .protect || self == .bypassOrProtect }
}

/// The first packet of a flow as the SPD sees it: addresses, protocol and ports
/// (RFC 4301 section 4.4.1.1 selectors). `src` is our side, `dst` the peer's side.
public struct Flow: Sendable, Hashable, CustomStringConvertible {
    public var src: IPAddress
    public var dst: IPAddress
    /// IP protocol number; 0 when not known, which only selectors for every protocol
    /// match.
    public var ipProtocol: UInt8
    /// nil: not known, which only selectors for every port match.
    public var srcPort: UInt16?
    public var dstPort: UInt16?

    public init(src: IPAddress, dst: IPAddress, ipProtocol: UInt8 = 0,
                srcPort: UInt16? = nil, dstPort: UInt16? = nil) {
        self.src = src
        self.dst = dst
        self.ipProtocol = ipProtocol
        self.srcPort = srcPort
        self.dstPort = dstPort
    }

    /// Our side of the flow as a selector: one address, its protocol and port.
    public var localSelector: TrafficSelector { Self.selector(src, ipProtocol, srcPort) }
    /// The peer's side.
    public var remoteSelector: TrafficSelector { Self.selector(dst, ipProtocol, dstPort) }

    /// True when a child SA with these selectors carries the flow: its local selectors
    /// cover our side and its remote selectors the peer's side.
    public func isCovered(local: [TrafficSelector], remote: [TrafficSelector]) -> Bool {
        TrafficSelectorMath.covers(local, [localSelector])
            && TrafficSelectorMath.covers(remote, [remoteSelector])
    }

    /// `10.0.0.1:40000 -> 10.0.0.2:443 tcp`
    public var description: String {
        func side(_ a: IPAddress, _ p: UInt16?) -> String {
            guard let p else { return "\(a)" }
            return a.isV4 ? "\(a):\(p)" : "[\(a)]:\(p)"
        }
        let proto = SelectorText.protocolNames.first { $0.value == ipProtocol && $0.key != "any" }
            .map(\.key) ?? (ipProtocol == 0 ? "any" : "proto \(ipProtocol)")
        return "\(side(src, srcPort)) -> \(side(dst, dstPort)) \(proto)"
    }

    static func selector(_ a: IPAddress, _ proto: UInt8, _ port: UInt16?) -> TrafficSelector {
        var ts = TrafficSelector(cidr: "\(a)")!
        ts.ipProtocol = proto
        if let port {
            ts.startPort = port
            ts.endPort = port
        }
        return ts
    }
}

/// One SPD entry, a `policy NAME { ... }` block (RFC 4301 section 4.4.1, with the
/// BTNS_OK flag of RFC 5386 section 2 and BYPASS-OR-PROTECT of RFC 5660 section 3.1).
public struct SPDEntry: Sendable, Hashable {
    public var name: String
    public var action: SPDAction
    /// Our side; never empty (absent in the configuration: every IPv4 and IPv6 address).
    public var localTS: [TrafficSelector]
    /// The peer's side; never empty.
    public var remoteTS: [TrafficSelector]
    /// The connection that protects matching flows (protect, bypass-or-protect). When
    /// it has no remote-address it is a template, instantiated toward the flow's
    /// destination.
    public var connection: String?
    /// BTNS_OK (RFC 5386 section 2): a child SA with a peer accepted on leap of faith
    /// may satisfy this entry. Without it only authenticated peers count.
    public var btnsOK: Bool
    /// Configuration line of the block, for messages.
    public var line: Int

    public static let anyAddress = [TrafficSelector(cidr: "0.0.0.0/0")!,
                                    TrafficSelector(cidr: "::/0")!]

    public init(name: String, action: SPDAction, localTS: [TrafficSelector] = anyAddress,
                remoteTS: [TrafficSelector] = anyAddress, connection: String? = nil,
                btnsOK: Bool = false, line: Int = 0) {
        self.name = name
        self.action = action
        self.localTS = localTS
        self.remoteTS = remoteTS
        self.connection = connection
        self.btnsOK = btnsOK
        self.line = line
    }

    /// True when one local selector covers the flow's source side and one remote
    /// selector its destination side.
    public func matches(_ flow: Flow) -> Bool {
        localTS.contains { TrafficSelectorMath.covers($0, flow.localSelector) }
            && remoteTS.contains { TrafficSelectorMath.covers($0, flow.remoteSelector) }
    }

    /// Selectors to request for a child SA that protects `flow` under this entry: the
    /// flow's two addresses, each restricted to the protocol and ports of the entry's
    /// selector that matched (RFC 4301 section 4.4.1.2 "populate from packet" for the
    /// addresses, the entry's values for the rest). One SA then carries every flow
    /// between the two hosts that the entry covers. Empty when the entry does not
    /// match the flow.
    public func childSelectors(for flow: Flow) -> (local: [TrafficSelector],
                                                   remote: [TrafficSelector]) {
        func pick(_ entryTS: [TrafficSelector], _ side: TrafficSelector,
                  _ host: IPAddress) -> [TrafficSelector] {
            guard let outer = entryTS.first(where: { TrafficSelectorMath.covers($0, side) }),
                  let hostTS = TrafficSelector(cidr: "\(host)"),
                  let narrowed = TrafficSelectorMath.intersect(outer, hostTS) else { return [] }
            return [narrowed]
        }
        return (pick(localTS, flow.localSelector, flow.src),
                pick(remoteTS, flow.remoteSelector, flow.dst))
    }
}

/// The ordered Security Policy Database (RFC 4301 section 4.4.1): the first entry whose
/// selectors match a flow decides. Pure: no I/O, no state beyond the entries.
public struct SPD: Sendable, Hashable {
    public var entries: [SPDEntry]

    public init(_ entries: [SPDEntry] = []) {
        self.entries = entries
    }

    /// The first entry matching `flow`, or nil. With no match RFC 4301 section 4.4.1
    /// (and section 5.1) discards the packet; callers record that as a discard.
    public func lookup(_ flow: Flow) -> SPDEntry? {
        entries.first { $0.matches(flow) }
    }
}
