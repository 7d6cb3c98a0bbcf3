import COpenSSL

/// EVP_PKEY plumbing shared by the key exchanges and the signature keys (internal).
enum EVPKeys {
    /// Generates a key of `type` ("DH", "EC", "ED25519"), optionally in a named group.
    static func generate(type: StaticString, group: StaticString?) throws(CryptoError)
        -> OpaquePointer {
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, OSSL.cString(type), nil) else {
            throw OSSL.failure("EVP_PKEY_CTX_new_from_name")
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_keygen_init(ctx) == 1 else { throw OSSL.failure("EVP_PKEY_keygen_init") }
        if let group {
            guard EVP_PKEY_CTX_set_group_name(ctx, OSSL.cString(group)) == 1 else {
                throw OSSL.failure("EVP_PKEY_CTX_set_group_name")
            }
        }
        var pkey: OpaquePointer?
        guard EVP_PKEY_generate(ctx, &pkey) == 1, let pkey else {
            throw OSSL.failure("EVP_PKEY_generate")
        }
        return pkey
    }

    /// Generates a key pair in the domain of `template` (explicit DH parameters).
    static func generate(from template: OpaquePointer) throws(CryptoError) -> OpaquePointer {
        guard let ctx = EVP_PKEY_CTX_new_from_pkey(nil, template, nil) else {
            throw OSSL.failure("EVP_PKEY_CTX_new_from_pkey")
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        var pkey: OpaquePointer?
        guard EVP_PKEY_keygen_init(ctx) == 1, EVP_PKEY_generate(ctx, &pkey) == 1, let pkey else {
            throw OSSL.failure("EVP_PKEY_generate")
        }
        return pkey
    }

    /// Builds a key of `type` from OSSL_PARAMs pushed by `push`, which may append BIGNUMs
    /// to `keep`: the builder holds raw pointers to them, so they are freed only after
    /// the import. A rejected import throws `.invalidPublicValue`.
    static func fromData(
        type: StaticString, selection: Int32,
        _ push: (OpaquePointer, inout [OpaquePointer]) -> Bool
    ) throws(CryptoError) -> OpaquePointer {
        guard let bld = OSSL_PARAM_BLD_new() else { throw OSSL.failure("OSSL_PARAM_BLD_new") }
        var keep = [OpaquePointer]()
        defer {
            OSSL_PARAM_BLD_free(bld)
            for bn in keep { BN_clear_free(bn) }
        }
        guard push(bld, &keep), let params = OSSL_PARAM_BLD_to_param(bld) else {
            throw OSSL.failure("OSSL_PARAM_BLD")
        }
        defer { OSSL_PARAM_free(params) }
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, OSSL.cString(type), nil) else {
            throw OSSL.failure("EVP_PKEY_CTX_new_from_name")
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        var pkey: OpaquePointer?
        guard EVP_PKEY_fromdata_init(ctx) == 1,
              EVP_PKEY_fromdata(ctx, &pkey, selection, params) == 1, let pkey
        else {
            let reason = OSSL.drainErrors() ?? "rejected"
            throw .invalidPublicValue("import: \(reason)")
        }
        return pkey
    }

    /// Derives the shared secret between `own` (private) and `peer`, exactly `length`
    /// octets. `pad` keeps leading zeros for DH (RFC 7296 section 2.14). The peer has
    /// already been validated by the caller, so OpenSSL's own peer check is skipped.
    static func derive(own: OpaquePointer, peer: OpaquePointer, pad: Bool,
                       length: Int) throws(CryptoError) -> SecretBytes {
        guard let ctx = EVP_PKEY_CTX_new_from_pkey(nil, own, nil) else {
            throw OSSL.failure("EVP_PKEY_CTX_new_from_pkey")
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_derive_init(ctx) == 1 else { throw OSSL.failure("EVP_PKEY_derive_init") }
        if pad, EVP_PKEY_CTX_set_dh_pad(ctx, 1) != 1 {
            throw OSSL.failure("EVP_PKEY_CTX_set_dh_pad")
        }
        guard EVP_PKEY_derive_set_peer_ex(ctx, peer, 0) == 1 else {
            throw .invalidPublicValue("derive_set_peer: \(OSSL.drainErrors() ?? "rejected")")
        }
        let out = SecretBytes(count: length)
        var written = length
        let ok = out.withUnsafeMutableBytes {
            EVP_PKEY_derive(ctx, $0.baseAddress!.assumingMemoryBound(to: UInt8.self), &written)
        }
        guard ok == 1 else { throw OSSL.failure("EVP_PKEY_derive") }
        guard written == length else { throw .library("derive returned \(written) octets") }
        return out
    }
}
