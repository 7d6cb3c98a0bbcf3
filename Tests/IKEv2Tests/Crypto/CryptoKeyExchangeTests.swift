import Testing
@testable import IKEv2

@Suite struct CryptoKeyExchangeTests {
    /// RFC 3526 section 3, the 2048-bit MODP prime.
    static let modp2048Prime = unhex("""
        FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A0879\
        8E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B\
        0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA4836\
        1C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804\
        F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6\
        955817183995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF
        """)

    @Test(arguments: KeyExchanges.supported)
    func bothSidesAgree(group: UInt16) throws {
        let a = try KeyExchanges.make(group: group)
        let b = try KeyExchanges.make(group: group)
        #expect(a.group == group)
        #expect(a.publicValue != b.publicValue)
        let expectedLength = [DHGroup.modp2048: 256, DHGroup.ecp256: 64,
                              DHGroup.curve25519: 32][group]
        #expect(a.publicValue.count == expectedLength)
        let sa = try a.sharedSecret(peerPublicValue: b.publicValue)
        let sb = try b.sharedSecret(peerPublicValue: a.publicValue)
        #expect(sa == sb)
        #expect(sa.count == [DHGroup.modp2048: 256, DHGroup.ecp256: 32,
                             DHGroup.curve25519: 32][group])
        #expect(sa.revealed() != [UInt8](repeating: 0, count: sa.count))
    }

    @Test(arguments: KeyExchanges.supported)
    func wrongLengthsRejected(group: UInt16) throws {
        let a = try KeyExchanges.make(group: group)
        let b = try KeyExchanges.make(group: group)
        for bad in [[], Array(b.publicValue.dropLast()), b.publicValue + [0],
                    [0x04] + b.publicValue] {
            #expect(throws: CryptoError.self) { try a.sharedSecret(peerPublicValue: bad) }
            do {
                _ = try a.sharedSecret(peerPublicValue: bad)
            } catch {
                guard case .invalidPublicValue = error else {
                    Issue.record("wrong error \(error)")
                    continue
                }
            }
        }
    }

    @Test func unsupportedGroup() {
        #expect(throws: CryptoError.unsupported("key exchange group 2")) {
            try KeyExchanges.make(group: DHGroup.modp1024)
        }
    }

    @Test func modpRejectsDegenerateValues() throws {
        let a = try KeyExchanges.make(group: DHGroup.modp2048)
        let p = Self.modp2048Prime
        #expect(p.count == 256)
        var pMinus1 = p
        pMinus1[255] -= 1
        var one = [UInt8](repeating: 0, count: 256)
        one[255] = 1
        var two = one
        two[255] = 2
        for bad in [[UInt8](repeating: 0, count: 256), one, pMinus1, p,
                    [UInt8](repeating: 0xff, count: 256)] {
            #expect(throws: CryptoError.self) { try a.sharedSecret(peerPublicValue: bad) }
        }
        // 2 is a legal (if weak) value: must be accepted, proving the check is not blanket.
        let s = try a.sharedSecret(peerPublicValue: two)
        #expect(s.count == 256)
    }

    @Test func ecpRejectsOffCurveAndZero() throws {
        let a = try KeyExchanges.make(group: DHGroup.ecp256)
        let b = try KeyExchanges.make(group: DHGroup.ecp256)
        var offCurve = b.publicValue
        offCurve[63] ^= 0x01
        for bad in [[UInt8](repeating: 0, count: 64), offCurve,
                    [UInt8](repeating: 0xff, count: 64)] {
            #expect(throws: CryptoError.self) { try a.sharedSecret(peerPublicValue: bad) }
        }
    }

    @Test func ecpMatchesRFC5903Point() throws {
        // The RFC 5903 8.1 responder point is on the curve and must be accepted.
        let gr = unhex("""
            d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63\
            56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab
            """)
        let a = try KeyExchanges.make(group: DHGroup.ecp256)
        #expect(try a.sharedSecret(peerPublicValue: gr).count == 32)
    }

    @Test func x25519RejectsLowOrderPoints() throws {
        let a = try KeyExchanges.make(group: DHGroup.curve25519)
        var one = [UInt8](repeating: 0, count: 32)
        one[0] = 1
        // u = 0, u = 1 and the order-8 point from RFC 7748 / libsodium's blocklist.
        let order8 = unhex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")
        for bad in [[UInt8](repeating: 0, count: 32), one, order8] {
            #expect(throws: CryptoError.self) { try a.sharedSecret(peerPublicValue: bad) }
        }
    }
}
