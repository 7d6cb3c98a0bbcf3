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

/// Factory for the supported key exchange methods.
public enum KeyExchanges {
    /// Supported groups, most preferred first: Curve25519 (31), ECP-256 (19), MODP-2048 (14).
    public static let supported: [UInt16] = [DHGroup.curve25519, DHGroup.ecp256, DHGroup.modp2048]

    /// A fresh key pair for `group`.
    public static func make(group: UInt16) throws(CryptoError) -> any KeyExchange {
        switch group {
        case DHGroup.curve25519: return try X25519KeyExchange()
        case DHGroup.ecp256: return try ECPKeyExchange()
        case DHGroup.modp2048: return try MODPKeyExchange()
        default: throw .unsupported("key exchange group \(group)")
        }
    }
}
