import COpenSSL

/// HMAC through OpenSSL 3's EVP_MAC (internal; the PRF and the CBC integrity use it).
enum HMAC {
    nonisolated(unsafe) static let mac: OpaquePointer? = EVP_MAC_fetch(nil, "HMAC", nil)

    /// Computes HMAC-`digest`(key, parts[0] | parts[1] | ...) into `out`, which must hold
    /// at least the digest size. Returns the number of octets written.
    @discardableResult
    static func compute(
        digest: StaticString, key: UnsafeRawBufferPointer,
        parts: [UnsafeRawBufferPointer], into out: UnsafeMutableRawBufferPointer
    ) -> Int {
        guard let ctx = EVP_MAC_CTX_new(mac) else { fatalError(OSSL.failure("EVP_MAC_CTX_new").description) }
        defer { EVP_MAC_CTX_free(ctx) }
        var params = [
            OSSL_PARAM_construct_utf8_string(
                OSSL.cString("digest"), UnsafeMutablePointer(mutating: OSSL.cString(digest)), 0),
            OSSL_PARAM_construct_end(),
        ]
        // A zero-length key must still be a non-NULL pointer, or OpenSSL reports "no key".
        var empty: UInt8 = 0
        let ok = withUnsafeMutablePointer(to: &empty) { emptyPtr -> Bool in
            let keyPtr = key.count > 0
                ? key.baseAddress!.assumingMemoryBound(to: UInt8.self) : UnsafePointer(emptyPtr)
            guard EVP_MAC_init(ctx, keyPtr, key.count, &params) == 1 else { return false }
            for p in parts where p.count > 0 {
                guard EVP_MAC_update(ctx, p.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                     p.count) == 1 else { return false }
            }
            return true
        }
        var written = 0
        guard ok,
              EVP_MAC_final(ctx, out.baseAddress!.assumingMemoryBound(to: UInt8.self),
                            &written, out.count) == 1
        else { fatalError(OSSL.failure("HMAC").description) }
        return written
    }
}

/// The hash functions the HMAC transforms use (internal).
enum HMACDigest: Hashable, Sendable {
    case sha1, sha256, sha384, sha512

    /// OpenSSL digest name.
    var name: StaticString {
        switch self {
        case .sha1: return "SHA1"
        case .sha256: return "SHA256"
        case .sha384: return "SHA384"
        case .sha512: return "SHA512"
        }
    }

    /// Octets of output.
    var size: Int {
        switch self {
        case .sha1: return 20
        case .sha256: return 32
        case .sha384: return 48
        case .sha512: return 64
        }
    }
}
