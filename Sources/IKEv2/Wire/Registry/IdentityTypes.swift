/// Identification types (RFC 7296 section 3.5).
public struct IDType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let ipv4Addr = IDType(rawValue: 1)
    public static let fqdn = IDType(rawValue: 2)
    public static let rfc822Addr = IDType(rawValue: 3)
    public static let ipv6Addr = IDType(rawValue: 5)
    public static let derASN1DN = IDType(rawValue: 9)
    public static let derASN1GN = IDType(rawValue: 10)
    public static let keyID = IDType(rawValue: 11)
    /// RFC 7619.
    public static let null = IDType(rawValue: 13)

    public var description: String {
        switch rawValue {
        case 1: return "ID_IPV4_ADDR"
        case 2: return "ID_FQDN"
        case 3: return "ID_RFC822_ADDR"
        case 5: return "ID_IPV6_ADDR"
        case 9: return "ID_DER_ASN1_DN"
        case 10: return "ID_DER_ASN1_GN"
        case 11: return "ID_KEY_ID"
        case 13: return "ID_NULL"
        default: return "ID(\(rawValue))"
        }
    }
}

/// Certificate encodings (RFC 7296 section 3.6; RFC 7670 adds 15).
public struct CertEncoding: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let x509Signature = CertEncoding(rawValue: 4)
    /// PKCS#1 RSAPublicKey, named by RFC 5386 for BTNS.
    public static let rawRSAKey = CertEncoding(rawValue: 11)
    /// DER SubjectPublicKeyInfo (RFC 7670).
    public static let rawPublicKey = CertEncoding(rawValue: 15)
    /// Private-use value OpenIKED uses for raw ECDSA keys.
    public static let openIKEDRawECDSA = CertEncoding(rawValue: 201)

    public var description: String {
        switch rawValue {
        case 4: return "X.509 Certificate - Signature"
        case 11: return "Raw RSA Key"
        case 15: return "Raw Public Key"
        default: return "CERT(\(rawValue))"
        }
    }
}

/// Authentication methods (RFC 7296 section 3.8; RFC 4754; RFC 7427).
public struct AuthMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let rsaSignature = AuthMethod(rawValue: 1)
    public static let sharedKeyMIC = AuthMethod(rawValue: 2)
    public static let dssSignature = AuthMethod(rawValue: 3)
    public static let ecdsaSHA256P256 = AuthMethod(rawValue: 9)
    public static let ecdsaSHA384P384 = AuthMethod(rawValue: 10)
    public static let ecdsaSHA512P521 = AuthMethod(rawValue: 11)
    public static let nullAuth = AuthMethod(rawValue: 13)
    public static let digitalSignature = AuthMethod(rawValue: 14)

    public var description: String {
        switch rawValue {
        case 1: return "RSA Digital Signature"
        case 2: return "Shared Key Message Integrity Code"
        case 9: return "ECDSA with SHA-256 on P-256"
        case 14: return "Digital Signature"
        default: return "AUTH(\(rawValue))"
        }
    }
}

/// Traffic selector types (RFC 7296 section 3.13.1).
public struct TSType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let ipv4AddrRange = TSType(rawValue: 7)
    public static let ipv6AddrRange = TSType(rawValue: 8)

    public var description: String {
        switch rawValue {
        case 7: return "TS_IPV4_ADDR_RANGE"
        case 8: return "TS_IPV6_ADDR_RANGE"
        default: return "TS(\(rawValue))"
        }
    }
}
