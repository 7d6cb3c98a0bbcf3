/// IPv4 (RFC 791) and IPv6 (RFC 8200) headers down to the transport payload.
///
/// IPv6 extension headers that are safe to step over are skipped: Hop-by-Hop (0),
/// Routing (43), Destination Options (60), AH (51, RFC 4302: length in 4-octet units).
/// The Fragment header (44) makes the packet a fragment, reassembled like IPv4 ones.
/// Any other next header ends the walk and is reported as the transport protocol.
struct IPPacket: Sendable {
    /// A piece of a fragmented datagram (RFC 791 section 3.2; RFC 8200 section 4.5).
    struct Fragment: Hashable, Sendable {
        var identification: UInt32
        /// Offset of this piece in the datagram's payload, in octets.
        var offset: Int
        var moreFragments: Bool
    }

    var source: [UInt8]
    var destination: [UInt8]
    /// Transport protocol number (17 for UDP).
    var proto: UInt8
    /// The transport octets carried by this packet (one piece, when fragmented).
    var payload: ArraySlice<UInt8>
    var fragment: Fragment?

    static let udp: UInt8 = 17

    enum Failure: Error {
        case malformed(String)
    }

    static func parse(_ network: LinkLayer.Network) -> Result<IPPacket, Failure> {
        switch network {
        case .ipv4(let p): return parseIPv4(p)
        case .ipv6(let p): return parseIPv6(p)
        }
    }

    private static func parseIPv4(_ p: ArraySlice<UInt8>) -> Result<IPPacket, Failure> {
        let b = p.startIndex
        guard let first = p.first, first >> 4 == 4 else {
            return .failure(.malformed("IPv4 header: version is not 4"))
        }
        let headerLength = Int(first & 0x0f) * 4
        guard headerLength >= 20, let total = p.be16(at: b + 2), let flags = p.be16(at: b + 6),
              let src = p.bytes(at: b + 12, count: 4), let dst = p.bytes(at: b + 16, count: 4),
              p.count >= headerLength
        else {
            return .failure(.malformed("IPv4 header truncated or IHL below 5"))
        }
        guard Int(total) >= headerLength else {
            return .failure(.malformed("IPv4 total length \(total) below header length"))
        }
        // A snap length may have cut the packet; take what is there.
        let end = min(p.endIndex, b + Int(total))
        var packet = IPPacket(source: Array(src), destination: Array(dst), proto: p[b + 9],
                              payload: p[(b + headerLength)..<end])
        let offset = Int(flags & 0x1fff) * 8
        let more = flags & 0x2000 != 0
        if offset != 0 || more {
            packet.fragment = Fragment(identification: UInt32(p.be16(at: b + 4) ?? 0),
                                       offset: offset, moreFragments: more)
        }
        return .success(packet)
    }

    private static func parseIPv6(_ p: ArraySlice<UInt8>) -> Result<IPPacket, Failure> {
        let b = p.startIndex
        guard let payloadLength = p.be16(at: b + 4), let src = p.bytes(at: b + 8, count: 16),
              let dst = p.bytes(at: b + 24, count: 16)
        else {
            return .failure(.malformed("IPv6 header truncated"))
        }
        let end = min(p.endIndex, b + 40 + Int(payloadLength))
        var next = p[b + 6]
        var i = b + 40
        var fragment: Fragment?
        walk: while true {
            switch next {
            case 0, 43, 60, 51:
                guard i + 2 <= end else {
                    return .failure(.malformed("IPv6 extension header \(next) truncated"))
                }
                let length = next == 51 ? (Int(p[i + 1]) + 2) * 4 : (Int(p[i + 1]) + 1) * 8
                next = p[i]
                i += length
            case 44:
                guard let field = p.be16(at: i + 2), let id = p.be32(at: i + 4), i + 8 <= end else {
                    return .failure(.malformed("IPv6 fragment header truncated"))
                }
                let offset = Int(field >> 3) * 8
                let more = field & 1 != 0
                if offset != 0 || more {
                    fragment = Fragment(identification: id, offset: offset, moreFragments: more)
                }
                next = p[i]
                i += 8
            default:
                break walk
            }
            guard i <= end else {
                return .failure(.malformed("IPv6 extension headers run past the packet"))
            }
        }
        return .success(IPPacket(source: Array(src), destination: Array(dst), proto: next,
                                 payload: p[i..<end], fragment: fragment))
    }

    /// Dotted quad for IPv4, RFC 5952 text for IPv6.
    static func text(_ address: [UInt8]) -> String {
        if address.count == 4 { return address.map(String.init).joined(separator: ".") }
        return IPv6Text.format(address)
    }
}

/// RFC 5952 section 4 canonical IPv6 text: lowercase, no leading zeros, the longest run
/// of two or more zero groups (the first, on a tie) shortened to "::".
enum IPv6Text {
    static func format(_ a: [UInt8]) -> String {
        guard a.count == 16 else { return a.hex }
        let groups = (0..<8).map { UInt16(a[2 * $0]) << 8 | UInt16(a[2 * $0 + 1]) }
        var best = (start: -1, length: 0)
        var run = (start: -1, length: 0)
        for (i, g) in groups.enumerated() {
            if g == 0 {
                run = run.start < 0 ? (i, 1) : (run.start, run.length + 1)
                if run.length > best.length { best = run }
            } else {
                run = (-1, 0)
            }
        }
        func hexGroups(_ r: Range<Int>) -> String {
            groups[r].map { String($0, radix: 16) }.joined(separator: ":")
        }
        guard best.length >= 2 else { return hexGroups(0..<8) }
        return hexGroups(0..<best.start) + "::" + hexGroups((best.start + best.length)..<8)
    }
}
