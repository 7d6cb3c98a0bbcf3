import COpenSSL

/// An IKEv2 pseudorandom function (RFC 7296 section 2.13; Transform Type 2).
///
/// - PRF_HMAC_SHA1 (2), PRF_HMAC_SHA2_256/384/512 (5/6/7): HMAC (RFC 2104, RFC 4868),
///   any key length, output the hash size.
/// - PRF_AES128_XCBC (4): AES-XCBC-PRF-128 (RFC 4434), output 16 octets. Keys of other
///   than 16 octets are zero-padded (shorter) or first reduced with AES-XCBC-MAC under
///   the all-zero key (longer), RFC 4434 section 2.
/// - PRF_AES128_CMAC (8): AES-CMAC-PRF-128 (RFC 4615), output 16 octets. Keys of other
///   than 16 octets are first reduced with AES-CMAC under the all-zero key (section 3).
///
/// The AES PRFs have a fixed key length (`fixedKeyLength`), which changes how SKEYSEED
/// is keyed (RFC 7296 section 2.14, see `KeyDerivation.skeyseed`).
public struct PRF: Sendable {
    /// Transform ID (`PRFID`).
    public let id: UInt16
    /// Octets of output, also the preferred key length for SK_d, SK_pi and SK_pr.
    public var outputLength: Int
    /// The key length of a fixed-key PRF (16 for the AES PRFs); nil for HMAC.
    public var fixedKeyLength: Int? { kind == .aesXCBC || kind == .aesCMAC ? 16 : nil }

    enum Kind: Hashable, Sendable {
        case hmac(HMACDigest)
        case aesXCBC
        case aesCMAC
    }
    let kind: Kind

    /// Every PRF transform implemented, strongest first.
    public static let implemented: [UInt16] = [
        PRFID.hmacSHA2_512, PRFID.hmacSHA2_384, PRFID.hmacSHA2_256, PRFID.aes128CMAC,
        PRFID.aes128XCBC, PRFID.hmacSHA1,
    ]

    public init(id: UInt16) throws(CryptoError) {
        switch id {
        case PRFID.hmacSHA1: kind = .hmac(.sha1)
        case PRFID.hmacSHA2_256: kind = .hmac(.sha256)
        case PRFID.hmacSHA2_384: kind = .hmac(.sha384)
        case PRFID.hmacSHA2_512: kind = .hmac(.sha512)
        case PRFID.aes128XCBC: kind = .aesXCBC
        case PRFID.aes128CMAC: kind = .aesCMAC
        default: throw .unsupported("PRF transform \(id)")
        }
        if case .hmac(let d) = kind { outputLength = d.size } else { outputLength = 16 }
        self.id = id
    }

    /// prf(key, parts[0] | parts[1] | ...) into `out` (exactly `outputLength` octets).
    func raw(key: UnsafeRawBufferPointer, parts: [UnsafeRawBufferPointer],
             into out: UnsafeMutableRawBufferPointer) {
        switch kind {
        case .hmac(let digest):
            HMAC.compute(digest: digest.name, key: key, parts: parts, into: out)
        case .aesXCBC:
            var k = AESXCBC.normalizedKey(key)
            defer { k.withUnsafeMutableBytes { OSSL.wipe($0) } }
            k.withUnsafeBytes { AESXCBC.compute(key: $0, parts: parts, into: out) }
        case .aesCMAC:
            var k = Self.cmacKey(key)
            defer { k.withUnsafeMutableBytes { OSSL.wipe($0) } }
            k.withUnsafeBytes { CMAC.compute(key: $0, parts: parts, into: out) }
        }
    }

    /// RFC 4615 section 3: K is used as is when 16 octets, else K' = AES-CMAC(0^128, K).
    static func cmacKey(_ key: UnsafeRawBufferPointer) -> [UInt8] {
        if key.count == 16 { return Array(key) }
        var out = [UInt8](repeating: 0, count: 16)
        let zero = [UInt8](repeating: 0, count: 16)
        zero.withUnsafeBytes { z in
            out.withUnsafeMutableBytes { CMAC.compute(key: z, parts: [key], into: $0) }
        }
        return out
    }

    /// prf(key, data) for a public key value (e.g. the nonces in SKEYSEED).
    public func compute(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: outputLength)
        key.withUnsafeBytes { k in
            data.withUnsafeBytes { d in
                out.withUnsafeMutableBytes { raw(key: k, parts: [d], into: $0) }
            }
        }
        return out
    }

    /// prf(key, data) with a secret key and a public result (e.g. AUTH, MACedIDForI).
    public func compute(key: SecretBytes, _ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: outputLength)
        key.withUnsafeBytes { k in
            data.withUnsafeBytes { d in
                out.withUnsafeMutableBytes { raw(key: k, parts: [d], into: $0) }
            }
        }
        return out
    }

    /// prf(key, data) whose result is itself key material.
    public func computeSecret(key: SecretBytes, _ data: [UInt8]) -> SecretBytes {
        let out = SecretBytes(count: outputLength)
        key.withUnsafeBytes { k in
            data.withUnsafeBytes { d in
                out.withUnsafeMutableBytes { raw(key: k, parts: [d], into: $0) }
            }
        }
        return out
    }

    /// prf(key, secret | data): a secret input before public data (section 2.18 rekey).
    func computeSecret(key: SecretBytes, secretPrefix: SecretBytes, _ data: [UInt8]) -> SecretBytes {
        let out = SecretBytes(count: outputLength)
        key.withUnsafeBytes { k in
            secretPrefix.withUnsafeBytes { s in
                data.withUnsafeBytes { d in
                    out.withUnsafeMutableBytes { raw(key: k, parts: [s, d], into: $0) }
                }
            }
        }
        return out
    }

    /// prf+(K, S) = T1 | T2 | ... (RFC 7296 section 2.13), truncated to `length` octets.
    ///
    ///     T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n), n <= 255
    public func plus(key: SecretBytes, seed: [UInt8], length: Int) -> SecretBytes {
        plus(key: key, secretSeedPrefix: nil, seed: seed, length: length)
    }

    /// prf+ whose seed starts with a secret (g^ir(new) | Ni | Nr, section 2.17).
    func plus(key: SecretBytes, secretSeedPrefix: SecretBytes?, seed: [UInt8],
              length: Int) -> SecretBytes {
        precondition(length >= 0)
        let blocks = (length + outputLength - 1) / outputLength
        precondition(blocks <= 255, "prf+ is limited to 255 iterations (RFC 7296 2.13)")
        if blocks == 0 { return SecretBytes(count: 0) }
        let stream = SecretBytes(count: blocks * outputLength)
        let prefix = secretSeedPrefix ?? SecretBytes(count: 0)
        key.withUnsafeBytes { k in
            prefix.withUnsafeBytes { p in
                seed.withUnsafeBytes { s in
                    stream.withUnsafeMutableBytes { all in
                        for n in 1...blocks {
                            var counter = UInt8(n)
                            withUnsafeBytes(of: &counter) { c in
                                let start = (n - 1) * outputLength
                                let t = UnsafeMutableRawBufferPointer(
                                    rebasing: all[start..<start + outputLength])
                                let previous = n == 1
                                    ? UnsafeRawBufferPointer(start: nil, count: 0)
                                    : UnsafeRawBufferPointer(
                                        rebasing: all[start - outputLength..<start])
                                raw(key: k, parts: [previous, p, s, c], into: t)
                            }
                        }
                    }
                }
            }
        }
        return stream.count == length ? stream : stream.slice(0..<length)
    }
}
