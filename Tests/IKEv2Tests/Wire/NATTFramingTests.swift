import Testing
@testable import IKEv2

extension WireTests {
    /// Port 4500 demultiplexing (RFC 3948 sections 2.2 and 2.3).
    @Suite struct NATTFramingTests {
        @Test func fourZeroOctetsMarkAnIKEMessage() {
            let framed = NATTFraming.frameForNATT(Fixtures.ikeAuthRequest)
            #expect(framed.count == Fixtures.ikeAuthRequest.count + 4)
            #expect(NATTFraming.classify4500(framed[...]) == .ike(Fixtures.ikeAuthRequest[...]))
            guard case .ike(let inner) = NATTFraming.classify4500(framed[...]) else { return }
            #expect(throws: Never.self) { try MessageCodec.decode(inner) }
        }

        @Test func aSingleFFOctetIsAKeepalive() {
            #expect(NATTFraming.classify4500([0xff]) == .keepalive)
            #expect(NATTFraming.classify4500([0xfe]) == .malformed)
        }

        @Test func aNonZeroSPIIsESP() {
            let esp: [UInt8] = [0xac, 0x0f, 0xaf, 0x03, 0, 0, 0, 1]
            #expect(NATTFraming.classify4500(esp[...]) == .esp(esp[...]))
            #expect(NATTFraming.classify4500([0, 0, 0, 1]) == .esp([0, 0, 0, 1]))
        }

        @Test func shortDatagramsAreMalformed() {
            #expect(NATTFraming.classify4500([]) == .malformed)
            #expect(NATTFraming.classify4500([0, 0, 0]) == .malformed)
            #expect(NATTFraming.classify4500([0xff, 0xff]) == .malformed)
        }
    }
}
