import COpenSSL

/// ENCR_3DES (RFC 2451): DES-EDE3 in CBC mode with a 24-octet key and an 8-octet IV.
///
/// Legacy: a 64-bit block cipher (birthday bound after a few dozen GB, "Sweet32"),
/// RFC 8247 section 3.1.1 keeps it only at MAY. Never offered by default; understood
/// for interoperability and for decrypting old captures.
enum TripleDES {
    static let keyLength = 24
    static let blockSize = 8

    static func cbc(encrypt: Bool, key: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer,
                    input: UnsafeRawBufferPointer,
                    output: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        try Ciphers.stream(cipher: EVP_des_ede3_cbc(), encrypt: encrypt, key: key, iv: iv,
                           input: input, output: output, name: "3DES-CBC")
    }
}
