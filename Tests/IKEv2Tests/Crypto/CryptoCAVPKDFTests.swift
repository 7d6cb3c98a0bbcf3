import Testing
@testable import IKEv2

/// NIST CAVP SP 800-135 IKEv2 KDF answers (shared/vectors/kdf/nist-cavp-ikev2.fax).
@Suite struct CryptoCAVPKDFTests {
    struct Vector {
        var prfID: UInt16
        var dkmBits: Int
        var childBits: Int
        var fields: [String: [UInt8]]
    }

    static func loadVectors() throws -> [Vector] {
        let text = try CryptoTestSupport.read("vectors/kdf/nist-cavp-ikev2.fax")
        var vectors = [Vector]()
        var prfID: UInt16 = 0
        var dkmBits = 0
        var childBits = 0
        var current: [String: [UInt8]]?
        func flush() {
            if let c = current {
                vectors.append(Vector(prfID: prfID, dkmBits: dkmBits, childBits: childBits,
                                      fields: c))
            }
            current = nil
        }
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[") {
                flush()
                let inner = line.dropFirst().dropLast()
                switch inner {
                case "SHA-1": prfID = PRFID.hmacSHA1
                case "SHA-256": prfID = PRFID.hmacSHA2_256
                case "SHA-384": prfID = PRFID.hmacSHA2_384
                case "SHA-512": prfID = PRFID.hmacSHA2_512
                default:
                    let parts = inner.split(separator: "=").map {
                        $0.trimmingCharacters(in: .whitespaces)
                    }
                    if parts.count == 2, let n = Int(parts[1]) {
                        if parts[0] == "DKM length" { dkmBits = n }
                        if parts[0] == "Child SA DKM length" { childBits = n }
                    }
                }
                continue
            }
            let parts = line.split(separator: "=", maxSplits: 1).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard parts.count == 2 else { continue }
            if parts[0] == "COUNT" { flush(); current = [:]; continue }
            current?[parts[0]] = unhex(parts[1])
        }
        flush()
        return vectors
    }

    @Test func allVectorsPass() throws {
        let vectors = try Self.loadVectors()
        #expect(vectors.count == 900)
        var passed = 0
        var byPRF = [UInt16: Int]()
        for v in vectors {
            let f = v.fields
            guard let ni = f["Ni"], let nr = f["Nr"], let gir = f["g^ir"],
                  let girNew = f["g^ir (new)"], let spiI = f["SPIi"], let spiR = f["SPIr"],
                  let skeyseedExpected = f["SKEYSEED"], let dkmExpected = f["DKM"],
                  let childExpected = f["DKM(Child SA)"],
                  let childDHExpected = f["DKM(Child SA D-H)"],
                  let rekeyExpected = f["SKEYSEED(Rekey)"]
            else {
                Issue.record("vector with missing fields")
                continue
            }
            let prf = try PRF(id: v.prfID)
            #expect(dkmExpected.count * 8 == v.dkmBits)
            #expect(childExpected.count * 8 == v.childBits)

            let skeyseed = KeyDerivation.skeyseed(prf: prf, ni: ni, nr: nr,
                                                  sharedSecret: SecretBytes(gir))
            var seed = ni + nr + spiI + spiR
            let dkm = prf.plus(key: skeyseed, seed: seed, length: v.dkmBits / 8)
            let skD = dkm.slice(0..<prf.outputLength)
            let child = prf.plus(key: skD, seed: ni + nr, length: v.childBits / 8)
            let childDH = KeyDerivation.childSAKeys(
                prf: prf, skD: skD, ni: ni, nr: nr, sharedSecret: SecretBytes(girNew),
                encrKeyLength: v.childBits / 8 / 2, integKeyLength: 0)
            let rekey = KeyDerivation.rekeySkeyseed(prf: prf, oldSkD: skD,
                                                    sharedSecret: SecretBytes(girNew),
                                                    ni: ni, nr: nr)
            // ikeSAKeys must cut the same stream: SK_d first, the rest in order.
            let spiIValue = spiI.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let spiRValue = spiR.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let keys = KeyDerivation.ikeSAKeys(prf: prf, skeyseed: skeyseed, ni: ni, nr: nr,
                                               spiI: spiIValue, spiR: spiRValue,
                                               encrKeyLength: 16, integKeyLength: 0)
            seed.removeAll()
            let ok = skeyseed.revealed() == skeyseedExpected
                && dkm.revealed() == dkmExpected
                && child.revealed() == childExpected
                && (childDH.encrI.revealed() + childDH.encrR.revealed()) == childDHExpected
                && rekey.revealed() == rekeyExpected
                && keys.skD.revealed() == Array(dkmExpected[0..<prf.outputLength])
                && keys.skEi.revealed()
                    == Array(dkmExpected[prf.outputLength..<prf.outputLength + 16])
            #expect(ok, "CAVP vector failed (PRF \(v.prfID))")
            if ok {
                passed += 1
                byPRF[v.prfID, default: 0] += 1
            }
        }
        #expect(passed == vectors.count)
        #expect(byPRF.count == 4, "all four PRFs covered: \(byPRF)")
    }

    @Test func prfPlusLimit() throws {
        let prf = try PRF(id: PRFID.hmacSHA2_256)
        let out = prf.plus(key: SecretBytes([1, 2, 3]), seed: [9], length: 255 * 32)
        #expect(out.count == 255 * 32)
        #expect(prf.plus(key: SecretBytes([1]), seed: [], length: 0).count == 0)
        #expect(throws: CryptoError.self) { try PRF(id: 1) }             // PRF_HMAC_MD5
        // The AES PRFs give 16-octet blocks (RFC 4434, RFC 4615).
        let xcbc = try PRF(id: PRFID.aes128XCBC)
        #expect(xcbc.plus(key: SecretBytes([1]), seed: [2], length: 255 * 16).count == 255 * 16)
    }
}
