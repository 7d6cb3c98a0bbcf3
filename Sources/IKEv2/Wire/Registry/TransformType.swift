/// Transform types (RFC 7296 section 3.3.2).
public struct TransformType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let encr = TransformType(rawValue: 1)
    public static let prf = TransformType(rawValue: 2)
    public static let integ = TransformType(rawValue: 3)
    /// Diffie-Hellman group, renamed "Key Exchange Method" by RFC 9370.
    public static let dh = TransformType(rawValue: 4)
    public static let esn = TransformType(rawValue: 5)

    public var description: String {
        switch rawValue {
        case 1: return "ENCR"
        case 2: return "PRF"
        case 3: return "INTEG"
        case 4: return "DH"
        case 5: return "ESN"
        default: return "TRANSFORM(\(rawValue))"
        }
    }
}

/// Transform IDs for ENCR (IANA "Transform Type 1").
public enum EncrID {
    public static let des3: UInt16 = 3
    public static let aesCBC: UInt16 = 12
    public static let aesCTR: UInt16 = 13
    public static let aesCCM8: UInt16 = 14
    public static let aesCCM12: UInt16 = 15
    public static let aesCCM16: UInt16 = 16
    public static let aesGCM8: UInt16 = 18
    public static let aesGCM12: UInt16 = 19
    public static let aesGCM16: UInt16 = 20
    public static let chacha20Poly1305: UInt16 = 28
}

/// Transform IDs for PRF (IANA "Transform Type 2").
public enum PRFID {
    public static let hmacSHA1: UInt16 = 2
    public static let aes128XCBC: UInt16 = 4
    public static let hmacSHA2_256: UInt16 = 5
    public static let hmacSHA2_384: UInt16 = 6
    public static let hmacSHA2_512: UInt16 = 7
    public static let aes128CMAC: UInt16 = 8
}

/// Transform IDs for INTEG (IANA "Transform Type 3").
public enum IntegID {
    public static let none: UInt16 = 0
    public static let hmacSHA1_96: UInt16 = 2
    public static let aesXCBC96: UInt16 = 5
    public static let hmacSHA1_160: UInt16 = 7
    public static let aesCMAC96: UInt16 = 8
    public static let hmacSHA2_256_128: UInt16 = 12
    public static let hmacSHA2_384_192: UInt16 = 13
    public static let hmacSHA2_512_256: UInt16 = 14
}

/// Diffie-Hellman group numbers (IANA "Transform Type 4").
public enum DHGroup {
    public static let none: UInt16 = 0
    public static let modp1024: UInt16 = 2
    public static let modp1536: UInt16 = 5
    public static let modp2048: UInt16 = 14
    public static let modp3072: UInt16 = 15
    public static let modp4096: UInt16 = 16
    public static let ecp256: UInt16 = 19
    public static let ecp384: UInt16 = 20
    public static let ecp521: UInt16 = 21
    public static let curve25519: UInt16 = 31
}

/// Extended Sequence Numbers (IANA "Transform Type 5").
public enum ESNID {
    public static let no: UInt16 = 0
    public static let yes: UInt16 = 1
}

/// Transform attribute types (RFC 7296 section 3.3.5).
public enum TransformAttributeType {
    /// Key Length in bits, always TV format.
    public static let keyLength: UInt16 = 14
}
