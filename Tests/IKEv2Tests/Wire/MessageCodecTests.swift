import Testing
@testable import IKEv2

extension WireTests {
    /// Whole messages: header, chain rules, error offsets (RFC 7296 sections 2.5, 3.1, 3.2).
    @Suite struct MessageCodecTests {
        static let validMessages = [
            Fixtures.ikeSAInitRequest, Fixtures.ikeAuthRequest, Fixtures.informationalFragment,
        ]

        @Test func anIKESAInitRequestDecodesFieldByField() throws {
            let m = try MessageCodec.decode(Fixtures.ikeSAInitRequest)
            #expect(m.header.spiI == 0x0102_0304_0506_0708)
            #expect(m.header.spiR == 0)
            #expect(m.header.exchangeType == .ikeSAInit)
            #expect(m.header.isInitiator && !m.header.isResponse)
            #expect(m.header.length == 278)
            #expect(m.payloads.map(\.type) == [.sa, .ke, .nonce, .notify, .notify, .notify,
                                               .notify, .vendorID])
            guard case .sa(let sa) = m.payloads[0] else { Issue.record("no SA"); return }
            #expect(sa.proposals.count == 2)
            #expect(sa.proposals[0].transforms.map(\.type) == [.encr, .prf, .integ, .dh])
            #expect(sa.proposals[0].transforms[0].keyLength == 256)
            #expect(sa.proposals[1].transforms[2].id == DHGroup.curve25519)
            #expect(m.notify(.signatureHashAlgorithms)?.data == [0, 2, 0, 3, 0, 4])
            #expect(m.notifies.count == 4)
        }

        @Test func wellFormedMessagesRoundTripByteForByte() throws {
            for bytes in Self.validMessages {
                let m = try MessageCodec.decode(bytes)
                #expect(MessageCodec.encode(m) == bytes)
            }
        }

        @Test func anIKEAuthMessageCarriesSKWithItsFirstInnerPayload() throws {
            let m = try MessageCodec.decode(Fixtures.ikeAuthRequest)
            #expect(m.payloads.count == 1)
            guard case .sk(let sk) = m.payloads.first else { Issue.record("no SK"); return }
            #expect(sk.firstPayload == .idi)
            #expect(sk.body.count == 64)
            #expect(Array(sk.body.prefix(16)) == Array(0..<16))
        }

        @Test func encodeFillsNextPayloadAndLength() throws {
            var m = try MessageCodec.decode(Fixtures.ikeSAInitRequest)
            m.header.nextPayload = .eap
            m.header.length = 1
            #expect(MessageCodec.encode(m) == Fixtures.ikeSAInitRequest)
            let empty = Message(header: IKEHeader(spiI: 1, spiR: 2, exchangeType: .informational,
                                                  isInitiator: true, isResponse: true,
                                                  messageID: 9), payloads: [])
            let bytes = MessageCodec.encode(empty)
            #expect(bytes.count == 28)
            #expect(bytes[16] == 0)
            #expect(try MessageCodec.decode(bytes) == Message(header: {
                var h = empty.header
                h.length = 28
                return h
            }(), payloads: []))
        }

        @Test func everyTruncatedPrefixThrows() {
            for bytes in Self.validMessages {
                for n in 0..<bytes.count {
                    let prefix = Array(bytes.prefix(n))
                    #expect(decodeError(prefix) != nil, "prefix \(n) decoded")
                    // With the Length field patched, the payload checks must catch it too.
                    var patched = prefix
                    fixLength(&patched)
                    if n >= 28 { #expect(decodeError(patched) != nil, "patched prefix \(n)") }
                }
            }
        }

        @Test func errorOffsetsCountFromTheStartOfTheMessage() {
            var bytes = Fixtures.ikeSAInitRequest
            // The Nonce payload starts at 28 + 84 + 40 = 152. Payload Length 19 leaves a
            // 15-octet nonce, reported at the start of the nonce body.
            bytes[152 + 3] = 19
            let e = decodeError(bytes)
            #expect(e?.code == .invalidSyntax)
            #expect(e?.offset == 156)

            var sa = Fixtures.ikeSAInitRequest
            sa[28 + 4] = 1     // first proposal's Last Substruc
            let e2 = decodeError(sa)
            #expect(e2?.code == .invalidSyntax)
            #expect(e2?.offset == 32)
        }

        @Test func majorVersionThreeIsInvalidMajorVersion() {
            var bytes = Fixtures.ikeSAInitRequest
            bytes[17] = 0x30
            let e = decodeError(bytes)
            #expect(e?.code == .invalidMajorVersion)
            #expect(e?.offset == 17)
            bytes[17] = 0x21   // minor version 1 is fine (section 2.5)
            #expect(decodeError(bytes) == nil)
        }

        @Test func aLengthFieldThatDisagreesWithTheDatagramIsInvalidLength() {
            var longer = Fixtures.ikeSAInitRequest
            longer.append(0)
            #expect(decodeError(longer)?.code == .invalidLength)
            #expect(decodeError(longer)?.offset == 24)
            var shorter = Fixtures.ikeSAInitRequest
            shorter[27] -= 1
            #expect(decodeError(shorter)?.code == .invalidLength)
            // Length matches but the chain ends early: octets after the last payload.
            var padded = Fixtures.ikeSAInitRequest + [0, 0, 0, 0]
            fixLength(&padded)
            let e = decodeError(padded)
            #expect(e?.code == .invalidLength)
            #expect(e?.offset == 278)
        }

        @Test func aPayloadAfterSKIsInvalidSyntax() {
            var bytes = Fixtures.ikeAuthRequest + fixture("00 00 0008 01020304  # V after SK")
            fixLength(&bytes)
            let e = decodeError(bytes)
            #expect(e?.code == .invalidSyntax)
            #expect(e?.offset == 96)
            var afterSKF = Fixtures.informationalFragment + fixture("00 00 0004")
            fixLength(&afterSKF)
            #expect(decodeError(afterSKF)?.code == .invalidSyntax)
        }

        @Test func aCriticalUnknownPayloadIsUnsupportedCriticalPayloadWithItsType() {
            var bytes = Fixtures.ikeSAInitRequest
            bytes[278 - 12] = 0x31   // Vendor ID's Next Payload: type 49 (unassigned)
            bytes += fixture("00 80 0006 abcd   # type 49, C=1")
            fixLength(&bytes)
            let e = decodeError(bytes)
            #expect(e?.code == .unsupportedCriticalPayload)
            #expect(e?.payloadType == 49)
            #expect(e?.offset == 278)
        }

        @Test func aNonCriticalUnknownPayloadIsKeptAndRoundTrips() throws {
            var bytes = Fixtures.ikeSAInitRequest
            bytes[278 - 12] = 0x31
            bytes += fixture("28 00 0006 abcd   # type 49, C=0, then a Nonce")
            bytes += fixture("00 00 0014 000102030405060708090a0b0c0d0e0f")
            fixLength(&bytes)
            let m = try MessageCodec.decode(bytes)
            #expect(m.payloads.count == 10)
            #expect(m.payloads[8] == .unknown(UnknownPayload(
                type: PayloadType(rawValue: 49), critical: false, body: [0xab, 0xcd])))
            #expect(m.payloads[9].type == .nonce)
            #expect(MessageCodec.encode(m) == bytes)
        }

        @Test func unknownPayloadsAreReEncodedWithTheirCriticalBit() throws {
            let u = Payload.unknown(UnknownPayload(type: PayloadType(rawValue: 200),
                                                   critical: true, body: [1]))
            #expect(MessageCodec.encodePayloads([u]) == fixture("00 80 0005 01"))
        }

        @Test func payloadsMayComeInAnyOrder() throws {
            let chain = fixture("""
                22 00 0014 000102030405060708090a0b0c0d0e0f   # Nonce, Next KE
                00 00 000a 0002 0000 abcd                     # KE group 2, Next none
                """)
            let payloads = try MessageCodec.decodePayloads(chain[...], firstPayload: .nonce)
            #expect(payloads.map(\.type) == [.nonce, .ke])
            #expect(MessageCodec.encodePayloads(payloads) == chain)
        }

        @Test func decodePayloadsReportsOffsetsFromTheSliceStart() {
            let chain = [0xee, 0xee] + fixture("00 00 0003")
            let e = wireError { () throws(WireError) in
                try MessageCodec.decodePayloads(chain[2...], firstPayload: .vendorID)
            }
            #expect(e?.offset == 2)
        }

        @Test func shortSummaryListsExchangeRoleIDAndPayloads() throws {
            let m = try MessageCodec.decode(Fixtures.ikeSAInitRequest)
            #expect(m.shortSummary == "IKE_SA_INIT request 0 [ SA KE No N(NAT_DETECTION_SOURCE_IP) "
                + "N(NAT_DETECTION_DESTINATION_IP) N(IKEV2_FRAGMENTATION_SUPPORTED) "
                + "N(SIGNATURE_HASH_ALGORITHMS) V ]")
            let f = try MessageCodec.decode(Fixtures.informationalFragment)
            #expect(f.shortSummary == "INFORMATIONAL response 2 [ SKF(1/2) ]")
        }

        @Test func messageRulesAllowOnlyTheIKESAInitPayloadsInTheClear() throws {
            #expect(!MessageRules.requiresEncryption(.ikeSAInit))
            #expect(MessageRules.requiresEncryption(.ikeAuth))
            #expect(MessageRules.requiresEncryption(.createChildSA))
            #expect(MessageRules.requiresEncryption(.informational))
            #expect(MessageRules.requiresEncryption(ExchangeType(rawValue: 43)))
            let m = try MessageCodec.decode(Fixtures.ikeSAInitRequest)
            #expect(m.payloads.allSatisfy(MessageRules.isAllowedInIKESAInit))
            #expect(MessageRules.isAllowedInIKESAInit(.certreq(
                CertReqPayload(encoding: .x509Signature, authority: []))))
            #expect(MessageRules.isAllowedInIKESAInit(.unknown(
                UnknownPayload(type: PayloadType(rawValue: 99), critical: false, body: []))))
            #expect(!MessageRules.isAllowedInIKESAInit(.idi(IDPayload(type: .fqdn, data: []))))
            #expect(!MessageRules.isAllowedInIKESAInit(.auth(
                AuthPayload(method: .sharedKeyMIC, data: []))))
        }
    }
}
