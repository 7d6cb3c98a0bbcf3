import Testing
@testable import IKEv2

/// One hand-built payload per type (generic header included, Next Payload 0), decoded
/// field by field and re-encoded byte for byte (RFC 7296 section 3).
extension WireTests {
    @Suite struct PayloadFixtures {
        /// Decodes, checks the value, and checks the re-encoding equals the fixture.
        func check(_ bytes: [UInt8], as type: PayloadType, expect: Payload) throws {
            let decoded = try decodeSingle(bytes, as: type)
            #expect(decoded == expect)
            #expect(MessageCodec.encodePayloads([decoded]) == bytes)
        }

        @Test func anESPProposalWithSPIAndTLVAttributeDecodes() throws {
            let bytes = fixture("""
                00 00 0035           # SA: Next 0, C 0, Length 53
                00 00 0031           # last proposal, Proposal Length 49
                01 03 04 03          # Num 1, ESP (3), SPI Size 4, 3 transforms
                c1a9656b             # SPI
                03 00 000c 01 00 0014 800e 0080   # ENCR_AES_GCM_16, Key Length 128 (TV)
                03 00 0011 05 00 0000             # ESN none; Length 17 with a TLV attribute:
                0123 0005 aabbccddee              #   TLV type 0x123, length 5, value
                00 00 0008 04 00 0013             # DH 19 (PFS)
                """)
            try check(bytes, as: .sa, expect: .sa(SAPayload(proposals: [
                Proposal(number: 1, protocolID: .esp, spi: [0xc1, 0xa9, 0x65, 0x6b], transforms: [
                    Transform(type: .encr, id: EncrID.aesGCM16, attributes: [
                        .tv(type: TransformAttributeType.keyLength, value: 128),
                    ]),
                    Transform(type: .esn, id: ESNID.no, attributes: [
                        .tlv(type: 0x123, value: [0xaa, 0xbb, 0xcc, 0xdd, 0xee]),
                    ]),
                    Transform(type: .dh, id: DHGroup.ecp256),
                ]),
            ])))
        }

        @Test func aKEPayloadKeepsGroupAndData() throws {
            let bytes = fixture("""
                00 00 000c           # KE: Length 12
                000e 0000            # DH Group Num 14, RESERVED
                deadbeef             # Key Exchange Data (truncated for the fixture)
                """)
            try check(bytes, as: .ke,
                      expect: .ke(KEPayload(group: 14, data: [0xde, 0xad, 0xbe, 0xef])))
        }

        @Test func IDiAndIDrPayloadsDecode() throws {
            let idi = fixture("""
                00 00 000c           # IDi: Length 12
                02 000000            # ID Type ID_FQDN (2), RESERVED
                77657374             # "west"
                """)
            try check(idi, as: .idi, expect: .idi(IDPayload(type: .fqdn, data: Array("west".utf8))))
            let idr = fixture("""
                00 00 000c           # IDr: Length 12
                01 000000            # ID_IPV4_ADDR (1), RESERVED
                c0000201             # 192.0.2.1
                """)
            try check(idr, as: .idr, expect: .idr(IDPayload(type: .ipv4Addr, data: [192, 0, 2, 1])))
        }

        @Test func CERTAndCERTREQPayloadsDecode() throws {
            let cert = fixture("""
                00 00 0008           # CERT: Length 8
                0f                   # Cert Encoding: Raw Public Key (15, RFC 7670)
                302a03               # Certificate Data (start of a DER SPKI)
                """)
            try check(cert, as: .cert,
                      expect: .cert(CertPayload(encoding: .rawPublicKey, data: [0x30, 0x2a, 0x03])))
            let certreq = fixture("""
                00 00 0019           # CERTREQ: Length 25
                04                   # X.509 Certificate - Signature
                0123456789abcdef0123456789abcdef01234567   # SHA-1 of a trust anchor SPKI
                """)
            try check(certreq, as: .certreq, expect: .certreq(CertReqPayload(
                encoding: .x509Signature, authority: Array(certreq[5...]))))
            let empty = fixture("00 00 0005  04   # CERTREQ with no authorities")
            try check(empty, as: .certreq,
                      expect: .certreq(CertReqPayload(encoding: .x509Signature, authority: [])))
        }

        @Test func anAUTHPayloadDecodes() throws {
            let bytes = fixture("""
                00 00 000c           # AUTH: Length 12
                02 000000            # Shared Key Message Integrity Code (2), RESERVED
                01020304             # Authentication Data
                """)
            try check(bytes, as: .auth,
                      expect: .auth(AuthPayload(method: .sharedKeyMIC, data: [1, 2, 3, 4])))
        }

        @Test func aNonceMustHoldSixteenToTwoHundredFiftySixOctets() throws {
            let sixteen = fixture("00 00 0014  000102030405060708090a0b0c0d0e0f  # 16 octets")
            try check(sixteen, as: .nonce, expect: .nonce(NoncePayload(data: Array(0..<16))))
            let max = [0, 0, 0x01, 0x04] + [UInt8](repeating: 7, count: 256)
            try check(max, as: .nonce, expect: .nonce(NoncePayload(data: Array(max[4...]))))

            let fifteen = fixture("00 00 0013  000102030405060708090a0b0c0d0e  # 15 octets")
            let e1 = wireError { () throws(WireError) in try decodeSingle(fifteen, as: .nonce) }
            #expect(e1?.code == .invalidSyntax)
            #expect(e1?.offset == 4)
            let tooLong = [0, 0, 0x01, 0x05] + [UInt8](repeating: 7, count: 257)
            let e2 = wireError { () throws(WireError) in try decodeSingle(tooLong, as: .nonce) }
            #expect(e2?.code == .invalidSyntax)
        }

        @Test func aNotifyWithSPIAndDataDecodes() throws {
            let bytes = fixture("""
                00 00 000e           # N: Length 14
                03 04 4009           # Protocol ESP (3), SPI Size 4, REKEY_SA (16393)
                c1a9656b             # SPI of the child SA being rekeyed
                beef                 # Notification Data
                """)
            try check(bytes, as: .notify, expect: .notify(NotifyPayload(
                type: .rekeySA, data: [0xbe, 0xef], protocolID: .esp,
                spi: [0xc1, 0xa9, 0x65, 0x6b])))
            let short = fixture("00 00 000a  03 04 4009 c1a9   # SPI Size 4, 2 SPI octets")
            let e = wireError { () throws(WireError) in try decodeSingle(short, as: .notify) }
            #expect(e?.code == .invalidLength)
        }

        @Test func deletePayloadsCheckCountTimesSize() throws {
            let esp = fixture("""
                00 00 0010           # D: Length 16
                03 04 0002           # Protocol ESP, SPI Size 4, Num of SPIs 2
                aaaaaaaa bbbbbbbb    # SPIs
                """)
            try check(esp, as: .delete, expect: .delete(DeletePayload(
                protocolID: .esp, spiSize: 4,
                spis: [[0xaa, 0xaa, 0xaa, 0xaa], [0xbb, 0xbb, 0xbb, 0xbb]])))
            let ike = fixture("00 00 0008  01 00 0000   # D: IKE, SPI Size 0, no SPIs")
            try check(ike, as: .delete,
                      expect: .delete(DeletePayload(protocolID: .ike, spiSize: 0, spis: [])))

            let mismatch = fixture("00 00 000c  03 04 0002 aaaaaaaa   # says 2 SPIs, has 1")
            let e1 = wireError { () throws(WireError) in try decodeSingle(mismatch, as: .delete) }
            #expect(e1?.code == .invalidLength)
            #expect(e1?.offset == 6)
            let sizeZero = fixture("00 00 0008  03 00 0003   # 3 SPIs of size 0")
            let e2 = wireError { () throws(WireError) in try decodeSingle(sizeZero, as: .delete) }
            #expect(e2?.code == .invalidSyntax)
        }

        @Test func aVendorIDAndAnEAPPayloadStayOpaque() throws {
            let vid = fixture("00 00 0007  4f4531   # V: Length 7, 3 octets")
            try check(vid, as: .vendorID,
                      expect: .vendorID(VendorIDPayload(data: [0x4f, 0x45, 0x31])))
            let eap = fixture("""
                00 00 0009           # EAP: Length 9
                01 07 0005 01        # EAP Request, Identifier 7, Length 5, Type Identity
                """)
            try check(eap, as: .eap, expect: .eap(EAPPayload(message: [1, 7, 0, 5, 1])))
        }

        @Test func TSiAndTSrWithIPv4AndIPv6SelectorsDecode() throws {
            let bytes = fixture("""
                00 00 0040           # TSi: Length 64
                02 000000            # Number of TSs 2, RESERVED
                07 00 0010           # TS_IPV4_ADDR_RANGE, any protocol, Selector Length 16
                0000 ffff            # ports 0-65535
                0a000000 0a0000ff    # 10.0.0.0 - 10.0.0.255
                08 06 0028           # TS_IPV6_ADDR_RANGE, TCP (6), Selector Length 40
                01bb 01bb            # port 443 only
                20010db8000000000000000000000000   # 2001:db8::
                20010db8ffffffffffffffffffffffff   # 2001:db8:ffff:...
                """)
            let v4 = TrafficSelector(type: .ipv4AddrRange, ipProtocol: 0, startPort: 0,
                                     endPort: 65535, startAddress: [10, 0, 0, 0],
                                     endAddress: [10, 0, 0, 255])
            let v6 = TrafficSelector(type: .ipv6AddrRange, ipProtocol: 6, startPort: 443,
                                     endPort: 443, startAddress: Array(bytes[32..<48]),
                                     endAddress: Array(bytes[48..<64]))
            try check(bytes, as: .tsi, expect: .tsi(TSPayload(selectors: [v4, v6])))
            var tsr = bytes
            tsr[0] = 0
            try check(tsr, as: .tsr, expect: .tsr(TSPayload(selectors: [v4, v6])))
        }

        @Test func malformedTrafficSelectorsAreRejected() {
            let unknownType = fixture("""
                00 00 0018  01 000000   # TSi, 1 selector
                09 00 0010 0000 ffff 0a000000 0a0000ff   # TS Type 9 (unknown)
                """)
            let e1 = wireError { () throws(WireError) in try decodeSingle(unknownType, as: .tsi) }
            #expect(e1?.code == .invalidSyntax)
            #expect(e1?.offset == 8)
            let badLength = fixture("""
                00 00 0018  01 000000
                07 00 0014 0000 ffff 0a000000 0a0000ff   # IPv4 with Selector Length 20
                """)
            let e2 = wireError { () throws(WireError) in try decodeSingle(badLength, as: .tsi) }
            #expect(e2?.code == .invalidLength)
            let badCount = fixture("""
                00 00 0018  02 000000   # says 2 selectors
                07 00 0010 0000 ffff 0a000000 0a0000ff   # one present
                """)
            let e3 = wireError { () throws(WireError) in try decodeSingle(badCount, as: .tsi) }
            #expect(e3?.code == .invalidSyntax)
        }

        @Test func aCPRequestAndReplyDecode() throws {
            let request = fixture("""
                00 00 0010           # CP: Length 16
                01 000000            # CFG_REQUEST (1), RESERVED
                0001 0000            # INTERNAL_IP4_ADDRESS, Length 0
                0003 0000            # INTERNAL_IP4_DNS, Length 0
                """)
            try check(request, as: .cp, expect: .cp(ConfigPayload(cfgType: 1, attributes: [
                ConfigAttribute(type: 1, value: []), ConfigAttribute(type: 3, value: []),
            ])))
            let reply = fixture("""
                00 00 0010           # CP: Length 16
                02 000000            # CFG_REPLY (2)
                0001 0004 0a000005   # INTERNAL_IP4_ADDRESS = 10.0.0.5
                """)
            try check(reply, as: .cp, expect: .cp(ConfigPayload(cfgType: 2, attributes: [
                ConfigAttribute(type: 1, value: [10, 0, 0, 5]),
            ])))
        }

        @Test func anSKPayloadKeepsItsFirstInnerTypeAndBody() throws {
            let bytes = fixture("""
                24 00 000c           # SK: Next Payload IDr (36) = first inner payload, Length 12
                0102030405060708     # IV | ciphertext | ICV, kept opaque
                """)
            try check(bytes, as: .sk, expect: .sk(EncryptedPayload(
                firstPayload: .idr, body: [1, 2, 3, 4, 5, 6, 7, 8])))
        }

        @Test func SKFFragmentNumbersMustLieWithinTheTotal() throws {
            let first = fixture("""
                23 00 000c           # SKF: Next Payload IDi (35), Length 12
                0001 0003            # Fragment 1 of 3
                aabbccdd             # IV | ciphertext | ICV
                """)
            try check(first, as: .skf, expect: .skf(EncryptedFragmentPayload(
                firstPayload: .idi, fragmentNumber: 1, totalFragments: 3,
                body: [0xaa, 0xbb, 0xcc, 0xdd])))
            for bad in ["0000 0003", "0004 0003", "0001 0000", "0000 0000"] {
                let bytes = fixture("00 00 000c " + bad + " aabbccdd")
                let e = wireError { () throws(WireError) in try decodeSingle(bytes, as: .skf) }
                #expect(e?.code == .invalidSyntax, "\(bad)")
                #expect(e?.offset == 4)
            }
            let short = fixture("00 00 0006 0001   # SKF without Total Fragments")
            let e = wireError { () throws(WireError) in try decodeSingle(short, as: .skf) }
            #expect(e?.code == .invalidLength)
        }

        @Test func anIDPayloadTooShortForItsHeaderIsRejected() {
            let bytes = fixture("00 00 0007  01 0000   # IDi body of 3 octets")
            let e = wireError { () throws(WireError) in try decodeSingle(bytes, as: .idi) }
            #expect(e?.code == .invalidLength)
        }

        @Test func proposalAndTransformStructureIsChecked() {
            func saError(_ body: String) -> WireError? {
                let bytes = fixture(body)
                return wireError { () throws(WireError) in try decodeSingle(bytes, as: .sa) }
            }
            // Last Substruc 1 is neither 0 nor 2.
            var e = saError("00 00 0014  01 00 0010 01 01 00 01  00 00 0008 04 00 0013")
            #expect(e?.code == .invalidSyntax)
            #expect(e?.offset == 4)
            // Num Transforms 2, one transform present.
            e = saError("00 00 0014  00 00 0010 01 01 00 02  00 00 0008 04 00 0013")
            #expect(e?.code == .invalidSyntax)
            #expect(e?.offset == 11)
            // Transform Last Substruc 3 on the last transform.
            e = saError("00 00 0014  00 00 0010 01 01 00 01  03 00 0008 04 00 0013")
            #expect(e?.code == .invalidSyntax)
            // Proposal says "last" but another follows.
            e = saError("""
                00 00 0024
                00 00 0010 01 01 00 01  00 00 0008 04 00 0013
                00 00 0010 02 01 00 01  00 00 0008 04 00 0013
                """)
            #expect(e?.code == .invalidSyntax)
            // Proposal says "more" but none follows.
            e = saError("00 00 0014  02 00 0010 01 01 00 01  00 00 0008 04 00 0013")
            #expect(e?.code == .invalidSyntax)
            // ESP with SPI Size 8.
            e = saError("00 00 001c  00 00 0018 01 03 08 01 0102030405060708 00 00 0008 04 00 0013")
            #expect(e?.code == .invalidSyntax)
            #expect(e?.offset == 10)
            // Proposal Length 6 is below the 8-octet minimum.
            e = saError("00 00 000a  00 00 0006 0101")
            #expect(e?.code == .invalidLength)
            // Proposal Length past the payload.
            e = saError("00 00 0014  00 00 0020 01 01 00 01  00 00 0008 04 00 0013")
            #expect(e?.code == .invalidLength)
            // TLV attribute whose length runs past the transform.
            e = saError("00 00 0018  00 00 0014 01 01 00 01  00 00 000c 01 00 000c 0001 0009")
            #expect(e?.code == .invalidLength)
            // An SA payload with no proposals.
            e = saError("00 00 0004")
            #expect(e?.code == .invalidSyntax)
        }

        @Test func payloadLengthsBelowFourOrPastTheEndAreRejected() {
            let tiny = fixture("00 00 0003")
            let e1 = wireError { () throws(WireError) in try decodeSingle(tiny, as: .vendorID) }
            #expect(e1?.code == .invalidLength)
            #expect(e1?.offset == 2)
            let long = fixture("00 00 0009 aabbcc   # Length 9, 7 octets present")
            let e2 = wireError { () throws(WireError) in try decodeSingle(long, as: .vendorID) }
            #expect(e2?.code == .invalidLength)
            let trailing = fixture("00 00 0005 aa bb   # Next 0 but one octet follows")
            let e3 = wireError { () throws(WireError) in try decodeSingle(trailing, as: .vendorID) }
            #expect(e3?.code == .invalidLength)
            #expect(e3?.offset == 5)
            let headerOnly = fixture("00 00   # two octets of a generic header")
            let e4 = wireError { () throws(WireError) in
                try decodeSingle(headerOnly, as: .vendorID)
            }
            #expect(e4?.code == .invalidLength)
        }

        @Test func theCriticalBitOnAKnownPayloadIsIgnoredAndSentAsZero() throws {
            let critical = fixture("00 80 0007 4f4531   # V with C=1")
            let decoded = try decodeSingle(critical, as: .vendorID)
            #expect(decoded == .vendorID(VendorIDPayload(data: [0x4f, 0x45, 0x31])))
            #expect(MessageCodec.encodePayloads([decoded]) == fixture("00 00 0007 4f4531"))
        }

        @Test func encodeBodyGivesTheIDPayloadBodyForAUTH() {
            let id = Payload.idi(IDPayload(type: .fqdn, data: Array("west".utf8)))
            #expect(MessageCodec.encodeBody(id) == fixture("02 000000 77657374"))
        }
    }
}
