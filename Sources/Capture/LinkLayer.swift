/// Link-layer framing down to the network-layer packet
/// (link types: https://www.tcpdump.org/linktypes.html).
///
/// Ethernet (1) with any number of 802.1Q / 802.1ad tags, Linux cooked capture SLL (113)
/// and SLL2 (276), raw IP (101, and the historical 12 and 14), raw IPv4/IPv6 (228/229),
/// BSD loopback "null" (0; host-order family) and OpenBSD loopback (108; network order).
/// For the loopback types the address family is taken from the IP version nibble,
/// because BSDs disagree on the IPv6 family number.
enum LinkLayer {
    enum Network {
        case ipv4(ArraySlice<UInt8>)
        case ipv6(ArraySlice<UInt8>)
    }

    enum Failure: Error {
        /// Not IP, or a link type this reader does not know; the string says which.
        case notIP(String)
        /// The link header itself is cut short.
        case truncated(String)
    }

    static let etherIPv4: UInt16 = 0x0800
    static let etherIPv6: UInt16 = 0x86dd
    static let vlanTags: Set<UInt16> = [0x8100, 0x88a8, 0x9100]

    static func network(linkType: UInt32, frame: ArraySlice<UInt8>) -> Result<Network, Failure> {
        let b = frame.startIndex
        switch linkType {
        case 1:
            guard var type = frame.be16(at: b + 12) else {
                return .failure(.truncated("Ethernet header"))
            }
            var next = b + 14
            while vlanTags.contains(type) {
                guard let inner = frame.be16(at: next + 2) else {
                    return .failure(.truncated("802.1Q tag"))
                }
                type = inner
                next += 4
            }
            return byEtherType(type, frame[next...])
        case 113:
            guard let type = frame.be16(at: b + 14) else {
                return .failure(.truncated("Linux cooked (SLL) header"))
            }
            return byEtherType(type, frame.dropFirst(16))
        case 276:
            guard let type = frame.be16(at: b), frame.count >= 20 else {
                return .failure(.truncated("Linux cooked (SLL2) header"))
            }
            return byEtherType(type, frame.dropFirst(20))
        case 101, 12, 14:
            return byVersion(frame)
        case 228:
            return .success(.ipv4(frame))
        case 229:
            return .success(.ipv6(frame))
        case 0, 108:
            guard frame.count >= 4 else { return .failure(.truncated("loopback header")) }
            return byVersion(frame.dropFirst(4))
        default:
            return .failure(.notIP("link type \(linkType) not supported"))
        }
    }

    private static func byEtherType(_ type: UInt16,
                                    _ rest: ArraySlice<UInt8>) -> Result<Network, Failure> {
        switch type {
        case etherIPv4: return .success(.ipv4(rest))
        case etherIPv6: return .success(.ipv6(rest))
        default:
            let hex = String(type, radix: 16)
            let padded = String(repeating: "0", count: 4 - hex.count) + hex
            return .failure(.notIP("ethertype 0x\(padded)"))
        }
    }

    private static func byVersion(_ packet: ArraySlice<UInt8>) -> Result<Network, Failure> {
        guard let first = packet.first else { return .failure(.truncated("empty IP packet")) }
        switch first >> 4 {
        case 4: return .success(.ipv4(packet))
        case 6: return .success(.ipv6(packet))
        default: return .failure(.notIP("IP version \(first >> 4)"))
        }
    }
}
