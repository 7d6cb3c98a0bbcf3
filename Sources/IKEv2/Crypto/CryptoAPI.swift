// CONTRACT: the public API of Crypto that Exchange, BTNSAuth and the daemon use.
// Bodies here are placeholders until the OpenSSL/libsodium implementation lands;
// the implementation moves each declaration into its own file and keeps signatures.

/// Failure of a cryptographic operation; detail for logs, never key material.
public enum CryptoError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The transform or algorithm is not implemented or not enabled.
    case unsupported(String)
    /// A key or key file could not be parsed or has the wrong type.
    case invalidKey(String)
    /// A peer's KE public value is malformed or fails validation (RFC 6989).
    case invalidPublicValue(String)
    /// Integrity check or AEAD tag failed.
    case integrityCheckFailed
    /// Ciphertext or padding malformed.
    case malformedCiphertext(String)
    /// An OpenSSL or libsodium call failed; the string names it.
    case library(String)

    public var description: String {
        switch self {
        case .unsupported(let s): return "unsupported: \(s)"
        case .invalidKey(let s): return "invalid key: \(s)"
        case .invalidPublicValue(let s): return "invalid KE public value: \(s)"
        case .integrityCheckFailed: return "integrity check failed"
        case .malformedCiphertext(let s): return "malformed ciphertext: \(s)"
        case .library(let s): return "crypto library error: \(s)"
        }
    }
}

// PLACEHOLDER declarations so the package compiles before the crypto implementation
// lands; the implementation replaces this whole block (and keeps these signatures).

/// A public key of any supported type, held as DER SubjectPublicKeyInfo.
public final class PublicKey: @unchecked Sendable, Hashable {
    public let spkiDER: [UInt8]
    public init(spkiDER: [UInt8]) throws(CryptoError) { self.spkiDER = spkiDER }
    /// Short SHA-256 fingerprint for logs: first 8 octets of SHA-256(SPKI), hex.
    public var fingerprint: String { "pending" }
    public static func == (a: PublicKey, b: PublicKey) -> Bool { a.spkiDER == b.spkiDER }
    public func hash(into h: inout Hasher) { h.combine(spkiDER) }
}

/// A private signing key (Ed25519 or ECDSA P-256), loaded from PKCS#8 PEM.
public final class PrivateKey: @unchecked Sendable {
    public init(pem: String) throws(CryptoError) { throw .unsupported("pending") }
}
