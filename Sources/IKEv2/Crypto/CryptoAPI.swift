// The error type of the Crypto layer. The API itself lives one job per file:
// Digest, SecureRandom, PRF, KeyDerivation, KeyExchange*, EncryptionSuite, Protection,
// Keys, Signatures.

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
