import Testing
@testable import IKEv2

/// Project Wycheproof AEAD, MAC and key agreement vectors (shared/vectors/crypto/wycheproof)
/// through EncryptionSuite, PRF, Integrity and the KeyExchange types. `valid` vectors
/// must give the stated output, `invalid` ones must be rejected, `acceptable` ones are
/// decided explicitly per flag; vectors outside what IKEv2 can express are skipped with
/// the reason recorded and counted.
@Suite struct CryptoWycheproofTests {
    // MARK: - AEAD

    /// Runs one AEAD file. IKEv2 nonces are salt | 8-octet IV (RFC 5282 section 4,
    /// RFC 7634 section 2), so only groups whose nonce is salt + 8 octets apply; the salt
    /// is split off the nonce into the keying material.
    static func aead(_ file: String, icvIDs: [Int: UInt16], salt: Int) throws -> VectorTally {
        let (total, groups) = try Vectors.wycheproof(file)
        var t = VectorTally()
        for g in groups {
            let tests = g["tests"] as? [[String: Any]] ?? []
            let ivBits = g.int("ivSize"), tagBits = g.int("tagSize"), keyBits = g.int("keySize")
            guard ivBits == (salt + 8) * 8 else {
                for _ in tests {
                    t.skip("nonce of \(ivBits) bits: IKEv2 uses \((salt + 8) * 8)")
                }
                continue
            }
            guard let id = icvIDs[tagBits / 8] else {
                for _ in tests { t.skip("\(tagBits)-bit tag has no IKEv2 transform") }
                continue
            }
            let suite = try EncryptionSuite(encr: id, keyBits: UInt16(keyBits), integ: 0)
            for v in tests {
                let result = v.string("result"), tc = "tcId \(v.int("tcId"))"
                let nonce = v.hex("iv")
                let keymat = SecretBytes(v.hex("key") + nonce[0..<salt])
                let iv = Array(nonce[salt...])
                let aad = v.hex("aad"), msg = v.hex("msg")
                let sealedExpected = v.hex("ct") + v.hex("tag")
                let opened = try? suite.decrypt(keymat: keymat, iv: iv, aad: aad,
                                                ciphertext: sealedExpected)
                switch result {
                case "valid":
                    let sealed = try suite.encrypt(keymat: keymat, iv: iv, aad: aad,
                                                   plaintext: msg)
                    t.check(sealed == sealedExpected && opened == msg, tc)
                case "invalid":
                    t.check(opened == nil, tc)
                default:
                    t.check(false, "\(tc): unexpected result \(result)")
                }
            }
        }
        #expect(t.run + t.skippedCount == total)
        return t
    }

    @Test func aesGCM() throws {
        let t = try Self.aead("aes_gcm_test.json",
                              icvIDs: [8: EncrID.aesGCM8, 12: EncrID.aesGCM12,
                                       16: EncrID.aesGCM16], salt: 4)
        // 316 tests; only the 96-bit-nonce groups (197 vectors, 3 key sizes) are IKE.
        // Skipped: 119 vectors with nonces of 0-2056 bits other than 96.
        t.expectComplete(total: 316, skips: 119)
        #expect(t.skipped.keys.allSatisfy { $0.hasPrefix("nonce of") })
    }

    @Test func aesCCM() throws {
        let t = try Self.aead("aes_ccm_test.json",
                              icvIDs: [8: EncrID.aesCCM8, 12: EncrID.aesCCM12,
                                       16: EncrID.aesCCM16], salt: 3)
        // Only the 88-bit nonce groups (3-octet salt | 8-octet IV, 16-octet tag) are IKE:
        // 18 vectors. All others have 56-2144-bit nonces.
        t.expectComplete(total: 552, skips: 534)
        #expect(t.skipped.keys.allSatisfy { $0.hasPrefix("nonce of") })
    }

    @Test func chaCha20Poly1305() throws {
        let t = try Self.aead("chacha20_poly1305_test.json",
                              icvIDs: [16: EncrID.chacha20Poly1305], salt: 4)
        // 9 invalid vectors with nonces other than 96 bits cannot be expressed in IKEv2.
        t.expectComplete(total: 325, skips: 9)
    }

    // MARK: - MAC

    /// HMAC files through the PRF (full output) and, where the key fits, the INTEG
    /// transform (truncated output, RFC 4868 section 2.1 / RFC 2404).
    static func hmac(_ file: String, prf prfID: UInt16, integ integIDs: [UInt16]) throws
        -> VectorTally {
        let (total, groups) = try Vectors.wycheproof(file)
        let prf = try PRF(id: prfID)
        let integs = try integIDs.map { id throws(CryptoError) in try Integrity(id: id) }
        var t = VectorTally()
        for g in groups {
            let tagBytes = g.int("tagSize") / 8
            for v in g["tests"] as? [[String: Any]] ?? [] {
                let tc = "tcId \(v.int("tcId"))"
                let key = v.hex("key"), msg = v.hex("msg"), tag = v.hex("tag")
                let out = prf.compute(key: key, msg)
                let matches = Array(out.prefix(tagBytes)) == tag
                var ok = v.string("result") == "valid" ? matches : !matches
                if v.string("result") == "acceptable" { ok = false }
                for integ in integs where integ.keyLength == key.count {
                    let icv = try integ.icv(key: SecretBytes(key), msg)
                    ok = ok && icv == Array(out.prefix(integ.icvLength))
                    if integ.icvLength == tagBytes, v.string("result") == "valid" {
                        ok = ok && icv == tag
                    }
                }
                t.check(ok, tc)
            }
        }
        #expect(t.run + t.skippedCount == total)
        return t
    }

    @Test func hmacSHA1() throws {
        let t = try Self.hmac("hmac_sha1_test.json", prf: PRFID.hmacSHA1,
                              integ: [IntegID.hmacSHA1_96, IntegID.hmacSHA1_160])
        t.expectComplete(total: 170, skips: 0)
    }

    @Test func hmacSHA256() throws {
        let t = try Self.hmac("hmac_sha256_test.json", prf: PRFID.hmacSHA2_256,
                              integ: [IntegID.hmacSHA2_256_128])
        t.expectComplete(total: 174, skips: 0)
    }

    @Test func hmacSHA384() throws {
        let t = try Self.hmac("hmac_sha384_test.json", prf: PRFID.hmacSHA2_384,
                              integ: [IntegID.hmacSHA2_384_192])
        t.expectComplete(total: 174, skips: 0)
    }

    @Test func hmacSHA512() throws {
        let t = try Self.hmac("hmac_sha512_test.json", prf: PRFID.hmacSHA2_512,
                              integ: [IntegID.hmacSHA2_512_256])
        t.expectComplete(total: 174, skips: 0)
    }

    /// AES-CMAC through PRF_AES128_CMAC and AUTH_AES_CMAC_96. Only 128-bit keys apply:
    /// PRF_AES128_CMAC reduces any other key length with AES-CMAC under a zero key
    /// (RFC 4615 section 3), so AES-192/256-CMAC and the invalid-key-size vectors are a
    /// different function.
    @Test func aesCMAC() throws {
        let (total, groups) = try Vectors.wycheproof("aes_cmac_test.json")
        let prf = try PRF(id: PRFID.aes128CMAC)
        let integ = try Integrity(id: IntegID.aesCMAC96)
        var t = VectorTally()
        for g in groups {
            for v in g["tests"] as? [[String: Any]] ?? [] {
                guard g.int("keySize") == 128, g.int("tagSize") == 128 else {
                    t.skip("AES-\(g.int("keySize"))-CMAC is not an IKEv2 transform")
                    continue
                }
                let key = v.hex("key"), msg = v.hex("msg"), tag = v.hex("tag")
                let out = prf.compute(key: key, msg)
                let icv = try integ.icv(key: SecretBytes(key), msg)
                let valid = v.string("result") == "valid"
                t.check(icv == Array(out.prefix(12))
                        && (valid ? out == tag : out != tag), "tcId \(v.int("tcId"))")
            }
        }
        // 102 vectors with 128-bit keys run; 192/256-bit keys (204) and odd key sizes (5)
        // are skipped.
        t.expectComplete(total: total, skips: 209)
    }

    // MARK: - Key exchange

    /// X25519 (group 31). Wycheproof's `acceptable` vectors: those flagged
    /// ZeroSharedSecret must be REJECTED (RFC 8031 section 2.3 requires IKEv2 to check
    /// for the all-zero value); the rest (twist points, non-canonical u) are computed as
    /// RFC 7748 says and must give the stated secret.
    @Test func x25519() throws {
        let (total, groups) = try Vectors.wycheproof("x25519_test.json")
        var t = VectorTally()
        var zeroRejected = 0
        for g in groups {
            for v in g["tests"] as? [[String: Any]] ?? [] {
                let tc = "tcId \(v.int("tcId"))"
                let flags = v["flags"] as? [String] ?? []
                let kex = try KeyExchanges.make(group: DHGroup.curve25519,
                                                privateKey: v.hex("private"))
                let shared = try? kex.sharedSecret(peerPublicValue: v.hex("public"))
                if flags.contains("ZeroSharedSecret") {
                    t.check(shared == nil, tc)
                    zeroRejected += 1
                } else if v.string("result") == "invalid" {
                    t.check(shared == nil, tc)
                } else {
                    t.check(shared?.revealed() == v.hex("shared"), tc)
                }
            }
        }
        #expect(zeroRejected > 0)
        t.expectComplete(total: total, skips: 0)
    }

    /// ECDH with raw points (groups 19/20/21). IKEv2 KE data is x | y (RFC 5903 section
    /// 7): uncompressed points are fed without their 0x04 octet; any other encoding
    /// cannot appear in a KE payload, so it is fed as is and must be rejected when the
    /// vector is invalid, and skipped when valid/acceptable (compressed points).
    static func ecpoint(_ file: String, group: UInt16, coordinate: Int) throws
        -> VectorTally {
        let (total, groups) = try Vectors.wycheproof(file)
        var t = VectorTally()
        for g in groups {
            for v in g["tests"] as? [[String: Any]] ?? [] {
                let tc = "tcId \(v.int("tcId"))"
                let point = v.hex("public"), result = v.string("result")
                let uncompressed = point.count == 1 + 2 * coordinate && point.first == 4
                if !uncompressed && result != "invalid" {
                    t.skip("point encoding \(point.first.map { String($0) } ?? "empty") "
                           + "cannot be carried in a KE payload")
                    continue
                }
                let kex = try KeyExchanges.make(group: group, privateKey: v.hex("private"))
                let data = uncompressed ? Array(point.dropFirst()) : point
                let shared = try? kex.sharedSecret(peerPublicValue: data)
                switch result {
                case "valid": t.check(shared?.revealed() == v.hex("shared"), tc)
                case "invalid": t.check(shared == nil, tc)
                default: t.check(false, "\(tc): acceptable uncompressed point")
                }
            }
        }
        #expect(t.run + t.skippedCount == total)
        return t
    }

    @Test func ecdhP256Points() throws {
        let t = try Self.ecpoint("ecdh_secp256r1_ecpoint_test.json", group: DHGroup.ecp256,
                                 coordinate: 32)
        t.expectComplete(total: 355, skips: 1)          // 1 compressed point (acceptable)
    }

    @Test func ecdhP384Points() throws {
        let t = try Self.ecpoint("ecdh_secp384r1_ecpoint_test.json", group: DHGroup.ecp384,
                                 coordinate: 48)
        t.expectComplete(total: 790, skips: 1)
    }

    @Test func ecdhP521Points() throws {
        let t = try Self.ecpoint("ecdh_secp521r1_ecpoint_test.json", group: DHGroup.ecp521,
                                 coordinate: 66)
        t.expectComplete(total: 661, skips: 1)
    }

    /// ECDH P-256 with SPKI-encoded public keys, converted to KE data by a test-only
    /// import (`ECPKeyExchange.keyExchangeData(fromSPKI:)`). A vector is rejected if the
    /// SPKI does not parse to a named P-256 key or the KE layer refuses the point.
    /// `acceptable`: InvalidAsn (BER quirks), CompressedPoint and UnnamedCurve (explicit
    /// parameters): whichever way the import decides, an accepted key must give the
    /// stated secret, and unnamed curves must be rejected (IKEv2 group 19 is P-256 only).
    @Test func ecdhP256SPKI() throws {
        let (total, groups) = try Vectors.wycheproof("ecdh_secp256r1_test.json")
        var t = VectorTally()
        var acceptableAccepted = 0, acceptableRejected = 0
        for g in groups {
            for v in g["tests"] as? [[String: Any]] ?? [] {
                let tc = "tcId \(v.int("tcId"))"
                let flags = v["flags"] as? [String] ?? []
                let kex = try KeyExchanges.make(group: DHGroup.ecp256,
                                                privateKey: v.hex("private"))
                let shared = (try? ECPKeyExchange.keyExchangeData(
                    fromSPKI: v.hex("public"), group: DHGroup.ecp256))
                    .flatMap { try? kex.sharedSecret(peerPublicValue: $0) }
                switch v.string("result") {
                case "valid":
                    t.check(shared?.revealed() == v.hex("shared"), tc)
                case "invalid":
                    t.check(shared == nil, tc)
                default:
                    if flags.contains("UnnamedCurve") {
                        t.check(shared == nil, tc)
                    } else {
                        t.check(shared == nil || shared?.revealed() == v.hex("shared"), tc)
                    }
                    if shared == nil { acceptableRejected += 1 } else { acceptableAccepted += 1 }
                }
            }
        }
        #expect(acceptableAccepted + acceptableRejected == 230)
        t.expectComplete(total: total, skips: 0)
    }
}
