import Testing
@testable import IKEv2

/// shared/vectors/crypto/ike-algorithm-kats.json (strongSwan's IKE-framed vectors): every
/// ENCR, INTEG, PRF, SKEYSEED, prf+ and KE vector through the public Crypto types.
@Suite struct CryptoAlgorithmKATTests {
    /// KE groups in the file that are not part of the RFC 8247 transform set implemented
    /// here: MODP 1 (RFC 8247 MUST NOT), 17/18 (6144/8192), 22-24 (RFC 5114, SHOULD NOT),
    /// ECP 25/26 and Brainpool 28-30 (not in RFC 8247), Curve448 (32).
    static let unimplementedGroups: Set<UInt16> = [1, 17, 18, 22, 23, 24, 25, 26, 28, 29, 30, 32]

    @Test func allVectors() throws {
        let file = try Vectors.json("ike-algorithm-kats.json")
        let vectors = try #require(file["vectors"] as? [[String: Any]])
        #expect(vectors.count == 150)
        var t = VectorTally()
        var byKind = [String: Int]()
        for v in vectors {
            let id = v.string("id")
            let tid = UInt16(v.int("transform_id"))
            byKind[v.string("kind"), default: 0] += 1
            switch v.string("kind") {
            case "encr":
                t.check(try Self.encr(v, tid), id)
            case "integ":
                let integ = try Integrity(id: tid)
                let icv = try integ.icv(key: SecretBytes(v.hex("key")), v.hex("data"))
                t.check(icv == v.hex("icv") && integ.icvLength == v.int("icv_len"), id)
            case "prf":
                let prf = try PRF(id: tid)
                t.check(prf.compute(key: v.hex("key"), v.hex("data")) == v.hex("output"), id)
            case "ikev2_skeyseed":
                // SKEYSEED = prf(Ni | Nr, g^ir); the file gives Ni | Nr as one key.
                let prf = try PRF(id: tid)
                let s = KeyDerivation.skeyseed(prf: prf, ni: v.hex("prf_key"), nr: [],
                                               sharedSecret: SecretBytes(v.hex("prf_data")))
                t.check(s.revealed() == v.hex("output"), id)
            case "ikev2_prf_plus":
                let prf = try PRF(id: tid)
                let out = v.hex("output")
                let s = prf.plus(key: SecretBytes(v.hex("K")), seed: v.hex("S"),
                                 length: out.count)
                t.check(s.revealed() == out, id)
            case "ke":
                if Self.unimplementedGroups.contains(tid) {
                    t.skip("group \(tid) not in the RFC 8247 set implemented")
                    continue
                }
                t.check(try Self.ke(v, tid), id)
            default:
                t.skip("unknown kind")
            }
        }
        #expect(byKind == ["encr": 58, "integ": 22, "prf": 35, "ke": 22, "ikev2_skeyseed": 6,
                           "ikev2_prf_plus": 7])
        t.expectComplete(total: 150, skips: 12)
        #expect(t.skipped.keys.allSatisfy { $0.hasPrefix("group ") })
    }

    static func encr(_ v: [String: Any], _ tid: UInt16) throws -> Bool {
        let suite: EncryptionSuite
        let keymat: [UInt8]
        if EncryptionSuite.aeadIDs.contains(tid) {
            suite = try EncryptionSuite(encr: tid, keyBits: UInt16(v.int("key_bits")), integ: 0)
            keymat = v.hex("keymat")
        } else {
            // A placeholder INTEG transform: these vectors test the cipher alone.
            suite = try EncryptionSuite(encr: tid, keyBits: UInt16(v.int("key_bits")),
                                        integ: IntegID.hmacSHA2_256_128)
            keymat = v["keymat"] == nil ? v.hex("key") : v.hex("keymat")
        }
        let k = SecretBytes(keymat)
        let iv = v.hex("iv"), aad = v.hex("aad"), plain = v.hex("plaintext")
        let expected = suite.isAEAD ? v.hex("ciphertext_and_icv") : v.hex("ciphertext")
        guard keymat.count == suite.encrKeyLength, iv.count == suite.ivLength,
              !suite.isAEAD || suite.icvLength == v.int("icv_len") else { return false }
        let sealed = try suite.encrypt(keymat: k, iv: iv, aad: aad, plaintext: plain)
        let opened = try suite.decrypt(keymat: k, iv: iv, aad: aad, ciphertext: expected)
        guard sealed == expected, opened == plain else { return false }
        if suite.isAEAD {
            // A flipped tag bit must not open.
            var bad = expected
            bad[bad.count - 1] ^= 0x80
            if (try? suite.decrypt(keymat: k, iv: iv, aad: aad, ciphertext: bad)) != nil {
                return false
            }
        }
        return true
    }

    static func ke(_ v: [String: Any], _ group: UInt16) throws -> Bool {
        let i = try KeyExchanges.make(group: group, privateKey: v.hex("private_i"))
        let r = try KeyExchanges.make(group: group, privateKey: v.hex("private_r"))
        let gir = v.hex("shared_secret")
        let si = try i.sharedSecret(peerPublicValue: r.publicValue).revealed()
        let sr = try r.sharedSecret(peerPublicValue: i.publicValue).revealed()
        return i.publicValue == v.hex("public_i") && r.publicValue == v.hex("public_r")
            && si == gir && sr == gir
    }

    /// RFC 7296 section 2.14 for fixed-key PRFs: SKEYSEED is keyed with the first half
    /// of Ni and of Nr, not with Ni | Nr.
    @Test(arguments: [PRFID.aes128XCBC, PRFID.aes128CMAC])
    func skeyseedFixedKeyPRF(id: UInt16) throws {
        let prf = try PRF(id: id)
        #expect(prf.fixedKeyLength == 16 && prf.outputLength == 16)
        let ni = SecureRandom.bytes(32), nr = SecureRandom.bytes(32)
        let g = SecretBytes(SecureRandom.bytes(64))
        let s = KeyDerivation.skeyseed(prf: prf, ni: ni, nr: nr, sharedSecret: g)
        let expected = prf.compute(key: Array(ni[0..<8] + nr[0..<8]), g.revealed())
        #expect(s.revealed() == expected)
        #expect(s.revealed() != prf.compute(key: ni + nr, g.revealed()))
        // Nonces that add up to 16 octets are used whole.
        let s16 = KeyDerivation.skeyseed(prf: prf, ni: Array(ni[0..<8]), nr: Array(nr[0..<8]),
                                         sharedSecret: g)
        #expect(s16 == s)
        // prf+ works with 16-octet blocks.
        let keys = KeyDerivation.ikeSAKeys(prf: prf, skeyseed: s, ni: ni, nr: nr, spiI: 1,
                                           spiR: 2, encrKeyLength: 36, integKeyLength: 0)
        #expect(keys.skD.count == 16 && keys.skEi.count == 36 && keys.skPr.count == 16)
    }
}
