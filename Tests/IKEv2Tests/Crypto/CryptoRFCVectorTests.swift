import Testing
@testable import IKEv2

/// RFC known answers from shared/vectors/crypto/pyca (pyca/cryptography's copies of
/// RFC 3686, RFC 2202, RFC 4231 and RFC 7748) and rfc5903-rfc4754.json, through the
/// Crypto types.
@Suite struct CryptoRFCVectorTests {
    /// RFC 3686 AES-CTR. The files' IV is the whole counter block nonce(4) | IV(8) |
    /// 00000001 (RFC 3686 section 4), so ENCR_AES_CTR keying material is key | nonce.
    @Test(arguments: [("aes-128-ctr-rfc3686.txt", UInt16(128)),
                      ("aes-192-ctr-rfc3686.txt", UInt16(192)),
                      ("aes-256-ctr-rfc3686.txt", UInt16(256))])
    func aesCTR(file: String, bits: UInt16) throws {
        let suite = try EncryptionSuite(encr: EncrID.aesCTR, keyBits: bits,
                                        integ: IntegID.hmacSHA2_256_128)
        var t = VectorTally()
        let records = try Vectors.records(file)
        for (n, r) in records.enumerated() {
            let block = unhex(r["IV"] ?? "")
            guard block.count == 16, block[12..<16] == [0, 0, 0, 1] else {
                t.skip("counter block not starting at 1")
                continue
            }
            let keymat = SecretBytes(unhex(r["KEY"] ?? "") + block[0..<4])
            let iv = Array(block[4..<12])
            let plain = unhex(r["PLAINTEXT"] ?? ""), cipher = unhex(r["CIPHERTEXT"] ?? "")
            let c = try suite.encrypt(keymat: keymat, iv: iv, plaintext: plain)
            let p = try suite.decrypt(keymat: keymat, iv: iv, ciphertext: cipher)
            t.check(c == cipher && p == plain, "record \(n)")
        }
        t.expectComplete(total: 3, skips: 0)
    }

    /// RFC 2202 / RFC 4231 HMAC through the PRF, and truncated through the INTEG
    /// transform whenever the key has the transform's key length. RFC 4231 test case 5
    /// lists a 128-bit truncated output; it is compared as a prefix.
    @Test(arguments: [("rfc-2202-sha1.txt", PRFID.hmacSHA1, IntegID.hmacSHA1_96, 7),
                      ("rfc-4231-sha256.txt", PRFID.hmacSHA2_256, IntegID.hmacSHA2_256_128, 6),
                      ("rfc-4231-sha384.txt", PRFID.hmacSHA2_384, IntegID.hmacSHA2_384_192, 6),
                      ("rfc-4231-sha512.txt", PRFID.hmacSHA2_512, IntegID.hmacSHA2_512_256, 6)])
    func hmac(file: String, prfID: UInt16, integID: UInt16, count: Int) throws {
        let prf = try PRF(id: prfID)
        let integ = try Integrity(id: integID)
        var t = VectorTally()
        for (n, r) in try Vectors.records(file).enumerated() {
            let key = unhex(r["KEY"] ?? ""), msg = unhex(r["MSG"] ?? ""), md = unhex(r["MD"] ?? "")
            let out = prf.compute(key: key, msg)
            var ok = !md.isEmpty && Array(out.prefix(md.count)) == md
            if key.count == integ.keyLength {
                let icv = try integ.icv(key: SecretBytes(key), msg)
                ok = ok && icv == Array(out.prefix(integ.icvLength))
            }
            t.check(ok, "record \(n)")
        }
        t.expectComplete(total: count, skips: 0)
    }

    /// RFC 7748 section 5.2: the X25519 function, through the group 31 key exchange.
    @Test func x25519RFC7748() throws {
        var t = VectorTally()
        for r in try Vectors.records("x25519-rfc7748.txt") {
            let kex = try KeyExchanges.make(group: DHGroup.curve25519,
                                            privateKey: unhex(r["INPUT_SCALAR"] ?? ""))
            let out = try kex.sharedSecret(peerPublicValue: unhex(r["INPUT_U"] ?? ""))
            t.check(out.revealed() == unhex(r["OUTPUT_U"] ?? ""), r["COUNT"] ?? "?")
        }
        t.expectComplete(total: 3, skips: 0)
    }

    /// RFC 5903 section 8: group 19 complete (both sides), group 20 from i and g^r. The
    /// RFC 4754 signature entry is covered by CryptoSignatureTests.rfc4754Method9.
    @Test func rfc5903() throws {
        let file = try Vectors.json("rfc5903-rfc4754.json")
        let vectors = try #require(file["vectors"] as? [[String: Any]])
        var t = VectorTally()
        for v in vectors {
            guard let g = v["ikev2_dh_group"] as? Int else {
                t.skip("ECDSA signature vector (CryptoSignatureTests)")
                continue
            }
            let group = UInt16(g)
            let i = try KeyExchanges.make(group: group, privateKey: v.hex("i"))
            let gr = v.hex("ke_payload_data_responder")
            var ok = try i.sharedSecret(peerPublicValue: gr).revealed()
                == v.hex("shared_secret_g_ir")
            if v["ke_payload_data_initiator"] != nil {
                ok = ok && i.publicValue == v.hex("ke_payload_data_initiator")
                let r = try KeyExchanges.make(group: group, privateKey: v.hex("r"))
                let back = try r.sharedSecret(peerPublicValue: i.publicValue).revealed()
                ok = ok && r.publicValue == gr && back == v.hex("shared_secret_g_ir")
            }
            t.check(ok, v.string("id"))
        }
        t.expectComplete(total: vectors.count, skips: 1)
    }
}
