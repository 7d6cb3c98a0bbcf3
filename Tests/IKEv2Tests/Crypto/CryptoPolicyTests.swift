import Testing
@testable import IKEv2

/// RFC 8247 classification and the proposal keywords for every transform.
@Suite struct CryptoPolicyTests {
    @Test func levels() {
        #expect(AlgorithmPolicy.level(type: .encr, id: EncrID.aesCBC) == .must)
        #expect(AlgorithmPolicy.level(type: .encr, id: EncrID.des3) == .may)
        #expect(AlgorithmPolicy.level(type: .encr, id: 2) == .mustNot)
        #expect(AlgorithmPolicy.level(type: .prf, id: PRFID.hmacSHA1) == .mustMinus)
        #expect(AlgorithmPolicy.level(type: .integ, id: 1) == .mustNot)
        #expect(AlgorithmPolicy.level(type: .dh, id: DHGroup.modp1024) == .shouldNot)
        #expect(AlgorithmPolicy.level(type: .dh, id: 1) == .mustNot)
        for (type, id) in [(TransformType.dh, DHGroup.modp1024), (.dh, DHGroup.modp1536),
                           (.encr, EncrID.des3), (.dh, 1), (.prf, 1)] {
            #expect(AlgorithmPolicy.isDeprecated(type: type, id: id), "\(type) \(id)")
        }
        for (type, id) in [(TransformType.dh, DHGroup.modp2048), (.dh, DHGroup.curve25519),
                           (.encr, EncrID.aesCTR), (.integ, IntegID.hmacSHA1_96),
                           (.prf, PRFID.aes128CMAC), (.encr, EncrID.aesCCM12)] {
            #expect(!AlgorithmPolicy.isDeprecated(type: type, id: id), "\(type) \(id)")
        }
        // Nothing offered by default is deprecated.
        for g in KeyExchanges.supported {
            #expect(!AlgorithmPolicy.isDeprecated(type: .dh, id: g))
        }
    }

    /// Every keyword parses to a transform the Crypto layer implements.
    @Test func everyKeywordIsImplemented() throws {
        for (token, e) in ProposalSpec.encrTokens {
            let integ = EncryptionSuite.aeadIDs.contains(e.id) ? IntegID.none
                : IntegID.hmacSHA2_256_128
            #expect(throws: Never.self, "\(token)") {
                try EncryptionSuite(encr: e.id, keyBits: e.keyBits, integ: integ)
            }
        }
        for (token, id) in ProposalSpec.integTokens {
            #expect(throws: Never.self, "\(token)") { try Integrity(id: id) }
        }
        for (token, id) in ProposalSpec.prfTokens {
            #expect(throws: Never.self, "\(token)") { try PRF(id: id) }
        }
        for (token, id) in ProposalSpec.dhTokens {
            #expect(KeyExchanges.implemented.contains(id), "\(token)")
        }
        #expect(Set(ProposalSpec.dhTokens.values) == Set(KeyExchanges.implemented))
        #expect(Set(ProposalSpec.integTokens.values) == Set(Integrity.implemented))
        #expect(Set(ProposalSpec.prfTokens.values) == Set(PRF.implemented))
    }

    @Test func strongSwanSpellings() throws {
        let ike = try ProposalSpec(parsing: "3des-sha1-modp1024", forESP: false)
        #expect(ike.encr == [.init(id: EncrID.des3, keyBits: nil)])
        #expect(ike.integ == [IntegID.hmacSHA1_96] && ike.prf == [PRFID.hmacSHA1])
        #expect(ike.dh == [DHGroup.modp1024] && ike.usesDeprecatedAlgorithms)
        #expect(ike.description == "3des-sha1-prfsha1-modp1024")

        let ctr = try ProposalSpec(parsing: "aes192ctr-aesxcbc-prfaescmac-ecp521", forESP: false)
        #expect(ctr.encr == [.init(id: EncrID.aesCTR, keyBits: 192)])
        #expect(ctr.integ == [IntegID.aesXCBC96] && ctr.prf == [PRFID.aes128CMAC])
        #expect(ctr.dh == [DHGroup.ecp521] && !ctr.usesDeprecatedAlgorithms)
        #expect(ctr.description == "aes192ctr-aesxcbc-prfaescmac-ecp521")

        let ccm = try ProposalSpec(parsing: "aes256ccm12-aes128gcm8-prfsha384-ecp384-modp3072",
                                   forESP: false)
        #expect(ccm.encr == [.init(id: EncrID.aesCCM12, keyBits: 256),
                             .init(id: EncrID.aesGCM8, keyBits: 128)])
        #expect(ccm.integ.isEmpty && ccm.dh == [DHGroup.ecp384, DHGroup.modp3072])
        #expect(ccm.description == "aes256ccm12-aes128gcm8-prfsha384-ecp384-modp3072")
        #expect(try ProposalSpec(parsing: "aes128ccm96-prfsha256-x25519", forESP: false).encr
                == [.init(id: EncrID.aesCCM12, keyBits: 128)])

        let implied = try ProposalSpec(parsing: "aes128-aescmac-modp1536", forESP: false)
        #expect(implied.prf == [PRFID.aes128CMAC] && implied.usesDeprecatedAlgorithms)
        let esp = try ProposalSpec(parsing: "aes256ctr-sha1_160-modp4096", forESP: true)
        #expect(esp.integ == [IntegID.hmacSHA1_160] && !esp.usesDeprecatedAlgorithms)
        #expect(!(try ProposalSpec(parsing: "aes256gcm16-prfsha256-x25519", forESP: false))
            .usesDeprecatedAlgorithms)
    }
}
