import COpenSSL

/// AES in counter mode for ENCR_AES_CTR (RFC 5930, using RFC 3686's counter block).
///
/// The 16-octet counter block is nonce(4) | IV(8) | 00000001, where the nonce is the
/// last four octets of the keying material (RFC 3686 section 4, RFC 5930 section 2).
enum AESCTR {
    static func cipher(bits: Int) -> OpaquePointer? {
        switch bits {
        case 128: return EVP_aes_128_ctr()
        case 192: return EVP_aes_192_ctr()
        default: return EVP_aes_256_ctr()
        }
    }

    /// The initial counter block (RFC 3686 section 4).
    static func counterBlock(nonce: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer)
        -> [UInt8] {
        precondition(nonce.count == 4 && iv.count == 8)
        return Array(nonce) + Array(iv) + [0, 0, 0, 1]
    }

    /// Encrypts or decrypts (the same operation) `input` into `output`, of equal length.
    static func crypt(bits: Int, key: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer,
                      iv: UnsafeRawBufferPointer, input: UnsafeRawBufferPointer,
                      output: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        let block = counterBlock(nonce: nonce, iv: iv)
        try withCryptoErrors {
            try block.withUnsafeBytes { cb in
                try Ciphers.stream(cipher: cipher(bits: bits), encrypt: true, key: key, iv: cb,
                                   input: input, output: output, name: "AES-CTR")
            }
        }
    }
}
