import COpenSSL

/// Signature AUTH payloads: RFC 7427 Digital Signature (method 14) incl. RFC 8420 Ed25519,
/// RFC 4754 ECDSA-256 (method 9), and RFC 7296 RSA Digital Signature (method 1, verify).
public enum SignatureAuth {
    /// AlgorithmIdentifier DER blobs (RFC 7427 appendix A, RFC 8420 appendix A).
    enum AlgorithmID {
        static let ed25519: [UInt8] = [0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70]
        static let ecdsaWithSHA256: [UInt8] =
            [0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02]
        static let ecdsaWithSHA384: [UInt8] =
            [0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03]
        static let sha256WithRSAEncryption: [UInt8] =
            [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00]
    }

    /// Signs `octets` (the InitiatorSignedOctets or ResponderSignedOctets, RFC 7296
    /// section 2.15) as a method-14 AUTH payload: 1-octet length | AlgorithmIdentifier |
    /// signature. Ed25519 is pure (no pre-hash); ECDSA uses SHA-256 on P-256 and SHA-384
    /// on P-384 with a DER Ecdsa-Sig-Value; RSA uses sha256WithRSAEncryption (PKCS#1 v1.5).
    public static func sign(octets: [UInt8], with key: PrivateKey) throws(CryptoError)
        -> AuthPayload {
        let algorithmID: [UInt8]
        let md: OpaquePointer?
        switch key.algorithm {
        case .ed25519: algorithmID = AlgorithmID.ed25519; md = nil
        case .ecdsaP256: algorithmID = AlgorithmID.ecdsaWithSHA256; md = EVP_sha256()
        case .ecdsaP384: algorithmID = AlgorithmID.ecdsaWithSHA384; md = EVP_sha384()
        case .rsa: algorithmID = AlgorithmID.sha256WithRSAEncryption; md = EVP_sha256()
        }
        let signature = try digestSign(key.pkey, md: md, octets)
        return AuthPayload(method: .digitalSignature,
                           data: [UInt8(algorithmID.count)] + algorithmID + signature)
    }

    /// Verifies a signature AUTH payload against `octets` with the peer's key. The
    /// algorithm must fit the key type; unknown methods, algorithms or malformed data
    /// return false.
    public static func verify(_ auth: AuthPayload, octets: [UInt8], with key: PublicKey) -> Bool {
        defer { OSSL.drainErrors() }
        switch auth.method {
        case .digitalSignature:
            return verifyDigitalSignature(auth.data, octets: octets, key: key)
        case .ecdsaSHA256P256:
            // RFC 4754 section 7: r | s, 32 octets each, SHA-256, P-256 keys only.
            guard key.algorithm == .ecdsaP256, auth.data.count == 64,
                  let der = ecdsaDER(r: auth.data[0..<32], s: auth.data[32..<64])
            else { return false }
            return digestVerify(key.pkey, md: EVP_sha256(), signature: der, octets)
        case .ecdsaSHA384P384:
            // RFC 4754 section 7: r | s, 48 octets each, SHA-384, P-384 keys only.
            guard key.algorithm == .ecdsaP384, auth.data.count == 96,
                  let der = ecdsaDER(r: auth.data[0..<48], s: auth.data[48..<96])
            else { return false }
            return digestVerify(key.pkey, md: EVP_sha384(), signature: der, octets)
        case .rsaSignature:
            // RFC 7296 section 3.8: RSASSA-PKCS1-v1_5 with SHA-1.
            guard key.algorithm == .rsa else { return false }
            return digestVerify(key.pkey, md: EVP_sha1(), signature: auth.data, octets)
        default:
            return false
        }
    }

    // MARK: - RFC 7427

    private static func verifyDigitalSignature(_ data: [UInt8], octets: [UInt8],
                                               key: PublicKey) -> Bool {
        guard let length = data.first, length > 0, data.count > 1 + Int(length) else {
            return false
        }
        let aiDER = Array(data[1...Int(length)])
        let signature = Array(data[(1 + Int(length))...])
        guard let algorithm = parseAlgorithmIdentifier(aiDER) else { return false }
        defer { X509_ALGOR_free(algorithm) }
        var object: OpaquePointer?
        var parameterType: Int32 = 0
        var parameter: UnsafeRawPointer?
        X509_ALGOR_get0(&object, &parameterType, &parameter, algorithm)
        let absent = parameterType == V_ASN1_UNDEF
        let absentOrNull = absent || parameterType == V_ASN1_NULL

        switch OBJ_obj2nid(object) {
        case NID_ED25519:
            guard absent, key.algorithm == .ed25519 else { return false }
            return digestVerify(key.pkey, md: nil, signature: signature, octets)
        case NID_ecdsa_with_SHA256, NID_ecdsa_with_SHA384, NID_ecdsa_with_SHA512:
            guard absent, key.algorithm == .ecdsaP256 || key.algorithm == .ecdsaP384 else {
                return false
            }
            return digestVerify(key.pkey, md: digest(for: OBJ_obj2nid(object)),
                                signature: signature, octets)
        case NID_sha256WithRSAEncryption, NID_sha384WithRSAEncryption,
             NID_sha512WithRSAEncryption:
            guard absentOrNull, key.algorithm == .rsa else { return false }
            return digestVerify(key.pkey, md: digest(for: OBJ_obj2nid(object)),
                                signature: signature, octets)
        case NID_rsassaPss:
            guard key.algorithm == .rsa, parameterType == V_ASN1_SEQUENCE, let parameter,
                  let pss = PSSParameters(sequence: parameter)
            else { return false }
            return digestVerify(key.pkey, md: pss.md, signature: signature, octets) { ctx in
                EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) == 1
                    && EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, pss.mgf1MD) == 1
                    && EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, pss.saltLength) == 1
            }
        default:
            return false
        }
    }

    /// DER-parses an AlgorithmIdentifier; the whole input must be consumed.
    static func parseAlgorithmIdentifier(_ der: [UInt8]) -> UnsafeMutablePointer<X509_ALGOR>? {
        der.withUnsafeBufferPointer { buf -> UnsafeMutablePointer<X509_ALGOR>? in
            var p = buf.baseAddress
            guard let algorithm = d2i_X509_ALGOR(nil, &p, buf.count) else { return nil }
            guard let p, let base = buf.baseAddress, p - base == buf.count else {
                X509_ALGOR_free(algorithm)
                return nil
            }
            return algorithm
        }
    }

    /// SHA-2 digest for a signature or hash algorithm NID; nil for anything else.
    static func digest(for nid: Int32) -> OpaquePointer? {
        switch nid {
        case NID_ecdsa_with_SHA256, NID_sha256WithRSAEncryption, NID_sha256: return EVP_sha256()
        case NID_ecdsa_with_SHA384, NID_sha384WithRSAEncryption, NID_sha384: return EVP_sha384()
        case NID_ecdsa_with_SHA512, NID_sha512WithRSAEncryption, NID_sha512: return EVP_sha512()
        default: return nil
        }
    }

    /// RSASSA-PSS-params (RFC 4055 section 3.1), restricted to SHA-2 and MGF1 with SHA-2.
    /// Both encodings with and without an explicit trailerField (= 1) are accepted.
    struct PSSParameters {
        var md: OpaquePointer
        var mgf1MD: OpaquePointer
        var saltLength: Int32

        init?(sequence: UnsafeRawPointer) {
            let string = sequence.assumingMemoryBound(to: ASN1_STRING.self)
            guard let params = Self.decode(string, d2i_RSA_PSS_PARAMS) else { return nil }
            defer { RSA_PSS_PARAMS_free(params) }
            let p = params.pointee
            // hashAlgorithm and MGF1's hash have SHA-1 defaults, which IKE must not use.
            guard let hashAlgorithm = p.hashAlgorithm, let maskGen = p.maskGenAlgorithm,
                  let md = Self.hash(hashAlgorithm)
            else { return nil }
            var mgfObject: OpaquePointer?
            var mgfType: Int32 = 0
            var mgfParameter: UnsafeRawPointer?
            X509_ALGOR_get0(&mgfObject, &mgfType, &mgfParameter, maskGen)
            guard OBJ_obj2nid(mgfObject) == NID_mgf1, mgfType == V_ASN1_SEQUENCE,
                  let mgfParameter,
                  let mgfHash = Self.decode(mgfParameter.assumingMemoryBound(to: ASN1_STRING.self),
                                            d2i_X509_ALGOR)
            else { return nil }
            defer { X509_ALGOR_free(mgfHash) }
            guard let mgf1MD = Self.hash(mgfHash) else { return nil }
            var salt: Int = 20
            if let s = p.saltLength { salt = ASN1_INTEGER_get(s) }
            if let t = p.trailerField, ASN1_INTEGER_get(t) != 1 { return nil }
            guard salt >= 0, salt <= 1024 else { return nil }
            self.md = md
            self.mgf1MD = mgf1MD
            saltLength = Int32(salt)
        }

        /// d2i of the contents of an ASN1_STRING (a SEQUENCE parameter), fully consumed.
        static func decode<T>(
            _ string: UnsafePointer<ASN1_STRING>,
            _ d2i: (UnsafeMutablePointer<T?>?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?,
                    Int) -> T?
        ) -> T? {
            guard let bytes = ASN1_STRING_get0_data(string) else { return nil }
            let length = Int(ASN1_STRING_length(string))
            var p: UnsafePointer<UInt8>? = bytes
            guard let value = d2i(nil, &p, length), let end = p, end - bytes == length else {
                return nil
            }
            return value
        }

        static func hash(_ algorithm: UnsafePointer<X509_ALGOR>) -> OpaquePointer? {
            var object: OpaquePointer?
            var type: Int32 = 0
            var parameter: UnsafeRawPointer?
            X509_ALGOR_get0(&object, &type, &parameter, algorithm)
            guard type == V_ASN1_UNDEF || type == V_ASN1_NULL else { return nil }
            return SignatureAuth.digest(for: OBJ_obj2nid(object))
        }
    }

    // MARK: - EVP

    private static func digestSign(_ pkey: OpaquePointer, md: OpaquePointer?,
                                   _ octets: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard let ctx = EVP_MD_CTX_new() else { throw OSSL.failure("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestSignInit(ctx, nil, md, nil, pkey) == 1 else {
            throw OSSL.failure("EVP_DigestSignInit")
        }
        var length = 0
        guard EVP_DigestSign(ctx, nil, &length, octets, octets.count) == 1 else {
            throw OSSL.failure("EVP_DigestSign")
        }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(ctx, &signature, &length, octets, octets.count) == 1 else {
            throw OSSL.failure("EVP_DigestSign")
        }
        return Array(signature[0..<length])
    }

    private static func digestVerify(
        _ pkey: OpaquePointer, md: OpaquePointer?, signature: [UInt8], _ octets: [UInt8],
        configure: (OpaquePointer) -> Bool = { _ in true }
    ) -> Bool {
        guard !signature.isEmpty, let ctx = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(ctx) }
        var pctx: OpaquePointer?
        guard EVP_DigestVerifyInit(ctx, &pctx, md, nil, pkey) == 1, let pctx,
              configure(pctx)
        else { return false }
        return EVP_DigestVerify(ctx, signature, signature.count, octets, octets.count) == 1
    }

    /// r | s (RFC 4754) to a DER Ecdsa-Sig-Value.
    static func ecdsaDER(r: ArraySlice<UInt8>, s: ArraySlice<UInt8>) -> [UInt8]? {
        guard let sig = ECDSA_SIG_new() else { return nil }
        defer { ECDSA_SIG_free(sig) }
        let rBN = Array(r).withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32($0.count), nil) }
        let sBN = Array(s).withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32($0.count), nil) }
        guard let rBN, let sBN, ECDSA_SIG_set0(sig, rBN, sBN) == 1 else {
            BN_free(rBN)
            BN_free(sBN)
            return nil
        }
        let length = i2d_ECDSA_SIG(sig, nil)
        guard length > 0 else { return nil }
        var out = [UInt8](repeating: 0, count: Int(length))
        let written = out.withUnsafeMutableBufferPointer { buf -> Int32 in
            var p = buf.baseAddress
            return i2d_ECDSA_SIG(sig, &p)
        }
        return written == length ? out : nil
    }
}
