extension TrafficSelector {
    /// A selector for `address/prefix` (or a bare address), any protocol and port.
    /// Also accepts `A-B` ranges. Nil when malformed.
    public init?(cidr text: String, ipProtocol: UInt8 = 0) {
        if let dash = text.firstIndex(of: "-") {
            guard let a = IPAddress(String(text[..<dash])),
                  let b = IPAddress(String(text[text.index(after: dash)...])),
                  a.isV4 == b.isV4, a.bytes.lexicographicallyPrecedes(b.bytes) || a == b
            else { return nil }
            self.init(type: a.isV4 ? .ipv4AddrRange : .ipv6AddrRange, ipProtocol: ipProtocol,
                      startPort: 0, endPort: 65535, startAddress: a.bytes, endAddress: b.bytes)
            return
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let addr = IPAddress(String(parts[0])) else { return nil }
        let bits = addr.bytes.count * 8
        var prefix = bits
        if parts.count == 2 {
            guard let p = Int(parts[1]), (0...bits).contains(p) else { return nil }
            prefix = p
        }
        var start = addr.bytes
        var end = addr.bytes
        for i in 0..<start.count {
            let keep = max(0, min(8, prefix - i * 8))
            let mask: UInt8 = keep == 0 ? 0 : UInt8(truncatingIfNeeded: 0xff << (8 - keep))
            start[i] &= mask
            end[i] |= ~mask
        }
        self.init(type: addr.isV4 ? .ipv4AddrRange : .ipv6AddrRange, ipProtocol: ipProtocol,
                  startPort: 0, endPort: 65535, startAddress: start, endAddress: end)
    }

    /// `10.99.1.1/32`, `10.0.0.1-10.0.0.9`, with `[proto/port-port]` when restricted.
    public var displayString: String {
        let a = IPAddress(bytes: startAddress).map { "\($0)" } ?? startAddress.hexString
        let b = IPAddress(bytes: endAddress).map { "\($0)" } ?? endAddress.hexString
        var text = a == b ? "\(a)/\(startAddress.count * 8)" : (prefixLength.map { "\(a)/\($0)" } ?? "\(a)-\(b)")
        if ipProtocol != 0 || startPort != 0 || endPort != 65535 {
            let ports = startPort == endPort ? "\(startPort)" : "\(startPort)-\(endPort)"
            text += "[\(ipProtocol)/\(ports)]"
        }
        return text
    }

    /// The prefix length when start..end is exactly one CIDR block.
    private var prefixLength: Int? {
        guard startAddress.count == endAddress.count else { return nil }
        var prefix = 0
        var inHost = false
        for i in 0..<startAddress.count {
            for bit in (0..<8).reversed() {
                let s = (startAddress[i] >> bit) & 1
                let e = (endAddress[i] >> bit) & 1
                if !inHost {
                    if s == e { prefix += 1; continue }
                    inHost = true
                }
                if s != 0 || e != 1 { return nil }
            }
        }
        return prefix
    }
}
