/// Security protocol identifiers (RFC 7296 section 3.3.1).
public struct ProtocolID: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Used in notifies that concern no particular SA.
    public static let none = ProtocolID(rawValue: 0)
    public static let ike = ProtocolID(rawValue: 1)
    public static let ah = ProtocolID(rawValue: 2)
    public static let esp = ProtocolID(rawValue: 3)

    public var description: String {
        switch rawValue {
        case 0: return "NONE"
        case 1: return "IKE"
        case 2: return "AH"
        case 3: return "ESP"
        default: return "PROTO(\(rawValue))"
        }
    }
}
