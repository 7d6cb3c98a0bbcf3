import COpenSSL
import CSodium

/// Raw cipher operations (internal). Buffers are caller-owned; nothing is allocated for
/// key material here. The modes built on top of these live in AESCTR, AESCCM and
/// Insecure/TripleDES.
enum Ciphers {
    static func aesGCM(bits: Int) -> OpaquePointer? {
        switch bits {
        case 128: return EVP_aes_128_gcm()
        case 192: return EVP_aes_192_gcm()
        default: return EVP_aes_256_gcm()
        }
    }

    static func aesCBC(bits: Int) -> OpaquePointer? {
        switch bits {
        case 128: return EVP_aes_128_cbc()
        case 192: return EVP_aes_192_cbc()
        default: return EVP_aes_256_cbc()
        }
    }

    static func u8(_ p: UnsafeRawBufferPointer) -> UnsafePointer<UInt8>? {
        p.baseAddress?.assumingMemoryBound(to: UInt8.self)
    }

    /// AES-GCM (NIST SP 800-38D) with a 12-octet nonce and a `tagLength`-octet tag
    /// (8, 12 or 16; RFC 5282 section 7.1). `output` holds input.count + tagLength octets
    /// on seal (ciphertext | tag); on open `input` is ciphertext | tag and `output` holds
    /// input.count - tagLength. Returns false on a tag mismatch.
    static func aesGCM(seal: Bool, bits: Int, key: UnsafeRawBufferPointer,
                       nonce: UnsafeRawBufferPointer, aad: UnsafeRawBufferPointer,
                       input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer,
                       tagLength: Int = 16) throws(CryptoError) -> Bool {
        guard let ctx = EVP_CIPHER_CTX_new() else { throw OSSL.failure("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        guard input.count >= (seal ? 0 : tagLength) else { return false }
        let body = seal ? input.count : input.count - tagLength
        let out = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
        var n: Int32 = 0
        guard EVP_CipherInit_ex(ctx, aesGCM(bits: bits), nil, u8(key), u8(nonce),
                                seal ? 1 : 0) == 1 else { throw OSSL.failure("EVP_CipherInit_ex") }
        if aad.count > 0 {
            guard EVP_CipherUpdate(ctx, nil, &n, u8(aad), Int32(aad.count)) == 1 else {
                throw OSSL.failure("EVP_CipherUpdate(aad)")
            }
        }
        if body > 0 {
            guard EVP_CipherUpdate(ctx, out, &n, u8(input), Int32(body)) == 1 else {
                throw OSSL.failure("EVP_CipherUpdate")
            }
        }
        var scratch = [UInt8](repeating: 0, count: 16)
        if seal {
            guard EVP_CipherFinal_ex(ctx, &scratch, &n) == 1,
                  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, Int32(tagLength),
                                      out! + body) == 1
            else { throw OSSL.failure("EVP_CipherFinal_ex") }
            return true
        }
        let tag = UnsafeMutableRawPointer(mutating: input.baseAddress! + body)
        guard EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, Int32(tagLength), tag) == 1 else {
            throw OSSL.failure("EVP_CTRL_GCM_SET_TAG")
        }
        let ok = EVP_CipherFinal_ex(ctx, &scratch, &n) == 1
        OSSL.drainErrors()
        return ok
    }

    /// ChaCha20-Poly1305 IETF (RFC 8439) via libsodium; same buffer layout as `aesGCM`
    /// with a 16-octet tag.
    static func chacha20Poly1305(seal: Bool, key: UnsafeRawBufferPointer,
                                 nonce: UnsafeRawBufferPointer, aad: UnsafeRawBufferPointer,
                                 input: UnsafeRawBufferPointer,
                                 output: UnsafeMutableRawBufferPointer) -> Bool {
        var empty: UInt8 = 0
        return withUnsafeMutablePointer(to: &empty) { e -> Bool in
            let out = output.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? e
            let inp = u8(input) ?? UnsafePointer(e)
            if seal {
                return crypto_aead_chacha20poly1305_ietf_encrypt_detached(
                    out, out + input.count, nil, inp, UInt64(input.count),
                    u8(aad), UInt64(aad.count), nil, u8(nonce)!, u8(key)!) == 0
            }
            guard input.count >= 16 else { return false }
            let body = input.count - 16
            return crypto_aead_chacha20poly1305_ietf_decrypt_detached(
                out, nil, inp, UInt64(body), inp + body,
                u8(aad), UInt64(aad.count), u8(nonce)!, u8(key)!) == 0
        }
    }

    /// A block cipher in CBC mode without padding (`cipher` is e.g. AES-CBC or
    /// DES-EDE3-CBC); `input.count` is a multiple of the block size, `output` the same size.
    static func cbc(cipher: OpaquePointer?, encrypt: Bool, key: UnsafeRawBufferPointer,
                    iv: UnsafeRawBufferPointer, input: UnsafeRawBufferPointer,
                    output: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        try stream(cipher: cipher, encrypt: encrypt, key: key, iv: iv, input: input,
                   output: output, name: "CBC")
    }

    /// AES-CBC without padding (RFC 3602).
    static func aesCBC(encrypt: Bool, bits: Int, key: UnsafeRawBufferPointer,
                       iv: UnsafeRawBufferPointer, input: UnsafeRawBufferPointer,
                       output: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        try cbc(cipher: aesCBC(bits: bits), encrypt: encrypt, key: key, iv: iv, input: input,
                output: output)
    }

    /// One EVP cipher pass with padding off; the output has the input's length.
    static func stream(cipher: OpaquePointer?, encrypt: Bool, key: UnsafeRawBufferPointer,
                       iv: UnsafeRawBufferPointer?, input: UnsafeRawBufferPointer,
                       output: UnsafeMutableRawBufferPointer,
                       name: String) throws(CryptoError) {
        guard let ctx = EVP_CIPHER_CTX_new() else { throw OSSL.failure("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        guard output.count >= input.count else { throw .library("\(name): output too small") }
        if input.count == 0 { return }
        let out = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var n: Int32 = 0
        var tail: Int32 = 0
        guard EVP_CipherInit_ex(ctx, cipher, nil, u8(key), iv.flatMap { u8($0) },
                                encrypt ? 1 : 0) == 1,
              EVP_CIPHER_CTX_set_padding(ctx, 0) == 1,
              EVP_CipherUpdate(ctx, out, &n, u8(input), Int32(input.count)) == 1,
              EVP_CipherFinal_ex(ctx, out + Int(n), &tail) == 1,
              Int(n + tail) == input.count
        else { throw OSSL.failure(name) }
    }
}
