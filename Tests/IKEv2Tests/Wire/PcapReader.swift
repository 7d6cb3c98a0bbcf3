import Foundation

/// A tiny pcap / pcapng reader for the third-party captures: yields the UDP payload of
/// each frame (IPv4 or IPv6, Ethernet, raw IP, Linux cooked or BSD loopback framing).
/// Test-only; it trusts its input no further than the bounds checks below.
struct PcapReader {
    struct Frame {
        var number: Int
        var sourcePort: UInt16?
        var destinationPort: UInt16?
        /// Nil when the frame is not UDP or is an IP fragment.
        var udpPayload: [UInt8]?
        var isFragment = false
    }

    enum Failure: Error { case format(String) }

    static func frames(in url: URL) throws -> [Frame] {
        let data = [UInt8](try Data(contentsOf: url))
        var packets = [(linkType: UInt32, bytes: ArraySlice<UInt8>)]()
        guard data.count >= 24 else { throw Failure.format("short file") }
        if data.prefix(4) == [0x0a, 0x0d, 0x0d, 0x0a] {
            try readPcapng(data, into: &packets)
        } else {
            try readPcap(data, into: &packets)
        }
        return packets.enumerated().map { i, p in frame(i + 1, p.linkType, p.bytes) }
    }

    private static func le32(_ d: [UInt8], _ i: Int) -> UInt32 {
        UInt32(d[i]) | UInt32(d[i + 1]) << 8 | UInt32(d[i + 2]) << 16 | UInt32(d[i + 3]) << 24
    }

    private static func be16(_ d: ArraySlice<UInt8>, _ i: Int) -> UInt16 {
        UInt16(d[i]) << 8 | UInt16(d[i + 1])
    }

    private static func readPcap(_ d: [UInt8],
                                 into out: inout [(linkType: UInt32, bytes: ArraySlice<UInt8>)])
        throws
    {
        let magic = le32(d, 0)
        guard magic == 0xa1b2_c3d4 || magic == 0xa1b2_3c4d else {
            throw Failure.format("not a little-endian pcap")
        }
        let linkType = le32(d, 20)
        var i = 24
        while i + 16 <= d.count {
            let len = Int(le32(d, i + 8))
            guard i + 16 + len <= d.count else { throw Failure.format("truncated record") }
            out.append((linkType, d[(i + 16)..<(i + 16 + len)]))
            i += 16 + len
        }
    }

    private static func readPcapng(_ d: [UInt8],
                                   into out: inout [(linkType: UInt32, bytes: ArraySlice<UInt8>)])
        throws
    {
        guard le32(d, 8) == 0x1a2b_3c4d else { throw Failure.format("not little-endian pcapng") }
        var linkTypes = [UInt32]()
        var i = 0
        while i + 12 <= d.count {
            let type = le32(d, i)
            let total = Int(le32(d, i + 4))
            guard total >= 12, i + total <= d.count else { throw Failure.format("bad block") }
            switch type {
            case 1:  // Interface Description Block
                linkTypes.append(UInt32(d[i + 8]) | UInt32(d[i + 9]) << 8)
            case 6:  // Enhanced Packet Block
                let iface = Int(le32(d, i + 8))
                let len = Int(le32(d, i + 20))
                guard iface < linkTypes.count, i + 28 + len <= i + total else {
                    throw Failure.format("bad EPB")
                }
                out.append((linkTypes[iface], d[(i + 28)..<(i + 28 + len)]))
            case 3:  // Simple Packet Block
                let len = min(Int(le32(d, i + 8)), total - 16)
                out.append((linkTypes.first ?? 1, d[(i + 12)..<(i + 12 + len)]))
            default:
                break
            }
            i += total
        }
    }

    private static func frame(_ number: Int, _ linkType: UInt32, _ p: ArraySlice<UInt8>) -> Frame {
        var f = Frame(number: number)
        var i = p.startIndex
        var ethertype: UInt16 = 0
        switch linkType {
        case 1:  // Ethernet, possibly 802.1Q tagged
            guard p.count >= 14 else { return f }
            ethertype = be16(p, i + 12)
            i += 14
            if ethertype == 0x8100, p.endIndex - i >= 4 {
                ethertype = be16(p, i + 2)
                i += 4
            }
        case 101, 12, 14:  // raw IP
            guard let v = p.first else { return f }
            ethertype = v >> 4 == 6 ? 0x86dd : 0x0800
        case 113:  // Linux cooked capture
            guard p.count >= 16 else { return f }
            ethertype = be16(p, i + 14)
            i += 16
        case 0:  // BSD loopback: 4-octet family in host order
            guard p.count >= 4 else { return f }
            ethertype = p[i + 4] >> 4 == 6 ? 0x86dd : 0x0800
            i += 4
        default:
            return f
        }
        var udp: Int
        var end = p.endIndex
        switch ethertype {
        case 0x0800:
            guard p.endIndex - i >= 20 else { return f }
            let ihl = Int(p[i] & 0x0f) * 4
            let totalLength = Int(be16(p, i + 2))
            let fragment = be16(p, i + 6)
            f.isFragment = fragment & 0x3fff != 0
            guard p[i + 9] == 17, !f.isFragment, ihl >= 20, p.endIndex - i >= totalLength
            else { return f }
            end = i + totalLength
            udp = i + ihl
        case 0x86dd:
            guard p.endIndex - i >= 40, p[i + 6] == 17 else { return f }
            end = i + 40 + Int(be16(p, i + 4))
            udp = i + 40
        default:
            return f
        }
        guard end <= p.endIndex, end - udp >= 8 else { return f }
        f.sourcePort = be16(p, udp)
        f.destinationPort = be16(p, udp + 2)
        let udpLength = Int(be16(p, udp + 4))
        guard udpLength >= 8, udp + udpLength <= end else { return f }
        f.udpPayload = Array(p[(udp + 8)..<(udp + udpLength)])
        return f
    }
}
