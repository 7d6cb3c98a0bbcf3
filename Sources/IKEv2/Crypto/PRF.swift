import COpenSSL

/// An IKEv2 pseudorandom function (RFC 7296 section 2.13), HMAC-based only.
///
/// AES-XCBC-PRF-128 and AES-CMAC-PRF-128 (fixed-size keys) are not supported.
public struct PRF: Sendable {
    /// Transform ID (`PRFID`).
    public let id: UInt16
    /// Octets of output, also the preferred key length for SK_d, SK_pi and SK_pr.
    public var outputLength: Int
    let digest: StaticString

    public init(id: UInt16) throws(CryptoError) {
        switch id {
        case PRFID.hmacSHA1: digest = "SHA1"; outputLength = 20
        case PRFID.hmacSHA2_256: digest = "SHA256"; outputLength = 32
        case PRFID.hmacSHA2_384: digest = "SHA384"; outputLength = 48
        case PRFID.hmacSHA2_512: digest = "SHA512"; outputLength = 64
        default: throw .unsupported("PRF transform \(id)")
        }
        self.id = id
    }

    /// prf(key, data) for a public key value (e.g. the nonces in SKEYSEED).
    public func compute(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: outputLength)
        key.withUnsafeBytes { k in
            data.withUnsafeBytes { d in
                out.withUnsafeMutableBytes { o in
                    _ = HMAC.compute(digest: digest, key: k, parts: [d], into: o)
                }
            }
        }
        return out
    }

    /// prf(key, data) with a secret key and a public result (e.g. AUTH, MACedIDForI).
    public func compute(key: SecretBytes, _ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: outputLength)
        key.withUnsafeBytes { k in
            data.withUnsafeBytes { d in
                out.withUnsafeMutableBytes { o in
                    _ = HMAC.compute(digest: digest, key: k, parts: [d], into: o)
                }
            }
        }
        return out
    }

    /// prf(key, data) whose result is itself key material.
    public func computeSecret(key: SecretBytes, _ data: [UInt8]) -> SecretBytes {
        let out = SecretBytes(count: outputLength)
        key.withUnsafeBytes { k in
            data.withUnsafeBytes { d in
                out.withUnsafeMutableBytes { o in
                    _ = HMAC.compute(digest: digest, key: k, parts: [d], into: o)
                }
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
                    out.withUnsafeMutableBytes { o in
                        _ = HMAC.compute(digest: digest, key: k, parts: [s, d], into: o)
                    }
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
                                _ = HMAC.compute(digest: digest, key: k,
                                                 parts: [previous, p, s, c], into: t)
                            }
                        }
                    }
                }
            }
        }
        return stream.count == length ? stream : stream.slice(0..<length)
    }
}
