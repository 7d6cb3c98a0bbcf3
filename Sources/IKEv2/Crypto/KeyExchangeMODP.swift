import COpenSSL

/// MODP Diffie-Hellman (RFC 7296 section 3.4): groups 2 (RFC 2409 section 6.2, legacy),
/// 5 (RFC 3526 section 2, legacy), 14, 15 and 16 (RFC 3526 sections 3-5). KE data and
/// g^ir are left-padded to the prime length (RFC 7296 sections 2.14 and 3.4).
///
/// The peer's y is checked with the quick check 1 < y < p-1 (RFC 6989 section 2.1; the
/// groups are safe primes), not OpenSSL's full y^q check.
final class MODPKeyExchange: KeyExchange, @unchecked Sendable {
    /// One MODP group: its number, prime length and how OpenSSL knows it.
    struct Parameters: Sendable {
        let group: UInt16
        let length: Int
        /// OpenSSL's name for the group, or nil when it is built from `prime`.
        let name: StaticString?
        let prime: [UInt8]?

        static func forGroup(_ group: UInt16) -> Parameters? {
            switch group {
            case DHGroup.modp1024:
                return Parameters(group: group, length: 128, name: nil,
                                  prime: MODPLegacyGroups.modp1024Prime)
            case DHGroup.modp1536:
                return Parameters(group: group, length: 192, name: "modp_1536", prime: nil)
            case DHGroup.modp2048:
                return Parameters(group: group, length: 256, name: "modp_2048", prime: nil)
            case DHGroup.modp3072:
                return Parameters(group: group, length: 384, name: "modp_3072", prime: nil)
            case DHGroup.modp4096:
                return Parameters(group: group, length: 512, name: "modp_4096", prime: nil)
            default: return nil
            }
        }

        /// Pushes the domain parameters: the group name, or p and g = 2.
        func push(_ bld: OpaquePointer, keep: inout [OpaquePointer]) -> Bool {
            if let name {
                return OSSL_PARAM_BLD_push_utf8_string(bld, OSSL.cString("group"),
                                                       OSSL.cString(name), 0) == 1
            }
            guard let p = prime.flatMap({ BN_bin2bn($0, Int32($0.count), nil) }),
                  let g = BN_new()
            else { return false }
            keep += [p, g]
            return BN_set_word(g, 2) == 1
                && OSSL_PARAM_BLD_push_BN(bld, OSSL.cString("p"), p) == 1
                && OSSL_PARAM_BLD_push_BN(bld, OSSL.cString("g"), g) == 1
        }
    }

    let parameters: Parameters
    var group: UInt16 { parameters.group }
    let publicValue: [UInt8]
    private let pkey: OpaquePointer

    /// A fresh key pair in `group`.
    init(group: UInt16) throws(CryptoError) {
        guard let parameters = Parameters.forGroup(group) else {
            throw .unsupported("key exchange group \(group)")
        }
        self.parameters = parameters
        if let name = parameters.name {
            pkey = try EVPKeys.generate(type: "DH", group: name)
        } else {
            let domain = try EVPKeys.fromData(type: "DH", selection: Self.domainSelection) {
                bld, keep in parameters.push(bld, keep: &keep)
            }
            defer { EVP_PKEY_free(domain) }
            pkey = try EVPKeys.generate(from: domain)
        }
        do {
            publicValue = try Self.exportPublic(pkey, length: parameters.length)
        } catch {
            EVP_PKEY_free(pkey)
            throw error
        }
    }

    /// A key pair from a known private exponent, for known-answer tests only. The public
    /// value g^x mod p is computed here (OpenSSL does not derive it on import).
    init(group: UInt16, privateKey: [UInt8]) throws(CryptoError) {
        guard let parameters = Parameters.forGroup(group) else {
            throw .unsupported("key exchange group \(group)")
        }
        self.parameters = parameters
        // The domain parameters, to read p and g back whichever way they were given.
        let domain = try EVPKeys.fromData(type: "DH", selection: Self.domainSelection) {
            bld, keep in parameters.push(bld, keep: &keep)
        }
        defer { EVP_PKEY_free(domain) }
        var p: OpaquePointer?, g: OpaquePointer?
        guard EVP_PKEY_get_bn_param(domain, OSSL.cString("p"), &p) == 1,
              EVP_PKEY_get_bn_param(domain, OSSL.cString("g"), &g) == 1,
              let p, let g, let x = BN_bin2bn(privateKey, Int32(privateKey.count), nil),
              let y = BN_new(), let bnctx = BN_CTX_new()
        else { throw OSSL.failure("MODP parameters") }
        defer { BN_free(p); BN_free(g); BN_clear_free(x); BN_free(y); BN_CTX_free(bnctx) }
        guard BN_mod_exp(y, g, x, p, bnctx) == 1 else { throw OSSL.failure("BN_mod_exp") }
        pkey = try EVPKeys.fromData(
            type: "DH",
            selection: Int32(OSSL_KEYMGMT_SELECT_ALL_PARAMETERS | OSSL_KEYMGMT_SELECT_KEYPAIR)
        ) { bld, keep in
            parameters.push(bld, keep: &keep)
                && OSSL_PARAM_BLD_push_BN(bld, OSSL.cString("priv"), x) == 1
                && OSSL_PARAM_BLD_push_BN(bld, OSSL.cString("pub"), y) == 1
        }
        do {
            publicValue = try Self.exportPublic(pkey, length: parameters.length)
        } catch {
            EVP_PKEY_free(pkey)
            throw error
        }
    }

    deinit { EVP_PKEY_free(pkey) }

    static let domainSelection = Int32(OSSL_KEYMGMT_SELECT_ALL_PARAMETERS)

    private static func exportPublic(_ pkey: OpaquePointer,
                                     length: Int) throws(CryptoError) -> [UInt8] {
        var bn: OpaquePointer?
        guard EVP_PKEY_get_bn_param(pkey, OSSL.cString("pub"), &bn) == 1, let bn else {
            throw OSSL.failure("EVP_PKEY_get_bn_param(pub)")
        }
        defer { BN_free(bn) }
        var out = [UInt8](repeating: 0, count: length)
        guard BN_bn2binpad(bn, &out, Int32(length)) == Int32(length) else {
            throw OSSL.failure("BN_bn2binpad")
        }
        return out
    }

    func sharedSecret(peerPublicValue: [UInt8]) throws(CryptoError) -> SecretBytes {
        let length = parameters.length
        guard peerPublicValue.count == length else {
            throw .invalidPublicValue(
                "MODP group \(group) needs \(length) octets, got \(peerPublicValue.count)")
        }
        guard let bn = BN_bin2bn(peerPublicValue, Int32(length), nil) else {
            throw OSSL.failure("BN_bin2bn")
        }
        defer { BN_free(bn) }
        let peer = try EVPKeys.fromData(
            type: "DH",
            selection: Int32(OSSL_KEYMGMT_SELECT_ALL_PARAMETERS | OSSL_KEYMGMT_SELECT_PUBLIC_KEY)
        ) { bld, keep in
            parameters.push(bld, keep: &keep)
                && OSSL_PARAM_BLD_push_BN(bld, OSSL.cString("pub"), bn) == 1
        }
        defer { EVP_PKEY_free(peer) }
        guard let check = EVP_PKEY_CTX_new_from_pkey(nil, peer, nil) else {
            throw OSSL.failure("EVP_PKEY_CTX_new_from_pkey")
        }
        defer { EVP_PKEY_CTX_free(check) }
        guard EVP_PKEY_public_check_quick(check) == 1 else {
            OSSL.drainErrors()
            throw .invalidPublicValue("MODP group \(group) value not in 1 < y < p-1")
        }
        return try EVPKeys.derive(own: pkey, peer: peer, pad: true, length: length)
    }
}
