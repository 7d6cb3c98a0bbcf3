import COpenSSL

/// Public key algorithms accepted for IKE authentication.
public enum KeyAlgorithm: String, Sendable {
    case ed25519, ecdsaP256, ecdsaP384, rsa

    /// The algorithm of an OpenSSL key; anything else is `.invalidKey`.
    static func of(_ pkey: OpaquePointer) throws(CryptoError) -> KeyAlgorithm {
        switch EVP_PKEY_get_base_id(pkey) {
        case EVP_PKEY_ED25519: return .ed25519
        case EVP_PKEY_RSA: return .rsa
        case EVP_PKEY_EC:
            var name = [CChar](repeating: 0, count: 64)
            var len = 0
            guard EVP_PKEY_get_utf8_string_param(pkey, OSSL.cString("group"), &name,
                                                 name.count, &len) == 1 else {
                throw OSSL.failure("EVP_PKEY_get_utf8_string_param(group)")
            }
            let curve = String(decoding: name[0..<len].map { UInt8(bitPattern: $0) },
                               as: UTF8.self)
            switch curve {
            case "prime256v1", "P-256", "secp256r1": return .ecdsaP256
            case "secp384r1", "P-384": return .ecdsaP384
            default: throw .invalidKey("EC curve \(curve) is not supported")
            }
        default:
            OSSL.drainErrors()
            throw .invalidKey("key type \(EVP_PKEY_get_base_id(pkey)) is not supported")
        }
    }
}

/// DER SubjectPublicKeyInfo of an OpenSSL key (i2d_PUBKEY).
func spkiDER(of pkey: OpaquePointer) throws(CryptoError) -> [UInt8] {
    let length = i2d_PUBKEY(pkey, nil)
    guard length > 0 else { throw OSSL.failure("i2d_PUBKEY") }
    var out = [UInt8](repeating: 0, count: Int(length))
    let written = out.withUnsafeMutableBufferPointer { buf -> Int32 in
        var p = buf.baseAddress
        return i2d_PUBKEY(pkey, &p)
    }
    guard written == length else { throw OSSL.failure("i2d_PUBKEY") }
    return out
}

/// Runs `body` with a read-only memory BIO over `bytes` (no copy is made).
func withMemoryBIO<R>(_ bytes: UnsafeRawBufferPointer,
                      _ body: (OpaquePointer) throws(CryptoError) -> R) throws(CryptoError) -> R {
    guard let bio = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count)) else {
        throw OSSL.failure("BIO_new_mem_buf")
    }
    defer { BIO_free(bio) }
    return try body(bio)
}

/// A public key of a supported type (Ed25519, ECDSA P-256/P-384, RSA), held as DER
/// SubjectPublicKeyInfo (RFC 5280 section 4.1.2.7; the RFC 7670 raw public key form).
/// Equality and hashing are by the SPKI octets.
public final class PublicKey: @unchecked Sendable, Hashable, CustomStringConvertible {
    /// Canonical DER SubjectPublicKeyInfo.
    public let spkiDER: [UInt8]
    public let algorithm: KeyAlgorithm
    /// OpenSSL key; immutable after init, so shared use from several threads is safe.
    let pkey: OpaquePointer

    public init(spkiDER der: [UInt8]) throws(CryptoError) {
        var consumed = 0
        let parsed = der.withUnsafeBufferPointer { buf -> OpaquePointer? in
            var p = buf.baseAddress
            let key = d2i_PUBKEY(nil, &p, buf.count)
            if let p, let base = buf.baseAddress { consumed = p - base }
            return key
        }
        guard let parsed, consumed == der.count else {
            if let parsed { EVP_PKEY_free(parsed) }
            throw .invalidKey("not a DER SubjectPublicKeyInfo: \(OSSL.drainErrors() ?? "trailing data")")
        }
        do {
            algorithm = try KeyAlgorithm.of(parsed)
            spkiDER = try IKEv2.spkiDER(of: parsed)
        } catch {
            EVP_PKEY_free(parsed)
            throw error
        }
        pkey = parsed
    }

    /// A "-----BEGIN PUBLIC KEY-----" PEM SubjectPublicKeyInfo.
    public convenience init(pem: String) throws(CryptoError) {
        let bytes = Array(pem.utf8)
        let der = try withCryptoErrors { try bytes.withUnsafeBytes { raw -> [UInt8] in
            try withMemoryBIO(raw) { (bio) throws(CryptoError) -> [UInt8] in
                guard let key = PEM_read_bio_PUBKEY(bio, nil, nil, nil) else {
                    throw .invalidKey("not a PEM public key: \(OSSL.drainErrors() ?? "")")
                }
                defer { EVP_PKEY_free(key) }
                return try IKEv2.spkiDER(of: key)
            }
        } }
        try self.init(spkiDER: der)
    }

    /// A PKCS#1 RSAPublicKey (CERT encoding 11, "Raw RSA Key", RFC 7296 section 3.6).
    public convenience init(rawRSAPKCS1 der: [UInt8]) throws(CryptoError) {
        var consumed = 0
        let parsed = der.withUnsafeBufferPointer { buf -> OpaquePointer? in
            var p = buf.baseAddress
            let key = d2i_PublicKey(EVP_PKEY_RSA, nil, &p, buf.count)
            if let p, let base = buf.baseAddress { consumed = p - base }
            return key
        }
        guard let parsed, consumed == der.count else {
            if let parsed { EVP_PKEY_free(parsed) }
            throw .invalidKey("not a DER RSAPublicKey: \(OSSL.drainErrors() ?? "trailing data")")
        }
        defer { EVP_PKEY_free(parsed) }
        try self.init(spkiDER: IKEv2.spkiDER(of: parsed))
    }

    deinit { EVP_PKEY_free(pkey) }

    /// First 8 octets of SHA-256(SPKI DER), lowercase hex: for logs and pins.
    public var fingerprint: String { Digest.sha256(spkiDER)[0..<8].hexString }

    /// SHA-1(SPKI DER), strongSwan's ID_KEY_ID for raw public keys.
    public var keyID: [UInt8] { Digest.sha1(spkiDER) }

    /// "-----BEGIN PUBLIC KEY-----" PEM of the SubjectPublicKeyInfo.
    public var pem: String {
        guard let bio = BIO_new(BIO_s_mem()) else { fatalError("BIO_new") }
        defer { BIO_free(bio) }
        guard PEM_write_bio_PUBKEY(bio, pkey) == 1 else { fatalError("PEM_write_bio_PUBKEY") }
        return String(decoding: OSSL.readAll(bio), as: UTF8.self)
    }

    public var description: String { "\(algorithm.rawValue) key \(fingerprint)" }

    public static func == (a: PublicKey, b: PublicKey) -> Bool { a.spkiDER == b.spkiDER }
    public func hash(into h: inout Hasher) { h.combine(spkiDER) }
}

/// A private signing key (Ed25519, ECDSA P-256/P-384, RSA) held by OpenSSL. Copies of
/// its encoding made here live in `SecretBytes` or secure-heap BIOs and are wiped.
public final class PrivateKey: @unchecked Sendable, CustomStringConvertible {
    let pkey: OpaquePointer
    public let algorithm: KeyAlgorithm
    public let publicKey: PublicKey

    /// Reads an unencrypted PKCS#8 "BEGIN PRIVATE KEY" PEM (also the traditional
    /// "BEGIN EC PRIVATE KEY" / "BEGIN RSA PRIVATE KEY" forms). Encrypted keys are refused
    /// (no passphrase prompt).
    public init(pem: String) throws(CryptoError) {
        let copy = SecretBytes(pem.utf8)
        let parsed = try withCryptoErrors { try copy.withUnsafeBytes { raw -> OpaquePointer? in
            try withMemoryBIO(raw) { bio in
                PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in 0 }, nil)
            }
        } }
        guard let parsed else {
            throw .invalidKey("not an unencrypted PEM private key: \(OSSL.drainErrors() ?? "")")
        }
        do {
            algorithm = try KeyAlgorithm.of(parsed)
            publicKey = try PublicKey(spkiDER: IKEv2.spkiDER(of: parsed))
        } catch {
            EVP_PKEY_free(parsed)
            throw error
        }
        pkey = parsed
    }

    private init(generated: OpaquePointer) throws(CryptoError) {
        do {
            algorithm = try KeyAlgorithm.of(generated)
            publicKey = try PublicKey(spkiDER: IKEv2.spkiDER(of: generated))
        } catch {
            EVP_PKEY_free(generated)
            throw error
        }
        pkey = generated
    }

    /// A fresh key: `.ed25519`, `.ecdsaP256` or `.ecdsaP384` (RSA generation is not offered).
    public static func generate(_ alg: KeyAlgorithm) throws(CryptoError) -> PrivateKey {
        switch alg {
        case .ed25519: return try PrivateKey(generated: EVPKeys.generate(type: "ED25519", group: nil))
        case .ecdsaP256: return try PrivateKey(generated: EVPKeys.generate(type: "EC", group: "P-256"))
        case .ecdsaP384: return try PrivateKey(generated: EVPKeys.generate(type: "EC", group: "P-384"))
        case .rsa: throw .unsupported("RSA key generation")
        }
    }

    deinit { EVP_PKEY_free(pkey) }

    /// Unencrypted PKCS#8 "-----BEGIN PRIVATE KEY-----" PEM, readable by `openssl pkey`
    /// and strongSwan (swanctl/private). The returned String is the caller's to protect.
    public var pkcs8PEM: String {
        guard let bio = BIO_new(BIO_s_secmem()) else { fatalError("BIO_new") }
        defer { BIO_free(bio) }
        guard PEM_write_bio_PKCS8PrivateKey(bio, pkey, nil, nil, 0, nil, nil) == 1 else {
            fatalError(OSSL.failure("PEM_write_bio_PKCS8PrivateKey").description)
        }
        let pem = OSSL.readAllSecret(bio)
        return pem.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    public var description: String { "private \(algorithm.rawValue) key for \(publicKey.fingerprint)" }
}
