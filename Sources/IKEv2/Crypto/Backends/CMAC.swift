import COpenSSL

/// AES-CMAC (NIST SP 800-38B, RFC 4493) through OpenSSL 3's EVP_MAC "CMAC" (internal;
/// AUTH_AES_CMAC_96 and PRF_AES128_CMAC use it).
enum CMAC {
    nonisolated(unsafe) static let mac: OpaquePointer? = EVP_MAC_fetch(nil, "CMAC", nil)

    /// AES-CMAC with a 16-, 24- or 32-octet key over parts[0] | parts[1] | ...; writes the
    /// 16-octet MAC to `out`.
    static func compute(key: UnsafeRawBufferPointer, parts: [UnsafeRawBufferPointer],
                        into out: UnsafeMutableRawBufferPointer) {
        let cipher: StaticString
        switch key.count {
        case 16: cipher = "AES-128-CBC"
        case 24: cipher = "AES-192-CBC"
        case 32: cipher = "AES-256-CBC"
        default: preconditionFailure("AES-CMAC key of \(key.count) octets")
        }
        guard let ctx = EVP_MAC_CTX_new(mac) else {
            fatalError(OSSL.failure("EVP_MAC_CTX_new(CMAC)").description)
        }
        defer { EVP_MAC_CTX_free(ctx) }
        var params = [
            OSSL_PARAM_construct_utf8_string(
                OSSL.cString("cipher"), UnsafeMutablePointer(mutating: OSSL.cString(cipher)), 0),
            OSSL_PARAM_construct_end(),
        ]
        var ok = EVP_MAC_init(ctx, key.baseAddress?.assumingMemoryBound(to: UInt8.self),
                              key.count, &params) == 1
        for p in parts where ok && p.count > 0 {
            ok = EVP_MAC_update(ctx, p.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                p.count) == 1
        }
        var written = 0
        guard ok, EVP_MAC_final(ctx, out.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                &written, out.count) == 1, written == 16
        else { fatalError(OSSL.failure("CMAC").description) }
    }
}
