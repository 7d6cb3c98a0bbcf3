import COpenSSL
import CSodium

/// Raw cipher operations (internal). Buffers are caller-owned; nothing is allocated for
/// key material here.
enum Ciphers {
    static func aesGCM(bits: Int) -> OpaquePointer? {
        bits == 128 ? EVP_aes_128_gcm() : EVP_aes_256_gcm()
    }

    static func aesCBC(bits: Int) -> OpaquePointer? {
        bits == 128 ? EVP_aes_128_cbc() : EVP_aes_256_cbc()
    }

    private static func u8(_ p: UnsafeRawBufferPointer) -> UnsafePointer<UInt8>? {
        p.baseAddress?.assumingMemoryBound(to: UInt8.self)
    }

    /// AES-GCM with a 12-octet nonce and a 16-octet tag. `output` holds input.count + 16
    /// octets on seal (ciphertext | tag); on open `input` is ciphertext | tag and `output`
    /// holds input.count - 16. Returns false on a tag mismatch.
    static func aesGCM(seal: Bool, bits: Int, key: UnsafeRawBufferPointer,
                       nonce: UnsafeRawBufferPointer, aad: UnsafeRawBufferPointer,
                       input: UnsafeRawBufferPointer,
                       output: UnsafeMutableRawBufferPointer) throws(CryptoError) -> Bool {
        guard let ctx = EVP_CIPHER_CTX_new() else { throw OSSL.failure("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        let body = seal ? input.count : input.count - 16
        let out = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
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
        if seal {
            guard EVP_CipherFinal_ex(ctx, out + body, &n) == 1,
                  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, out + body) == 1
            else { throw OSSL.failure("EVP_CipherFinal_ex") }
            return true
        }
        let tag = UnsafeMutableRawPointer(mutating: input.baseAddress! + body)
        guard EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, tag) == 1 else {
            throw OSSL.failure("EVP_CTRL_GCM_SET_TAG")
        }
        var scratch = [UInt8](repeating: 0, count: 16)
        let ok = EVP_CipherFinal_ex(ctx, &scratch, &n) == 1
        OSSL.drainErrors()
        return ok
    }

    /// ChaCha20-Poly1305 IETF (RFC 8439) via libsodium; same buffer layout as `aesGCM`.
    static func chacha20Poly1305(seal: Bool, key: UnsafeRawBufferPointer,
                                 nonce: UnsafeRawBufferPointer, aad: UnsafeRawBufferPointer,
                                 input: UnsafeRawBufferPointer,
                                 output: UnsafeMutableRawBufferPointer) -> Bool {
        let out = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
        if seal {
            return crypto_aead_chacha20poly1305_ietf_encrypt_detached(
                out, out + input.count, nil, u8(input), UInt64(input.count),
                u8(aad), UInt64(aad.count), nil, u8(nonce)!, u8(key)!) == 0
        }
        let body = input.count - 16
        return crypto_aead_chacha20poly1305_ietf_decrypt_detached(
            out, nil, u8(input)!, UInt64(body), u8(input)! + body,
            u8(aad), UInt64(aad.count), u8(nonce)!, u8(key)!) == 0
    }

    /// AES-CBC without padding; `input.count` is a multiple of 16, `output` the same size.
    static func aesCBC(encrypt: Bool, bits: Int, key: UnsafeRawBufferPointer,
                       iv: UnsafeRawBufferPointer, input: UnsafeRawBufferPointer,
                       output: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        guard let ctx = EVP_CIPHER_CTX_new() else { throw OSSL.failure("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        let out = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var n: Int32 = 0
        var tail: Int32 = 0
        guard EVP_CipherInit_ex(ctx, aesCBC(bits: bits), nil, u8(key), u8(iv),
                                encrypt ? 1 : 0) == 1,
              EVP_CIPHER_CTX_set_padding(ctx, 0) == 1,
              EVP_CipherUpdate(ctx, out, &n, u8(input), Int32(input.count)) == 1,
              EVP_CipherFinal_ex(ctx, out + Int(n), &tail) == 1,
              Int(n + tail) == input.count
        else { throw OSSL.failure("AES-CBC") }
    }
}
