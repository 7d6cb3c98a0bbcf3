import CSodium

/// Curve25519 Diffie-Hellman, group 31 (RFC 8031) via libsodium. KE data is the 32-octet
/// u coordinate; an all-zero shared secret (low-order peer point) is rejected (RFC 8031
/// section 2.3).
final class X25519KeyExchange: KeyExchange, @unchecked Sendable {
    static let length = 32
    let group = DHGroup.curve25519
    let publicValue: [UInt8]
    private let secretKey: SecretBytes

    init() throws(CryptoError) {
        Sodium.ensure()
        secretKey = SecretBytes(count: Self.length)
        secretKey.withUnsafeMutableBytes { SecureRandom.fill($0) }
        publicValue = try Self.publicValue(of: secretKey)
    }

    /// A key pair from a known 32-octet scalar (clamped by X25519 itself, RFC 7748
    /// section 5), for known-answer tests only.
    init(privateKey: [UInt8]) throws(CryptoError) {
        Sodium.ensure()
        guard privateKey.count == Self.length else { throw .invalidKey("X25519 scalar length") }
        secretKey = SecretBytes(privateKey)
        publicValue = try Self.publicValue(of: secretKey)
    }

    private static func publicValue(of secretKey: SecretBytes) throws(CryptoError) -> [UInt8] {
        var pub = [UInt8](repeating: 0, count: Self.length)
        let rc = secretKey.withUnsafeBytes {
            crypto_scalarmult_base(&pub, $0.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        guard rc == 0 else { throw .library("crypto_scalarmult_base") }
        return pub
    }

    func sharedSecret(peerPublicValue: [UInt8]) throws(CryptoError) -> SecretBytes {
        guard peerPublicValue.count == Self.length else {
            throw .invalidPublicValue("Curve25519 needs 32 octets, got \(peerPublicValue.count)")
        }
        let out = SecretBytes(count: Self.length)
        let rc = out.withUnsafeMutableBytes { o in
            secretKey.withUnsafeBytes { k in
                crypto_scalarmult(o.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                  k.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                  peerPublicValue)
            }
        }
        guard rc == 0 else { throw .invalidPublicValue("Curve25519 shared secret is zero") }
        return out
    }
}
