/// An IKEv2 integrity transform (Transform Type 3; RFC 7296 section 3.3.2) for SK payloads
/// with a non-AEAD cipher and for Child SAs: the ICV is the MAC truncated to `icvLength`.
///
/// - AUTH_HMAC_SHA1_96 (2): HMAC-SHA-1, 20-octet key, 12-octet ICV (RFC 2404).
/// - AUTH_AES_XCBC_96 (5): AES-XCBC-MAC, 16-octet key, 12-octet ICV (RFC 3566).
/// - AUTH_HMAC_SHA1_160 (7): HMAC-SHA-1, 20-octet key, 20-octet ICV (RFC 4595).
/// - AUTH_AES_CMAC_96 (8): AES-CMAC, 16-octet key, 12-octet ICV (RFC 4494).
/// - AUTH_HMAC_SHA2_256_128/384_192/512_256 (12/13/14): key as long as the hash output,
///   ICV half of it (RFC 4868 section 2.1).
public struct Integrity: Hashable, Sendable {
    /// Transform ID (`IntegID`).
    public let id: UInt16
    /// Octets of SK_a / child integrity key.
    public let keyLength: Int
    /// Octets of the ICV.
    public let icvLength: Int

    enum MAC: Hashable, Sendable {
        case hmac(HMACDigest)
        case aesXCBC
        case aesCMAC
    }
    let mac: MAC

    /// Every INTEG transform implemented, strongest first.
    public static let implemented: [UInt16] = [
        IntegID.hmacSHA2_512_256, IntegID.hmacSHA2_384_192, IntegID.hmacSHA2_256_128,
        IntegID.aesCMAC96, IntegID.aesXCBC96, IntegID.hmacSHA1_160, IntegID.hmacSHA1_96,
    ]

    public init(id: UInt16) throws(CryptoError) {
        switch id {
        case IntegID.hmacSHA1_96: (mac, keyLength, icvLength) = (.hmac(.sha1), 20, 12)
        case IntegID.aesXCBC96: (mac, keyLength, icvLength) = (.aesXCBC, 16, 12)
        case IntegID.hmacSHA1_160: (mac, keyLength, icvLength) = (.hmac(.sha1), 20, 20)
        case IntegID.aesCMAC96: (mac, keyLength, icvLength) = (.aesCMAC, 16, 12)
        case IntegID.hmacSHA2_256_128: (mac, keyLength, icvLength) = (.hmac(.sha256), 32, 16)
        case IntegID.hmacSHA2_384_192: (mac, keyLength, icvLength) = (.hmac(.sha384), 48, 24)
        case IntegID.hmacSHA2_512_256: (mac, keyLength, icvLength) = (.hmac(.sha512), 64, 32)
        default: throw .unsupported("INTEG transform \(id)")
        }
        self.id = id
    }

    /// The ICV of `data` under `key` (which must be `keyLength` octets).
    public func icv(key: SecretBytes, _ data: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard key.count == keyLength else {
            throw .invalidKey("INTEG \(id) key is \(key.count) octets, needs \(keyLength)")
        }
        return key.withUnsafeBytes { k in data.withUnsafeBytes { icv(key: k, $0) } }
    }

    /// The ICV over raw buffers (internal; the key length is the caller's job).
    func icv(key: UnsafeRawBufferPointer, _ data: UnsafeRawBufferPointer) -> [UInt8] {
        var full = [UInt8](repeating: 0, count: 64)
        full.withUnsafeMutableBytes { o in
            switch mac {
            case .hmac(let digest):
                HMAC.compute(digest: digest.name, key: key, parts: [data], into: o)
            case .aesXCBC: AESXCBC.compute(key: key, parts: [data], into: o)
            case .aesCMAC: CMAC.compute(key: key, parts: [data], into: o)
            }
        }
        return Array(full[0..<icvLength])
    }
}
