import COpenSSL

/// AES-CCM (NIST SP 800-38C, RFC 3610) as IKEv2 uses it (RFC 5282 section 7.1 via
/// RFC 4309): an 11-octet nonce (salt(3) | IV(8)), so a 4-octet length field (L = 4),
/// and an ICV of 8, 12 or 16 octets.
enum AESCCM {
    static let nonceLength = 11

    static func cipher(bits: Int) -> OpaquePointer? {
        switch bits {
        case 128: return EVP_aes_128_ccm()
        case 192: return EVP_aes_192_ccm()
        default: return EVP_aes_256_ccm()
        }
    }

    /// Same buffer layout as `Ciphers.aesGCM`: seal writes ciphertext | tag, open reads
    /// ciphertext | tag. Returns false when the tag does not verify.
    static func crypt(seal: Bool, bits: Int, key: UnsafeRawBufferPointer,
                      nonce: UnsafeRawBufferPointer, aad: UnsafeRawBufferPointer,
                      input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer,
                      tagLength: Int) throws(CryptoError) -> Bool {
        guard nonce.count == nonceLength else { throw .library("AES-CCM nonce length") }
        guard input.count >= (seal ? 0 : tagLength) else { return false }
        guard let ctx = EVP_CIPHER_CTX_new() else { throw OSSL.failure("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        let body = seal ? input.count : input.count - tagLength
        let u8 = Ciphers.u8
        var n: Int32 = 0
        let tagPointer = seal ? nil : UnsafeMutableRawPointer(mutating: input.baseAddress! + body)
        guard EVP_CipherInit_ex(ctx, cipher(bits: bits), nil, nil, nil, seal ? 1 : 0) == 1,
              EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_CCM_SET_IVLEN, Int32(nonceLength), nil) == 1,
              EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_CCM_SET_TAG, Int32(tagLength), tagPointer) == 1,
              EVP_CipherInit_ex(ctx, nil, nil, u8(key), u8(nonce), seal ? 1 : 0) == 1
        else { throw OSSL.failure("AES-CCM init") }
        // CCM needs the total message length before any AAD (SP 800-38C A.2.1).
        guard EVP_CipherUpdate(ctx, nil, &n, nil, Int32(body)) == 1 else {
            throw OSSL.failure("AES-CCM length")
        }
        if aad.count > 0 {
            guard EVP_CipherUpdate(ctx, nil, &n, u8(aad), Int32(aad.count)) == 1 else {
                throw OSSL.failure("AES-CCM aad")
            }
        }
        var scratch = [UInt8](repeating: 0, count: 16)
        let out = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
        // OpenSSL wants a non-NULL buffer even for an empty message.
        let ok = scratch.withUnsafeMutableBufferPointer { s -> Bool in
            let inPtr = body > 0 ? u8(input) : UnsafePointer(s.baseAddress)
            let outPtr = body > 0 ? out : s.baseAddress
            return EVP_CipherUpdate(ctx, outPtr, &n, inPtr, Int32(body)) == 1
        }
        guard seal else {
            OSSL.drainErrors()
            return ok                          // the tag is checked by this update
        }
        guard ok, EVP_CipherFinal_ex(ctx, &scratch, &n) == 1,
              EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_CCM_GET_TAG, Int32(tagLength),
                                  output.baseAddress! + body) == 1
        else { throw OSSL.failure("AES-CCM seal") }
        return true
    }
}
