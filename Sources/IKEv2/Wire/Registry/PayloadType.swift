/// IKEv2 payload types (RFC 7296 section 3.2; RFC 7383 for SKF).
public struct PayloadType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let none = PayloadType(rawValue: 0)
    public static let sa = PayloadType(rawValue: 33)
    public static let ke = PayloadType(rawValue: 34)
    public static let idi = PayloadType(rawValue: 35)
    public static let idr = PayloadType(rawValue: 36)
    public static let cert = PayloadType(rawValue: 37)
    public static let certreq = PayloadType(rawValue: 38)
    public static let auth = PayloadType(rawValue: 39)
    public static let nonce = PayloadType(rawValue: 40)
    public static let notify = PayloadType(rawValue: 41)
    public static let delete = PayloadType(rawValue: 42)
    public static let vendorID = PayloadType(rawValue: 43)
    public static let tsi = PayloadType(rawValue: 44)
    public static let tsr = PayloadType(rawValue: 45)
    public static let sk = PayloadType(rawValue: 46)
    public static let cp = PayloadType(rawValue: 47)
    public static let eap = PayloadType(rawValue: 48)
    public static let skf = PayloadType(rawValue: 53)

    public var description: String {
        switch rawValue {
        case 0: return "NONE"
        case 33: return "SA"
        case 34: return "KE"
        case 35: return "IDi"
        case 36: return "IDr"
        case 37: return "CERT"
        case 38: return "CERTREQ"
        case 39: return "AUTH"
        case 40: return "No"
        case 41: return "N"
        case 42: return "D"
        case 43: return "V"
        case 44: return "TSi"
        case 45: return "TSr"
        case 46: return "SK"
        case 47: return "CP"
        case 48: return "EAP"
        case 53: return "SKF"
        default: return "PAYLOAD(\(rawValue))"
        }
    }
}
