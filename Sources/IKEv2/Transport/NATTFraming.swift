/// UDP port 4500 demultiplexing (RFC 3948 section 2.2; RFC 7296 section 2.23).
///
/// On port 4500 an IKE message is preceded by the 4-octet non-ESP marker (zero), a NAT
/// keepalive is the single octet 0xFF (RFC 3948 section 2.3), and anything else is
/// ESP-in-UDP, whose first 4 octets are a non-zero SPI.
public enum NATTFraming {
    /// What a port-4500 datagram carries.
    public enum Kind: Hashable, Sendable {
        /// An IKE message: the datagram after the non-ESP marker.
        case ike(ArraySlice<UInt8>)
        /// A one-octet 0xFF NAT keepalive; drop it.
        case keepalive
        /// An ESP packet (the whole datagram, starting with its SPI).
        case esp(ArraySlice<UInt8>)
        /// Too short to be either (fewer than 4 octets and not a keepalive).
        case malformed
    }

    /// The non-ESP marker (RFC 3948 section 2.2).
    public static let nonESPMarker: [UInt8] = [0, 0, 0, 0]

    /// Classifies a datagram received on UDP port 4500.
    public static func classify4500(_ datagram: ArraySlice<UInt8>) -> Kind {
        if datagram.count == 1, datagram.first == 0xff { return .keepalive }
        guard datagram.count >= 4 else { return .malformed }
        let head = datagram.prefix(4)
        if head.allSatisfy({ $0 == 0 }) { return .ike(datagram.dropFirst(4)) }
        return .esp(datagram)
    }

    /// Prefixes an encoded IKE message with the non-ESP marker for port 4500.
    public static func frameForNATT(_ ike: [UInt8]) -> [UInt8] {
        nonESPMarker + ike
    }
}
