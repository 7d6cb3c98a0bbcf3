/// One side of a Diffie-Hellman key exchange (RFC 7296 sections 1.2, 2.14, 3.4).
///
/// A value holds a fresh private key; `publicValue` is the KE payload's Key Exchange Data.
public protocol KeyExchange: Sendable {
    /// Transform type 4 group number (`DHGroup`).
    var group: UInt16 { get }
    /// Key Exchange Data for the KE payload, in the group's fixed-length encoding.
    var publicValue: [UInt8] { get }
    /// g^ir: fixed length, leading zeros kept (section 2.14). A peer value of the wrong
    /// length or failing the group's validation (RFC 6989) throws `.invalidPublicValue`.
    func sharedSecret(peerPublicValue: [UInt8]) throws(CryptoError) -> SecretBytes
}

/// Factory for the key exchange methods.
public enum KeyExchanges {
    /// Groups offered by default, most preferred first: Curve25519 (31), ECP-256 (19),
    /// MODP-2048 (14).
    public static let supported: [UInt16] = [DHGroup.curve25519, DHGroup.ecp256, DHGroup.modp2048]

    /// Every group implemented, including the ones RFC 8247 deprecates (MODP 2 and 5,
    /// `AlgorithmPolicy`), which are understood but never offered by default.
    public static let implemented: [UInt16] = [
        DHGroup.curve25519, DHGroup.ecp256, DHGroup.ecp384, DHGroup.ecp521,
        DHGroup.modp2048, DHGroup.modp3072, DHGroup.modp4096, DHGroup.modp1536,
        DHGroup.modp1024,
    ]

    /// A fresh key pair for `group`.
    public static func make(group: UInt16) throws(CryptoError) -> any KeyExchange {
        switch group {
        case DHGroup.curve25519:
            return try X25519KeyExchange()
        case DHGroup.ecp256, DHGroup.ecp384, DHGroup.ecp521:
            return try ECPKeyExchange(group: group)
        case DHGroup.modp1024, DHGroup.modp1536, DHGroup.modp2048, DHGroup.modp3072,
             DHGroup.modp4096:
            return try MODPKeyExchange(group: group)
        default:
            throw .unsupported("key exchange group \(group)")
        }
    }

    /// A key pair from a known private value, for known-answer tests only: a big-endian
    /// exponent or scalar for MODP and ECP, the raw 32-octet scalar for Curve25519.
    static func make(group: UInt16, privateKey: [UInt8]) throws(CryptoError) -> any KeyExchange {
        switch group {
        case DHGroup.curve25519:
            return try X25519KeyExchange(privateKey: privateKey)
        case DHGroup.ecp256, DHGroup.ecp384, DHGroup.ecp521:
            return try ECPKeyExchange(group: group, privateKey: privateKey)
        default:
            return try MODPKeyExchange(group: group, privateKey: privateKey)
        }
    }
}
