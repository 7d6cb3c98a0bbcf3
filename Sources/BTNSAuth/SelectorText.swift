import IKEv2

/// Text form of a traffic selector with an optional protocol and port restriction:
/// `10.0.0.0/24`, `10.0.0.1-10.0.0.9`, `10.0.0.0/24[tcp/443]`, `[udp/500-4500]`,
/// `[tcp]`, `[6/443]` (RFC 4301 section 4.4.1.1 selectors: addresses, next layer
/// protocol, ports).
///
/// It also reads back `TrafficSelector.displayString` (numeric protocol, `lo-hi`
/// ports, the OPAQUE form `65535-0`), which is how child SA snapshots carry selectors.
///
/// TODO: the PAD branch brings a shared selector parser for `local-ts`/`remote-ts`;
/// once it lands, `parse` should call it so both blocks accept exactly the same
/// syntax. Until then this is the one place `policy` blocks parse selectors.
public enum SelectorText {
    /// Protocol names accepted before the `/`; anything else must be a number 0-255.
    public static let protocolNames: [String: UInt8] = [
        "any": 0, "icmp": 1, "tcp": 6, "udp": 17, "gre": 47, "esp": 50, "sctp": 132,
        "icmpv6": 58, "ipv6-icmp": 58,
    ]

    /// The selector written in `text`, or nil when malformed.
    public static func parse(_ text: String) -> TrafficSelector? {
        var addressPart = Substring(text)
        var restriction: Substring?
        if let open = text.firstIndex(of: "[") {
            guard text.hasSuffix("]") else { return nil }
            addressPart = text[..<open]
            restriction = text[text.index(after: open)..<text.index(before: text.endIndex)]
        }
        guard var ts = TrafficSelector(cidr: String(addressPart)) else { return nil }
        if let restriction {
            let parts = restriction.split(separator: "/", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), let proto = ipProtocol(String(parts[0])) else {
                return nil
            }
            ts.ipProtocol = proto
            if parts.count == 2 {
                guard let (lo, hi) = ports(String(parts[1])) else { return nil }
                ts.startPort = lo
                ts.endPort = hi
            }
        }
        return ts
    }

    /// `tcp`, `udp`, ... or a number 0-255.
    public static func ipProtocol(_ text: String) -> UInt8? {
        protocolNames[text.lowercased()] ?? UInt8(text)
    }

    /// `443`, `1024-65535`, or `65535-0` (OPAQUE, RFC 7296 section 3.13.1).
    static func ports(_ text: String) -> (UInt16, UInt16)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            guard let p = UInt16(parts[0]) else { return nil }
            return (p, p)
        case 2:
            guard let lo = UInt16(parts[0]), let hi = UInt16(parts[1]),
                  lo <= hi || (lo == 65535 && hi == 0) else { return nil }
            return (lo, hi)
        default:
            return nil
        }
    }
}
