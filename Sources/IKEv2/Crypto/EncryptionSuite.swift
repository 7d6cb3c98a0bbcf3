/// Encryption and integrity parameters for SK payloads (RFC 7296 section 3.14) and the
/// key lengths of Child SAs.
///
/// Supported ENCR transforms (Transform Type 1):
/// - ENCR_AES_CBC (12, RFC 3602), 128/192/256-bit keys, with an INTEG transform.
/// - ENCR_AES_CTR (13, RFC 5930), 128/192/256-bit keys plus a 4-octet nonce in the
///   keying material, with an INTEG transform.
/// - ENCR_AES_CCM_8/12/16 (14/15/16, RFC 5282), 128/192/256-bit keys plus a 3-octet salt.
/// - ENCR_AES_GCM_8/12/16 (18/19/20, RFC 5282), 128/192/256-bit keys plus a 4-octet salt.
/// - ENCR_CHACHA20_POLY1305 (28, RFC 7634), 256-bit key plus a 4-octet salt.
/// - ENCR_3DES (3, RFC 2451), legacy (`AlgorithmPolicy`), with an INTEG transform.
///
/// AEAD ciphers need INTEG `IntegID.none`; the others need one of `Integrity.implemented`.
public struct EncryptionSuite: Hashable, Sendable {
    public let encr: UInt16
    /// Key length in bits (the Key Length attribute); 256 for ChaCha20-Poly1305 and
    /// 192 for 3DES, whose proposals carry no attribute.
    public let keyBits: UInt16?
    public let integ: UInt16

    public init(encr: UInt16, keyBits: UInt16?, integ: UInt16) throws(CryptoError) {
        func aesBits() throws(CryptoError) -> UInt16 {
            guard let bits = keyBits, bits == 128 || bits == 192 || bits == 256 else {
                throw .unsupported(
                    "ENCR \(encr) key length \(keyBits.map(String.init) ?? "absent")")
            }
            return bits
        }
        var bits: UInt16
        switch encr {
        case EncrID.aesGCM8, EncrID.aesGCM12, EncrID.aesGCM16,
             EncrID.aesCCM8, EncrID.aesCCM12, EncrID.aesCCM16:
            bits = try aesBits()
        case EncrID.chacha20Poly1305:
            guard keyBits == nil || keyBits == 256 else {
                throw .unsupported("ChaCha20-Poly1305 key length \(keyBits!)")
            }
            bits = 256
        case EncrID.aesCBC, EncrID.aesCTR:
            bits = try aesBits()
        case EncrID.des3:
            // RFC 2451: fixed 192-bit key; no Key Length attribute (RFC 7296 3.3.5).
            guard keyBits == nil || keyBits == 192 else {
                throw .unsupported("3DES key length \(keyBits!)")
            }
            bits = 192
        default:
            throw .unsupported("ENCR transform \(encr)")
        }
        if Self.aeadIDs.contains(encr) {
            guard integ == IntegID.none else { throw .unsupported("AEAD with INTEG \(integ)") }
            integrity = nil
        } else {
            guard integ != IntegID.none else {
                throw .unsupported("ENCR \(encr) needs an INTEG transform")
            }
            integrity = try Integrity(id: integ)
        }
        self.encr = encr
        self.keyBits = bits
        self.integ = integ
    }

    static let aeadIDs: Set<UInt16> = [
        EncrID.aesGCM8, EncrID.aesGCM12, EncrID.aesGCM16, EncrID.aesCCM8, EncrID.aesCCM12,
        EncrID.aesCCM16, EncrID.chacha20Poly1305,
    ]

    /// The INTEG transform; nil for AEAD.
    public let integrity: Integrity?

    /// Combined-mode cipher (RFC 5282): no separate INTEG transform.
    public var isAEAD: Bool { Self.aeadIDs.contains(encr) }

    /// Octets of SK_e / child encryption key, including the salt or nonce that follows
    /// the cipher key: 4 for AES-GCM (RFC 5282 section 7.1) and ChaCha20-Poly1305
    /// (RFC 7634 section 2), 3 for AES-CCM (RFC 5282 section 7.1), 4 for AES-CTR
    /// (RFC 5930 section 2).
    public var encrKeyLength: Int { cipherKeyLength + saltLength }

    /// Octets of SK_a / child integrity key; 0 for AEAD.
    public var integKeyLength: Int { integrity?.keyLength ?? 0 }

    /// Octets of the cipher key proper (without salt or nonce).
    public var cipherKeyLength: Int { Int(keyBits ?? 256) / 8 }

    /// Octets of salt (AEAD) or nonce (CTR) at the end of the keying material.
    public var saltLength: Int {
        switch encr {
        case EncrID.aesCCM8, EncrID.aesCCM12, EncrID.aesCCM16: return 3
        case EncrID.aesGCM8, EncrID.aesGCM12, EncrID.aesGCM16, EncrID.chacha20Poly1305,
             EncrID.aesCTR: return 4
        default: return 0
        }
    }

    /// Octets of the explicit IV in the SK payload: the cipher block for CBC modes, 8
    /// for the counter-based modes (RFC 5282 section 3, RFC 5930 section 2, RFC 7634).
    public var ivLength: Int {
        switch encr {
        case EncrID.aesCBC: return 16
        default: return 8
        }
    }

    /// Octets of the ICV: the AEAD tag or the truncated MAC.
    public var icvLength: Int {
        switch encr {
        case EncrID.aesGCM8, EncrID.aesCCM8: return 8
        case EncrID.aesGCM12, EncrID.aesCCM12: return 12
        case EncrID.aesGCM16, EncrID.aesCCM16, EncrID.chacha20Poly1305: return 16
        default: return integrity?.icvLength ?? 0
        }
    }

    /// Alignment of plaintext | padding | pad length: the block size for CBC modes,
    /// 1 for counter-based modes.
    public var blockSize: Int {
        switch encr {
        case EncrID.aesCBC: return 16
        case EncrID.des3: return TripleDES.blockSize
        default: return 1
        }
    }

    /// Whether the IV must be unpredictable (CBC) rather than merely unique (counter
    /// modes, where a per-key counter is used).
    var needsRandomIV: Bool { encr == EncrID.aesCBC || encr == EncrID.des3 }
}
