import COpenSSL

/// ECP Diffie-Hellman over the NIST prime curves (RFC 5903): groups 19 (P-256),
/// 20 (P-384) and 21 (P-521). KE data is x | y, each coordinate left-padded to the field
/// size, without the 0x04 prefix (section 7); the shared secret is the x coordinate of
/// the product (section 7).
///
/// OpenSSL's import rejects points not on the curve; the point at infinity cannot be
/// expressed as x | y. The curves have cofactor 1, so no further check is needed.
final class ECPKeyExchange: KeyExchange, @unchecked Sendable {
    /// One ECP group: its number, curve and coordinate length.
    struct Parameters: Sendable {
        let group: UInt16
        let curve: StaticString
        let nid: Int32
        let coordinate: Int

        static func forGroup(_ group: UInt16) -> Parameters? {
            switch group {
            case DHGroup.ecp256:
                return Parameters(group: group, curve: "P-256", nid: NID_X9_62_prime256v1,
                                  coordinate: 32)
            case DHGroup.ecp384:
                return Parameters(group: group, curve: "P-384", nid: NID_secp384r1,
                                  coordinate: 48)
            case DHGroup.ecp521:
                return Parameters(group: group, curve: "P-521", nid: NID_secp521r1,
                                  coordinate: 66)
            default: return nil
            }
        }
    }

    let parameters: Parameters
    var group: UInt16 { parameters.group }
    let publicValue: [UInt8]
    private let pkey: OpaquePointer

    /// A fresh key pair in `group` (19, 20 or 21).
    init(group: UInt16 = DHGroup.ecp256) throws(CryptoError) {
        guard let parameters = Parameters.forGroup(group) else {
            throw .unsupported("key exchange group \(group)")
        }
        self.parameters = parameters
        pkey = try EVPKeys.generate(type: "EC", group: parameters.curve)
        do {
            publicValue = try Self.exportPublic(pkey, parameters)
        } catch {
            EVP_PKEY_free(pkey)
            throw error
        }
    }

    /// A key pair from a known private scalar (big-endian), for known-answer tests only.
    init(group: UInt16, privateKey: [UInt8]) throws(CryptoError) {
        guard let parameters = Parameters.forGroup(group) else {
            throw .unsupported("key exchange group \(group)")
        }
        self.parameters = parameters
        guard let ecGroup = EC_GROUP_new_by_curve_name(parameters.nid) else {
            throw OSSL.failure("EC_GROUP_new_by_curve_name")
        }
        defer { EC_GROUP_free(ecGroup) }
        guard let d = BN_bin2bn(privateKey, Int32(privateKey.count), nil),
              let point = EC_POINT_new(ecGroup)
        else { throw OSSL.failure("BN_bin2bn") }
        defer { BN_clear_free(d); EC_POINT_free(point) }
        var encoded = [UInt8](repeating: 0, count: 1 + 2 * parameters.coordinate)
        guard EC_POINT_mul(ecGroup, point, d, nil, nil, nil) == 1,
              EC_POINT_point2oct(ecGroup, point, POINT_CONVERSION_UNCOMPRESSED, &encoded,
                                 encoded.count, nil) == encoded.count
        else { throw OSSL.failure("EC_POINT_mul") }
        pkey = try encoded.withUnsafeBufferPointer { pub throws(CryptoError) in
            try EVPKeys.fromData(
                type: "EC",
                selection: Int32(OSSL_KEYMGMT_SELECT_ALL_PARAMETERS
                    | OSSL_KEYMGMT_SELECT_KEYPAIR)
            ) { bld, _ in
                OSSL_PARAM_BLD_push_utf8_string(bld, OSSL.cString("group"),
                                                OSSL.cString(parameters.curve), 0) == 1
                    && OSSL_PARAM_BLD_push_BN(bld, OSSL.cString("priv"), d) == 1
                    && OSSL_PARAM_BLD_push_octet_string(bld, OSSL.cString("pub"),
                                                        pub.baseAddress, pub.count) == 1
            }
        }
        publicValue = Array(encoded[1...])
    }

    deinit { EVP_PKEY_free(pkey) }

    /// KE data (x | y) of the P-256/P-384 public key in a DER SubjectPublicKeyInfo, for
    /// tests whose vectors carry SPKIs. Keys on other or unnamed (explicit) curves throw.
    static func keyExchangeData(fromSPKI der: [UInt8], group: UInt16) throws(CryptoError)
        -> [UInt8] {
        let key = try PublicKey(spkiDER: der)
        guard let parameters = Parameters.forGroup(group),
              (key.algorithm == .ecdsaP256 && group == DHGroup.ecp256)
                || (key.algorithm == .ecdsaP384 && group == DHGroup.ecp384)
        else { throw .invalidKey("\(key.algorithm) key is not for group \(group)") }
        // OpenSSL maps explicit parameters that resemble a named curve to its name; only
        // a real named-curve OID identifies the group.
        var explicit: Int32 = 0
        if EVP_PKEY_get_int_param(key.pkey, OSSL.cString("decoded-from-explicit"),
                                  &explicit) == 1, explicit != 0 {
            throw .invalidKey("explicit EC parameters")
        }
        OSSL.drainErrors()
        var out = [UInt8]()
        for name: StaticString in ["qx", "qy"] {
            var bn: OpaquePointer?
            guard EVP_PKEY_get_bn_param(key.pkey, OSSL.cString(name), &bn) == 1, let bn else {
                throw OSSL.failure("EVP_PKEY_get_bn_param(\(name))")
            }
            defer { BN_free(bn) }
            var coordinate = [UInt8](repeating: 0, count: parameters.coordinate)
            guard BN_bn2binpad(bn, &coordinate, Int32(coordinate.count)) == Int32(coordinate.count)
            else { throw OSSL.failure("BN_bn2binpad") }
            out += coordinate
        }
        return out
    }

    private static func exportPublic(_ pkey: OpaquePointer,
                                     _ parameters: Parameters) throws(CryptoError) -> [UInt8] {
        var point = [UInt8](repeating: 0, count: 1 + 2 * parameters.coordinate)
        var len = 0
        guard EVP_PKEY_get_octet_string_param(pkey, OSSL.cString("encoded-pub-key"),
                                              &point, point.count, &len) == 1,
              len == point.count, point[0] == 0x04
        else { throw OSSL.failure("EVP_PKEY_get_octet_string_param(encoded-pub-key)") }
        return Array(point[1...])
    }

    func sharedSecret(peerPublicValue: [UInt8]) throws(CryptoError) -> SecretBytes {
        let coordinate = parameters.coordinate
        guard peerPublicValue.count == 2 * coordinate else {
            throw .invalidPublicValue("ECP group \(group) needs \(2 * coordinate) octets, "
                                      + "got \(peerPublicValue.count)")
        }
        // OSSL_PARAM_BLD keeps the pointer until to_param, so the buffer must outlive it.
        let point = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1 + peerPublicValue.count)
        defer { point.deallocate() }
        point[0] = 0x04
        _ = UnsafeMutableBufferPointer(rebasing: point[1...]).initialize(from: peerPublicValue)
        let curve = parameters.curve
        let peer = try EVPKeys.fromData(
            type: "EC",
            selection: Int32(OSSL_KEYMGMT_SELECT_ALL_PARAMETERS | OSSL_KEYMGMT_SELECT_PUBLIC_KEY)
        ) { bld, _ in
            OSSL_PARAM_BLD_push_utf8_string(bld, OSSL.cString("group"),
                                            OSSL.cString(curve), 0) == 1
                && OSSL_PARAM_BLD_push_octet_string(bld, OSSL.cString("pub"),
                                                    point.baseAddress, point.count) == 1
        }
        defer { EVP_PKEY_free(peer) }
        return try EVPKeys.derive(own: pkey, peer: peer, pad: false, length: coordinate)
    }
}
