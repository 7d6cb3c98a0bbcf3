/// Encryption algorithm parameters for SK payloads (RFC 7296 section 3.14; RFC 5282
/// AES-GCM; RFC 7634 ChaCha20-Poly1305).
///
/// Supported: ENCR_AES_GCM_16 (20) and ENCR_AES_CBC (12) with 128- or 256-bit keys,
/// ENCR_CHACHA20_POLY1305 (28). AES-CBC needs AUTH_HMAC_SHA2_256_128 (12); 384_192 (13)
/// and 512_256 (14) are accepted too. AEAD ciphers need INTEG `IntegID.none`.
public struct EncryptionSuite: Hashable, Sendable {
    public let encr: UInt16
    public let keyBits: UInt16?
    public let integ: UInt16

    public init(encr: UInt16, keyBits: UInt16?, integ: UInt16) throws(CryptoError) {
        switch encr {
        case EncrID.aesGCM16:
            guard let bits = keyBits, bits == 128 || bits == 256 else {
                throw .unsupported("AES-GCM-16 key length \(keyBits.map(String.init) ?? "absent")")
            }
            guard integ == IntegID.none else { throw .unsupported("AEAD with INTEG \(integ)") }
        case EncrID.chacha20Poly1305:
            guard keyBits == nil || keyBits == 256 else {
                throw .unsupported("ChaCha20-Poly1305 key length \(keyBits!)")
            }
            guard integ == IntegID.none else { throw .unsupported("AEAD with INTEG \(integ)") }
        case EncrID.aesCBC:
            guard let bits = keyBits, bits == 128 || bits == 256 else {
                throw .unsupported("AES-CBC key length \(keyBits.map(String.init) ?? "absent")")
            }
            switch integ {
            case IntegID.hmacSHA2_256_128, IntegID.hmacSHA2_384_192, IntegID.hmacSHA2_512_256:
                break
            default: throw .unsupported("INTEG transform \(integ)")
            }
        default:
            throw .unsupported("ENCR transform \(encr)")
        }
        self.encr = encr
        self.keyBits = encr == EncrID.chacha20Poly1305 ? 256 : keyBits
        self.integ = integ
    }

    public var isAEAD: Bool { encr != EncrID.aesCBC }

    /// Octets of SK_e / child encryption key, including the 4-octet salt of AES-GCM
    /// (RFC 5282 section 7.1) and ChaCha20-Poly1305 (RFC 7634 section 2).
    public var encrKeyLength: Int { cipherKeyLength + (isAEAD ? 4 : 0) }

    /// Octets of SK_a / child integrity key; 0 for AEAD (RFC 4868 section 2.1.1 otherwise).
    public var integKeyLength: Int {
        switch integ {
        case IntegID.hmacSHA2_256_128: return 32
        case IntegID.hmacSHA2_384_192: return 48
        case IntegID.hmacSHA2_512_256: return 64
        default: return 0
        }
    }

    /// Octets of the cipher key proper (without salt).
    var cipherKeyLength: Int { Int(keyBits ?? 256) / 8 }

    /// Octets of the explicit IV in the SK payload.
    var ivLength: Int { isAEAD ? 8 : 16 }

    /// Octets of the ICV (AEAD tag or truncated HMAC).
    var icvLength: Int {
        switch integ {
        case IntegID.hmacSHA2_384_192: return 24
        case IntegID.hmacSHA2_512_256: return 32
        default: return 16
        }
    }

    /// Cipher block size for padding; 1 (no alignment) for the AEAD stream modes.
    var blockSize: Int { isAEAD ? 1 : 16 }

    /// OpenSSL digest name of the HMAC integrity algorithm.
    var integDigest: StaticString {
        switch integ {
        case IntegID.hmacSHA2_384_192: return "SHA384"
        case IntegID.hmacSHA2_512_256: return "SHA512"
        default: return "SHA256"
        }
    }
}
