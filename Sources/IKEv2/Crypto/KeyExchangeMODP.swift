import COpenSSL

/// MODP-2048 Diffie-Hellman, group 14 (RFC 3526 section 3) via OpenSSL's "modp_2048".
///
/// The peer's y is checked with the quick check 1 < y < p-1 (RFC 6989 section 2.1; the
/// group is a safe prime), not OpenSSL's full y^q check.
final class MODPKeyExchange: KeyExchange, @unchecked Sendable {
    static let length = 256
    let group = DHGroup.modp2048
    let publicValue: [UInt8]
    private let pkey: OpaquePointer

    init() throws(CryptoError) {
        pkey = try EVPKeys.generate(type: "DH", group: "modp_2048")
        var bn: OpaquePointer?
        guard EVP_PKEY_get_bn_param(pkey, OSSL.cString("pub"), &bn) == 1, let bn else {
            EVP_PKEY_free(pkey)
            throw OSSL.failure("EVP_PKEY_get_bn_param(pub)")
        }
        defer { BN_free(bn) }
        var out = [UInt8](repeating: 0, count: Self.length)
        guard BN_bn2binpad(bn, &out, Int32(Self.length)) == Int32(Self.length) else {
            EVP_PKEY_free(pkey)
            throw OSSL.failure("BN_bn2binpad")
        }
        publicValue = out
    }

    deinit { EVP_PKEY_free(pkey) }

    func sharedSecret(peerPublicValue: [UInt8]) throws(CryptoError) -> SecretBytes {
        guard peerPublicValue.count == Self.length else {
            throw .invalidPublicValue("MODP-2048 needs 256 octets, got \(peerPublicValue.count)")
        }
        guard let bn = BN_bin2bn(peerPublicValue, Int32(Self.length), nil) else {
            throw OSSL.failure("BN_bin2bn")
        }
        defer { BN_free(bn) }
        let peer = try EVPKeys.fromPublicData(type: "DH", group: "modp_2048") { bld in
            OSSL_PARAM_BLD_push_BN(bld, OSSL.cString("pub"), bn) == 1
        }
        defer { EVP_PKEY_free(peer) }
        guard let check = EVP_PKEY_CTX_new_from_pkey(nil, peer, nil) else {
            throw OSSL.failure("EVP_PKEY_CTX_new_from_pkey")
        }
        defer { EVP_PKEY_CTX_free(check) }
        guard EVP_PKEY_public_check_quick(check) == 1 else {
            OSSL.drainErrors()
            throw .invalidPublicValue("MODP-2048 value not in 1 < y < p-1")
        }
        return try EVPKeys.derive(own: pkey, peer: peer, pad: true, length: Self.length)
    }
}
