import IKEv2

/// What a UDP datagram on an IKE port carries (RFC 7296 section 2.23, RFC 3948).
///
/// Port 500 carries bare IKE messages. Port 4500 carries IKE behind the 4-octet non-ESP
/// marker, one-octet 0xFF NAT keepalives and ESP-in-UDP (whose first four octets are a
/// non-zero SPI); the classification is `NATTFraming.classify4500`, shared with the
/// daemon's transport.
enum UDPContent {
    case ike(ArraySlice<UInt8>, nonESPMarker: Bool)
    case natKeepalive
    /// ESP-in-UDP: SPI and sequence number (RFC 4303 section 2).
    case esp(spi: UInt32, sequence: UInt32)
    /// Not on port 500 or 4500.
    case notIKE
    case malformed(String)
}

/// A UDP header (RFC 768) and what its payload is.
struct UDPDatagram {
    var sourcePort: UInt16
    var destinationPort: UInt16
    var payload: ArraySlice<UInt8>
    /// Set when the UDP Length field claims more octets than were captured.
    var truncated: Bool

    static let ikePort: UInt16 = 500
    static let nattPort: UInt16 = 4500

    /// Parses the 8-octet header; the payload is what Length covers (or what is there).
    static func parse(_ bytes: ArraySlice<UInt8>) -> UDPDatagram? {
        let b = bytes.startIndex
        guard let sport = bytes.be16(at: b), let dport = bytes.be16(at: b + 2),
              let length = bytes.be16(at: b + 4), bytes.count >= 8
        else { return nil }
        // Length 0 is legal for IPv6 jumbograms; otherwise it counts the 8 header octets.
        let claimed = length >= 8 ? Int(length) : bytes.count
        let end = b + min(claimed, bytes.count)
        return UDPDatagram(sourcePort: sport, destinationPort: dport, payload: bytes[(b + 8)..<end],
                           truncated: claimed > bytes.count)
    }

    /// Demultiplexes by port: 500 before 4500 when the destination says 500.
    var content: UDPContent {
        let plainIKE = destinationPort == Self.ikePort
            || (sourcePort == Self.ikePort && destinationPort != Self.nattPort)
        if plainIKE { return .ike(payload, nonESPMarker: false) }
        guard sourcePort == Self.nattPort || destinationPort == Self.nattPort else {
            return .notIKE
        }
        switch NATTFraming.classify4500(payload) {
        case .ike(let message): return .ike(message, nonESPMarker: true)
        case .keepalive: return .natKeepalive
        case .esp(let packet):
            let b = packet.startIndex
            guard let spi = packet.be32(at: b), let sequence = packet.be32(at: b + 4) else {
                return .malformed("ESP-in-UDP of \(packet.count) octets has no sequence number")
            }
            return .esp(spi: spi, sequence: sequence)
        case .malformed:
            return .malformed("\(payload.count)-octet datagram on port 4500 is neither a "
                + "keepalive, nor marked IKE, nor ESP")
        }
    }
}
