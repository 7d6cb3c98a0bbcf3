/// The ENCR transforms as plain operations on keying material, IV and AAD: what
/// `SKProtection` uses for each SK payload, exposed for ESP-style callers and for
/// known-answer tests.
///
/// `keymat` is SK_e (or a child encryption key): cipher key | salt or nonce
/// (`encrKeyLength` octets). AEAD output is ciphertext | ICV (RFC 5282 section 3,
/// RFC 7634 section 3); the other ciphers encrypt only, without padding, and take no AAD.
extension EncryptionSuite {
    /// Encrypts (and for AEAD authenticates with `aad`) `plaintext`.
    public func encrypt(keymat: SecretBytes, iv: [UInt8], aad: [UInt8] = [],
                        plaintext: [UInt8]) throws(CryptoError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: plaintext.count + (isAEAD ? icvLength : 0))
        let ok = try withCryptoErrors {
            try keymat.withUnsafeBytes { k in
                try iv.withUnsafeBytes { v in
                    try aad.withUnsafeBytes { a in
                        try plaintext.withUnsafeBytes { p in
                            try out.withUnsafeMutableBytes { o in
                                try crypt(seal: true, keymat: k, iv: v, aad: a, input: p,
                                          output: o)
                            }
                        }
                    }
                }
            }
        }
        guard ok else { throw .library("AEAD seal") }
        return out
    }

    /// Decrypts (and for AEAD verifies) `ciphertext`; a bad tag throws
    /// `.integrityCheckFailed`.
    public func decrypt(keymat: SecretBytes, iv: [UInt8], aad: [UInt8] = [],
                        ciphertext: [UInt8]) throws(CryptoError) -> [UInt8] {
        let overhead = isAEAD ? icvLength : 0
        guard ciphertext.count >= overhead else { throw .integrityCheckFailed }
        var out = [UInt8](repeating: 0, count: ciphertext.count - overhead)
        let ok = try withCryptoErrors {
            try keymat.withUnsafeBytes { k in
                try iv.withUnsafeBytes { v in
                    try aad.withUnsafeBytes { a in
                        try ciphertext.withUnsafeBytes { c in
                            try out.withUnsafeMutableBytes { o in
                                try crypt(seal: false, keymat: k, iv: v, aad: a, input: c,
                                          output: o)
                            }
                        }
                    }
                }
            }
        }
        guard ok else { throw .integrityCheckFailed }
        return out
    }

    /// One cipher operation over caller-owned buffers. AEAD: `seal` writes ciphertext |
    /// ICV, open reads it and returns false on a bad tag. Others: `seal` encrypts,
    /// open decrypts; CBC input must be block-aligned.
    func crypt(seal: Bool, keymat: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer,
               aad: UnsafeRawBufferPointer, input: UnsafeRawBufferPointer,
               output: UnsafeMutableRawBufferPointer) throws(CryptoError) -> Bool {
        guard keymat.count == encrKeyLength else {
            throw .invalidKey("ENCR \(encr) keying material is \(keymat.count) octets, "
                              + "needs \(encrKeyLength)")
        }
        guard iv.count == ivLength else { throw .malformedCiphertext("IV of \(iv.count) octets") }
        let bits = cipherKeyLength * 8
        let key = UnsafeRawBufferPointer(rebasing: keymat[0..<cipherKeyLength])
        let salt = UnsafeRawBufferPointer(rebasing: keymat[cipherKeyLength...])
        switch encr {
        case EncrID.aesCBC, EncrID.des3:
            guard input.count % blockSize == 0 else {
                throw .malformedCiphertext("\(input.count) octets is not whole blocks")
            }
            if encr == EncrID.des3 {
                try TripleDES.cbc(encrypt: seal, key: key, iv: iv, input: input, output: output)
            } else {
                try Ciphers.aesCBC(encrypt: seal, bits: bits, key: key, iv: iv, input: input,
                                   output: output)
            }
            return true
        case EncrID.aesCTR:
            try AESCTR.crypt(bits: bits, key: key, nonce: salt, iv: iv, input: input,
                             output: output)
            return true
        default:
            // RFC 5282 section 4 / RFC 7634 section 2: nonce = salt | IV.
            let nonce = Array(salt) + Array(iv)
            return try withCryptoErrors {
                try nonce.withUnsafeBytes { n -> Bool in
                    switch encr {
                    case EncrID.chacha20Poly1305:
                        return Ciphers.chacha20Poly1305(seal: seal, key: key, nonce: n,
                                                        aad: aad, input: input, output: output)
                    case EncrID.aesCCM8, EncrID.aesCCM12, EncrID.aesCCM16:
                        return try AESCCM.crypt(seal: seal, bits: bits, key: key, nonce: n,
                                                aad: aad, input: input, output: output,
                                                tagLength: icvLength)
                    default:
                        return try Ciphers.aesGCM(seal: seal, bits: bits, key: key, nonce: n,
                                                  aad: aad, input: input, output: output,
                                                  tagLength: icvLength)
                    }
                }
            }
        }
    }
}
