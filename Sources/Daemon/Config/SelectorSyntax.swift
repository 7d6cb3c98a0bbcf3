import IKEv2

/// Traffic selector text of `local-ts`, `remote-ts` and `ikectl explain --ts`: an
/// address part, then optionally the IP protocol and ports in brackets (RFC 7296
/// section 3.13.1; RFC 4301 4.4.1.1 selectors):
///
///     10.0.0.0/24            all protocols and ports
///     10.0.0.1-10.0.0.9      a range
///     10.0.0.0/24[tcp/443]   TCP port 443 only
///     10.0.0.1[udp/500-600]  UDP ports 500 to 600
///     10.0.0.0/8[6]          protocol 6 (TCP), all ports
///     2001:db8::/64[icmp]    ICMP (for ICMP the port fields carry type and code)
///
/// Protocols: `tcp`, `udp`, `icmp`, `ipv6-icmp` (also `icmpv6`), `sctp`, `any`, or a
/// number 0-255. Ports need a protocol other than `any`.
enum SelectorSyntax {
    static let protocolNames: [String: UInt8] = [
        "any": 0, "icmp": 1, "tcp": 6, "udp": 17, "ipv6-icmp": 58, "icmpv6": 58, "sctp": 132,
    ]

    /// The selector, or why `text` is not one.
    static func parse(_ text: String) -> Result<TrafficSelector, DaemonError> {
        var address = Substring(text)
        var restriction: Substring?
        if let open = text.firstIndex(of: "[") {
            guard text.hasSuffix("]") else {
                return .failure(DaemonError("'\(text)': '[' without a closing ']' at the end"))
            }
            address = text[..<open]
            restriction = text[text.index(after: open)..<text.index(before: text.endIndex)]
        }
        guard var ts = TrafficSelector(cidr: String(address)) else {
            return .failure(DaemonError("'\(text)' is not ADDRESS/PREFIX or FIRST-LAST"
                + (restriction == nil ? "" : " followed by [PROTOCOL/PORTS]")))
        }
        guard let restriction else { return .success(ts) }
        let parts = restriction.split(separator: "/", maxSplits: 1,
                                      omittingEmptySubsequences: false)
        let protoText = parts[0].lowercased()
        guard let proto = protocolNames[protoText] ?? UInt8(protoText) else {
            return .failure(DaemonError("'\(text)': unknown protocol '\(parts[0])' (tcp, udp, "
                + "icmp, ipv6-icmp, sctp, any or a number 0-255)"))
        }
        ts.ipProtocol = proto
        if parts.count == 2 {
            guard proto != 0 else {
                return .failure(DaemonError("'\(text)': ports need a protocol "
                    + "(e.g. [tcp/443])"))
            }
            let range = parts[1].split(separator: "-", omittingEmptySubsequences: false)
            guard range.count <= 2, let low = UInt16(range[0]),
                  let high = range.count == 2 ? UInt16(range[1]) : low, low <= high else {
                return .failure(DaemonError("'\(text)': '\(parts[1])' is not a port (0-65535) "
                    + "or a range LOW-HIGH"))
            }
            ts.startPort = low
            ts.endPort = high
        }
        return .success(ts)
    }

    /// `TrafficSelector.displayString` with the protocol by name when it has one:
    /// `10.0.0.0/24[tcp/443]`.
    static func show(_ ts: TrafficSelector) -> String {
        let plain = ts.displayString
        guard ts.ipProtocol != 0 || ts.startPort != 0 || ts.endPort != 65535,
              let open = plain.firstIndex(of: "[") else { return plain }
        let name = protocolNames.filter { $0.value == ts.ipProtocol && $0.key != "icmpv6" }
            .keys.first ?? "\(ts.ipProtocol)"
        let all = ts.startPort == 0 && ts.endPort == 65535
        let ports = ts.startPort == ts.endPort ? "\(ts.startPort)" : "\(ts.startPort)-\(ts.endPort)"
        return plain[..<open] + "[\(name)" + (all ? "" : "/\(ports)") + "]"
    }
}
