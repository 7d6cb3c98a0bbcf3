import COpenSSL

/// AES-XCBC-MAC (RFC 3566 section 4), built from OpenSSL's AES-128 block operation
/// (ECB, one block at a time). Used by AUTH_AES_XCBC_96 and PRF_AES128_XCBC (RFC 4434).
enum AESXCBC {
    /// MAC of parts[0] | parts[1] | ... under a 16-octet key, 16 octets into `out`.
    static func compute(key: UnsafeRawBufferPointer, parts: [UnsafeRawBufferPointer],
                        into out: UnsafeMutableRawBufferPointer) {
        precondition(key.count == 16, "AES-XCBC-MAC needs a 128-bit key")
        let ecb = AESBlock(key: key)
        // (1) K1 = E(K, 0x01..), K2 = E(K, 0x02..), K3 = E(K, 0x03..)
        var k1 = ecb.encrypt([UInt8](repeating: 1, count: 16))
        var k2 = ecb.encrypt([UInt8](repeating: 2, count: 16))
        var k3 = ecb.encrypt([UInt8](repeating: 3, count: 16))
        defer {
            for i in 0..<16 { k1[i] = 0; k2[i] = 0; k3[i] = 0 }
        }
        let cbc = k1.withUnsafeBytes { AESBlock(key: $0) }
        var message = [UInt8]()
        for p in parts { message.append(contentsOf: p) }
        defer { for i in message.indices { message[i] = 0 } }
        // (2)-(3) E[0] = 0; E[i] = E(K1, M[i] ^ E[i-1]) for all but the last block.
        var e = [UInt8](repeating: 0, count: 16)
        let blocks = max(1, (message.count + 15) / 16)
        for i in 0..<blocks - 1 {
            for j in 0..<16 { e[j] ^= message[i * 16 + j] }
            e = cbc.encrypt(e)
        }
        // (4)/(5) last block: complete -> XOR K2; otherwise pad 10* and XOR K3.
        let lastStart = (blocks - 1) * 16
        let last = Array(message[lastStart...])
        var block = last + (last.count == 16 ? [] : [0x80]
            + [UInt8](repeating: 0, count: 15 - last.count))
        let mask = last.count == 16 ? k2 : k3
        for j in 0..<16 { block[j] ^= e[j] ^ mask[j] }
        let t = cbc.encrypt(block)
        out.copyBytes(from: t[0..<min(16, out.count)])
    }

    /// RFC 4434 section 2: a key of other than 16 octets becomes 16 octets, zero-padded
    /// if shorter, or AES-XCBC-PRF-128 under the all-zero key if longer.
    static func normalizedKey(_ key: UnsafeRawBufferPointer) -> [UInt8] {
        if key.count == 16 { return Array(key) }
        if key.count < 16 { return Array(key) + [UInt8](repeating: 0, count: 16 - key.count) }
        var out = [UInt8](repeating: 0, count: 16)
        let zero = [UInt8](repeating: 0, count: 16)
        zero.withUnsafeBytes { z in
            out.withUnsafeMutableBytes { compute(key: z, parts: [key], into: $0) }
        }
        return out
    }
}

/// One AES-128 key schedule for single-block encryptions (internal).
final class AESBlock {
    private let ctx: OpaquePointer

    init(key: UnsafeRawBufferPointer) {
        guard let ctx = EVP_CIPHER_CTX_new(),
              EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), nil,
                                 key.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                 nil) == 1,
              EVP_CIPHER_CTX_set_padding(ctx, 0) == 1
        else { fatalError(OSSL.failure("AES-128-ECB").description) }
        self.ctx = ctx
    }

    deinit { EVP_CIPHER_CTX_free(ctx) }

    func encrypt(_ block: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 16)
        var n: Int32 = 0
        guard EVP_EncryptUpdate(ctx, &out, &n, block, 16) == 1, n == 16 else {
            fatalError(OSSL.failure("AES-128-ECB").description)
        }
        return out
    }
}
