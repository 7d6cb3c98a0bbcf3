import COpenSSL

/// ECP-256 Diffie-Hellman, group 19 (RFC 5903). KE data is x | y (64 octets, no 0x04
/// prefix); the shared secret is the x coordinate of the product (RFC 5903 section 7).
///
/// OpenSSL's import rejects points not on the curve; the point at infinity cannot be
/// expressed in 64 octets. P-256 has cofactor 1, so no further check is needed.
final class ECPKeyExchange: KeyExchange, @unchecked Sendable {
    static let coordinate = 32
    let group = DHGroup.ecp256
    let publicValue: [UInt8]
    private let pkey: OpaquePointer

    init() throws(CryptoError) {
        pkey = try EVPKeys.generate(type: "EC", group: "P-256")
        var point = [UInt8](repeating: 0, count: 1 + 2 * Self.coordinate)
        var len = 0
        guard EVP_PKEY_get_octet_string_param(pkey, OSSL.cString("encoded-pub-key"),
                                              &point, point.count, &len) == 1,
              len == point.count, point[0] == 0x04
        else {
            EVP_PKEY_free(pkey)
            throw OSSL.failure("EVP_PKEY_get_octet_string_param(encoded-pub-key)")
        }
        publicValue = Array(point[1...])
    }

    deinit { EVP_PKEY_free(pkey) }

    func sharedSecret(peerPublicValue: [UInt8]) throws(CryptoError) -> SecretBytes {
        guard peerPublicValue.count == 2 * Self.coordinate else {
            throw .invalidPublicValue("ECP-256 needs 64 octets, got \(peerPublicValue.count)")
        }
        // OSSL_PARAM_BLD keeps the pointer until to_param, so the buffer must outlive it.
        let point = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1 + peerPublicValue.count)
        defer { point.deallocate() }
        point[0] = 0x04
        _ = UnsafeMutableBufferPointer(rebasing: point[1...]).initialize(from: peerPublicValue)
        let peer = try EVPKeys.fromPublicData(type: "EC", group: "P-256") { bld in
            OSSL_PARAM_BLD_push_octet_string(bld, OSSL.cString("pub"), point.baseAddress,
                                             point.count) == 1
        }
        defer { EVP_PKEY_free(peer) }
        return try EVPKeys.derive(own: pkey, peer: peer, pad: false, length: Self.coordinate)
    }
}
