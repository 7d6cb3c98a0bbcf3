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

    /// KE data and g^ir lengths per group (RFC 7296 3.4, RFC 5903 7, RFC 8031 2).
    static let lengths: [UInt16: (ke: Int, secret: Int)] = [
        DHGroup.modp1024: (128, 128), DHGroup.modp1536: (192, 192),
        DHGroup.modp2048: (256, 256), DHGroup.modp3072: (384, 384),
        DHGroup.modp4096: (512, 512), DHGroup.ecp256: (64, 32), DHGroup.ecp384: (96, 48),
        DHGroup.ecp521: (132, 66), DHGroup.curve25519: (32, 32),
    ]

    @Test func defaultsUnchanged() {
        #expect(KeyExchanges.supported == [DHGroup.curve25519, DHGroup.ecp256, DHGroup.modp2048])
        #expect(Set(KeyExchanges.implemented) == Set(Self.lengths.keys))
    }

    @Test(arguments: KeyExchanges.implemented)
    func bothSidesAgree(group: UInt16) throws {
        let a = try KeyExchanges.make(group: group)
        let b = try KeyExchanges.make(group: group)
        #expect(a.group == group)
        #expect(a.publicValue != b.publicValue)
        #expect(a.publicValue.count == Self.lengths[group]?.ke)
        let sa = try a.sharedSecret(peerPublicValue: b.publicValue)
        let sb = try b.sharedSecret(peerPublicValue: a.publicValue)
        #expect(sa == sb)
        #expect(sa.count == Self.lengths[group]?.secret)
        #expect(sa.revealed() != [UInt8](repeating: 0, count: sa.count))
    }

    @Test(arguments: KeyExchanges.implemented)
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
        for group: UInt16 in [1, 17, 22, 24, 25, 28, 32] {
            #expect(throws: CryptoError.unsupported("key exchange group \(group)")) {
                try KeyExchanges.make(group: group)
            }
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

    /// 0, 1, p-1, p and all-ones are rejected in every MODP group (RFC 6989 2.1); 2 is
    /// accepted (weak but legal), proving the check is not blanket.
    @Test(arguments: [DHGroup.modp1024, DHGroup.modp1536, DHGroup.modp2048,
                      DHGroup.modp3072, DHGroup.modp4096])
    func modpRejectsDegenerateValuesInEveryGroup(group: UInt16) throws {
        let a = try KeyExchanges.make(group: group)
        let n = a.publicValue.count
        // p and p-1 for group 2, whose prime the project carries (RFC 2409 6.2); group 14
        // has them in modpRejectsDegenerateValues; OpenSSL holds the other primes.
        let p = MODPKeyExchange.Parameters.forGroup(group)?.prime
        var one = [UInt8](repeating: 0, count: n)
        one[n - 1] = 1
        var two = one
        two[n - 1] = 2
        var bad = [[UInt8](repeating: 0, count: n), one, [UInt8](repeating: 0xff, count: n)]
        if let p {
            var pMinus1 = p
            pMinus1[n - 1] -= 1
            bad += [p, pMinus1]
        }
        for value in bad {
            #expect(throws: CryptoError.self) { try a.sharedSecret(peerPublicValue: value) }
        }
        #expect(try a.sharedSecret(peerPublicValue: two).count == n)
    }

    @Test(arguments: [DHGroup.ecp256, DHGroup.ecp384, DHGroup.ecp521])
    func ecpRejectsOffCurveAndZero(group: UInt16) throws {
        let a = try KeyExchanges.make(group: group)
        let b = try KeyExchanges.make(group: group)
        let n = b.publicValue.count
        var offCurve = b.publicValue
        offCurve[n - 1] ^= 0x01
        var xOnly = b.publicValue
        for i in n / 2..<n { xOnly[i] = 0 }
        for bad in [[UInt8](repeating: 0, count: n), offCurve, xOnly,
                    [UInt8](repeating: 0xff, count: n)] {
            #expect(throws: CryptoError.self) { try a.sharedSecret(peerPublicValue: bad) }
        }
        // A point of another curve of the same group family is off this curve.
        let other = try KeyExchanges.make(group: group == DHGroup.ecp256 ? DHGroup.ecp384
                                                                          : DHGroup.ecp256)
        #expect(throws: CryptoError.self) {
            try a.sharedSecret(peerPublicValue: other.publicValue)
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
