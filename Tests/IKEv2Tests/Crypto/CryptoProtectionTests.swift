import Testing
@testable import IKEv2

@Suite struct CryptoProtectionTests {
    /// Every ENCR transform and key size, and for the non-AEAD ciphers every INTEG
    /// transform: 19 AEAD suites and 7 x 7 = 49 cipher + MAC suites.
    static let suites: [EncryptionSuite] = {
        var all: [EncryptionSuite] = []
        for id in [EncrID.aesGCM8, EncrID.aesGCM12, EncrID.aesGCM16, EncrID.aesCCM8,
                   EncrID.aesCCM12, EncrID.aesCCM16] {
            for bits: UInt16 in [128, 192, 256] {
                all.append(try! EncryptionSuite(encr: id, keyBits: bits, integ: IntegID.none))
            }
        }
        all.append(try! EncryptionSuite(encr: EncrID.chacha20Poly1305, keyBits: nil, integ: 0))
        let ciphers: [(UInt16, UInt16?)] = [
            (EncrID.aesCBC, 128), (EncrID.aesCBC, 192), (EncrID.aesCBC, 256),
            (EncrID.aesCTR, 128), (EncrID.aesCTR, 192), (EncrID.aesCTR, 256), (EncrID.des3, nil),
        ]
        for (id, bits) in ciphers {
            for integ in Integrity.implemented {
                all.append(try! EncryptionSuite(encr: id, keyBits: bits, integ: integ))
            }
        }
        return all
    }()

    static func keys(_ suite: EncryptionSuite) throws -> IKESAKeys {
        let prf = try PRF(id: PRFID.hmacSHA2_256)
        return KeyDerivation.ikeSAKeys(
            prf: prf, skeyseed: SecretBytes(SecureRandom.bytes(32)),
            ni: SecureRandom.bytes(32), nr: SecureRandom.bytes(32), spiI: 1, spiR: 2,
            encrKeyLength: suite.encrKeyLength, integKeyLength: suite.integKeyLength)
    }

    static let header = IKEHeader(spiI: 0x0102030405060708, spiR: 0x1112131415161718,
                                  exchangeType: ExchangeType(rawValue: 35), isInitiator: true,
                                  isResponse: false, messageID: 1)

    @Test func suiteParameters() throws {
        let gcm = try EncryptionSuite(encr: EncrID.aesGCM16, keyBits: 256, integ: IntegID.none)
        #expect(gcm.isAEAD && gcm.encrKeyLength == 36 && gcm.integKeyLength == 0)
        let gcm128 = try EncryptionSuite(encr: EncrID.aesGCM16, keyBits: 128, integ: 0)
        #expect(gcm128.encrKeyLength == 20)
        let cbc = try EncryptionSuite(encr: EncrID.aesCBC, keyBits: 128,
                                      integ: IntegID.hmacSHA2_256_128)
        #expect(!cbc.isAEAD && cbc.encrKeyLength == 16 && cbc.integKeyLength == 32)
        let chacha = try EncryptionSuite(encr: EncrID.chacha20Poly1305, keyBits: nil, integ: 0)
        #expect(chacha.isAEAD && chacha.encrKeyLength == 36 && chacha.integKeyLength == 0)
        #expect(Self.suites.count == 68)
        // Salt / nonce lengths (RFC 5282 7.1, RFC 5930 2) and ICV, IV, block sizes.
        let ccm = try EncryptionSuite(encr: EncrID.aesCCM12, keyBits: 128, integ: 0)
        #expect(ccm.encrKeyLength == 19 && ccm.icvLength == 12 && ccm.ivLength == 8)
        let gcm8 = try EncryptionSuite(encr: EncrID.aesGCM8, keyBits: 192, integ: 0)
        #expect(gcm8.encrKeyLength == 28 && gcm8.icvLength == 8 && gcm8.blockSize == 1)
        let ctr = try EncryptionSuite(encr: EncrID.aesCTR, keyBits: 192,
                                      integ: IntegID.hmacSHA2_512_256)
        #expect(!ctr.isAEAD && ctr.encrKeyLength == 28 && ctr.integKeyLength == 64)
        #expect(ctr.icvLength == 32 && ctr.ivLength == 8 && ctr.blockSize == 1)
        let des = try EncryptionSuite(encr: EncrID.des3, keyBits: nil, integ: IntegID.hmacSHA1_160)
        #expect(des.encrKeyLength == 24 && des.integKeyLength == 20 && des.icvLength == 20)
        #expect(des.ivLength == 8 && des.blockSize == 8 && des.keyBits == 192)
        let xcbc = try EncryptionSuite(encr: EncrID.aesCBC, keyBits: 128, integ: IntegID.aesXCBC96)
        #expect(xcbc.integKeyLength == 16 && xcbc.icvLength == 12 && xcbc.ivLength == 16)
        #expect(throws: CryptoError.self) {
            try EncryptionSuite(encr: EncrID.aesGCM16, keyBits: 128,
                                integ: IntegID.hmacSHA2_256_128)
        }
        #expect(throws: CryptoError.self) {
            try EncryptionSuite(encr: EncrID.aesCBC, keyBits: 128, integ: IntegID.none)
        }
        #expect(throws: CryptoError.self) {
            try EncryptionSuite(encr: EncrID.aesCBC, keyBits: 128, integ: 1)       // HMAC-MD5
        }
        #expect(throws: CryptoError.self) {
            try EncryptionSuite(encr: EncrID.des3, keyBits: 128, integ: IntegID.hmacSHA1_96)
        }
        #expect(throws: CryptoError.self) {
            try EncryptionSuite(encr: 2, keyBits: nil, integ: IntegID.hmacSHA1_96)  // DES
        }
        #expect(throws: CryptoError.self) {
            try EncryptionSuite(encr: EncrID.aesCBC, keyBits: nil, integ: 12)
        }
        #expect(throws: CryptoError.self) {
            try EncryptionSuite(encr: EncrID.aesCTR, keyBits: 160, integ: 12)
        }
    }

    @Test(arguments: suites)
    func roundTripBothDirections(suite: EncryptionSuite) throws {
        let keys = try Self.keys(suite)
        let initiator = try SKProtection(suite: suite, keys: keys, isOriginalInitiator: true)
        let responder = try SKProtection(suite: suite, keys: keys, isOriginalInitiator: false)
        for length in [0, 1, 2, 15, 16, 17, 31, 32, 33, 100, 1000] {
            let plaintext = SecureRandom.bytes(length)
            let m = try initiator.seal(header: Self.header, firstPayload: .idi,
                                       plaintext: plaintext)
            // Header: next payload SK, length = datagram; SK header: next = IDi.
            let decoded = try MessageCodec.decodeHeader(m[...])
            #expect(decoded.nextPayload == .sk)
            #expect(decoded.messageID == 1 && decoded.spiI == Self.header.spiI)
            #expect(m[28] == PayloadType.idi.rawValue)
            #expect(Int(m[30]) << 8 | Int(m[31]) == m.count - 28)
            let body = m.count - 28 - 4 - suite.ivLength - suite.icvLength
            #expect(body % suite.blockSize == 0 && body >= length + 1)
            #expect(try responder.open(message: m, skOffset: 28) == plaintext)
            // The sender's own keys for the other direction must not open it.
            #expect(throws: CryptoError.integrityCheckFailed) {
                try initiator.open(message: m, skOffset: 28)
            }
            var reply = Self.header
            reply.isResponse = true
            reply.isInitiator = false
            let r = try responder.seal(header: reply, firstPayload: .idr, plaintext: plaintext)
            #expect(try initiator.open(message: r, skOffset: 28) == plaintext)
            #expect(throws: CryptoError.integrityCheckFailed) {
                try responder.open(message: r, skOffset: 28)
            }
        }
    }

    @Test(arguments: suites)
    func tamperingDetected(suite: EncryptionSuite) throws {
        let keys = try Self.keys(suite)
        let initiator = try SKProtection(suite: suite, keys: keys, isOriginalInitiator: true)
        let responder = try SKProtection(suite: suite, keys: keys, isOriginalInitiator: false)
        let m = try initiator.seal(header: Self.header, firstPayload: .idi,
                                   plaintext: Array("hello, responder".utf8))
        // Every octet except the header/SK length fields (those are framing errors) is
        // covered: SPIs, flags, message ID, SK next payload, IV, ciphertext, ICV.
        var failures = 0
        for i in 0..<m.count where !(24..<28).contains(i) && !(30..<32).contains(i) {
            var t = m
            t[i] ^= 0x01
            #expect(throws: CryptoError.integrityCheckFailed) {
                try responder.open(message: t, skOffset: 28)
            }
            failures += 1
        }
        #expect(failures == m.count - 6)
        var short = m
        short.removeLast()
        #expect(throws: CryptoError.self) { try responder.open(message: short, skOffset: 28) }
        #expect(throws: CryptoError.self) { try responder.open(message: m, skOffset: 20) }
        #expect(throws: CryptoError.self) { try responder.open(message: m, skOffset: 32) }
        #expect(throws: CryptoError.self) {
            try responder.open(message: Array(m[0..<40]), skOffset: 28)
        }
    }

    @Test(arguments: suites)
    func wrongOffsetRejected(suite: EncryptionSuite) throws {
        // An skOffset that does not point at the SK header is rejected, not misparsed
        // (SK at a later offset is covered by the capture tests).
        let keys = try Self.keys(suite)
        let p = try SKProtection(suite: suite, keys: keys, isOriginalInitiator: true)
        let m = try p.seal(header: Self.header, firstPayload: .notify, plaintext: [1, 2, 3])
        let q = try SKProtection(suite: suite, keys: keys, isOriginalInitiator: false)
        #expect(throws: CryptoError.self) { try q.open(message: m, skOffset: m.count - 4) }
    }

    @Test(arguments: suites)
    func fragments(suite: EncryptionSuite) throws {
        let keys = try Self.keys(suite)
        let initiator = try SKProtection(suite: suite, keys: keys, isOriginalInitiator: true)
        let responder = try SKProtection(suite: suite, keys: keys, isOriginalInitiator: false)
        let chunk = SecureRandom.bytes(300)
        let f = try initiator.sealFragment(header: Self.header, firstPayload: .idi,
                                           fragmentNumber: 2, totalFragments: 3,
                                           plaintext: chunk)
        #expect(try MessageCodec.decodeHeader(f[...]).nextPayload == .skf)
        #expect(Array(f[32..<36]) == [0, 2, 0, 3])
        #expect(try responder.openFragment(message: f, skfOffset: 28) == chunk)
        for i in [32, 33, 34, 35] {
            var t = f
            t[i] ^= 0x01
            #expect(throws: CryptoError.integrityCheckFailed) {
                try responder.openFragment(message: t, skfOffset: 28)
            }
        }
        // An SKF is not an SK: parsing it as SK must fail.
        #expect(throws: CryptoError.self) { try responder.open(message: f, skOffset: 28) }
        #expect(throws: CryptoError.self) {
            try initiator.sealFragment(header: Self.header, firstPayload: .none,
                                       fragmentNumber: 4, totalFragments: 3, plaintext: [1])
        }
    }

    @Test func keyLengthsChecked() throws {
        let gcm = try EncryptionSuite(encr: EncrID.aesGCM16, keyBits: 256, integ: 0)
        let cbc = try EncryptionSuite(encr: EncrID.aesCBC, keyBits: 256, integ: 12)
        #expect(throws: CryptoError.self) {
            try SKProtection(suite: gcm, keys: Self.keys(cbc), isOriginalInitiator: true)
        }
    }

    @Test func aeadIVsAreUnique() throws {
        let suite = Self.suites[0]
        let p = try SKProtection(suite: suite, keys: Self.keys(suite), isOriginalInitiator: true)
        var seen = Set<[UInt8]>()
        for _ in 0..<100 {
            let m = try p.seal(header: Self.header, firstPayload: .none, plaintext: [])
            seen.insert(Array(m[32..<40]))
        }
        #expect(seen.count == 100)
    }
}
