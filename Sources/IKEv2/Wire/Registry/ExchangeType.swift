/// IKEv2 exchange types (RFC 7296 section 3.1; IANA "IKEv2 Exchange Types").
public struct ExchangeType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let ikeSAInit = ExchangeType(rawValue: 34)
    public static let ikeAuth = ExchangeType(rawValue: 35)
    public static let createChildSA = ExchangeType(rawValue: 36)
    public static let informational = ExchangeType(rawValue: 37)

    public var description: String {
        switch rawValue {
        case 34: return "IKE_SA_INIT"
        case 35: return "IKE_AUTH"
        case 36: return "CREATE_CHILD_SA"
        case 37: return "INFORMATIONAL"
        default: return "EXCHANGE(\(rawValue))"
        }
    }
}
