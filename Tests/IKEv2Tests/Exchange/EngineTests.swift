import Testing
@testable import IKEv2

/// Both roles of IKE_SA_INIT and IKE_AUTH run through one in-process pair.
@Suite struct EngineTests {
    let idA = IDMatcher.exact(IDPayload(text: "fqdn:a.test")!)
    let idB = IDMatcher.exact(IDPayload(text: "fqdn:b.test")!)

    func pskPair(ikeA: [ProposalSpec] = ExchangeFixtures.ike, ikeB: [ProposalSpec] = ExchangeFixtures.ike,
                 espB: [ProposalSpec] = ExchangeFixtures.esp) -> EnginePair {
        EnginePair(
            a: [ExchangeFixtures.conn("psk", local: EnginePair.addrA, remote: EnginePair.addrB,
                              localID: "fqdn:a.test", remoteID: idB,
                              localAuth: .psk(ExchangeFixtures.psk), remoteAuth: .psk(ExchangeFixtures.psk),
                              ike: ikeA, localTS: ExchangeFixtures.tsA, remoteTS: ExchangeFixtures.tsB)],
            b: [ExchangeFixtures.conn("psk", local: EnginePair.addrB, remote: nil,
                              localID: "fqdn:b.test", remoteID: idA,
                              localAuth: .psk(ExchangeFixtures.psk), remoteAuth: .psk(ExchangeFixtures.psk),
                              ike: ikeB, esp: espB, localTS: ExchangeFixtures.tsB, remoteTS: ExchangeFixtures.tsA)])
    }

    // IKE_SA_INIT { SA, KE, Ni, N(NAT_D) } --> <-- { SA, KE, Nr, N(NAT_D) }
    // IKE_AUTH SK { IDi, IDr, AUTH(psk), SAi2, TSi, TSr } --> <-- SK { IDr, AUTH, SAr2, TSi, TSr }
    @Test func pskInitiatorAndResponderAgreeOnSPIsAndChildKeys() throws {
        var pair = pskPair()
        pair.initiate("psk")
        #expect(pair.finished.count == 1)
        #expect(pair.finished.first?.1 == true, "\(pair.finished) \(pair.logs.joined(separator: "\n"))")
        let sa = try #require(pair.a.sas.values.first)
        let sb = try #require(pair.b.sas.values.first)
        #expect(sa.state == .established && sb.state == .established)
        #expect(sa.spiI == sb.spiI && sa.spiR == sb.spiR)
        let ca = try #require(sa.children.first)
        let cb = try #require(sb.children.first)
        #expect(ca.spiIn == cb.spiOut && ca.spiOut == cb.spiIn)
        #expect(ca.keys.encrI == cb.keys.encrI && ca.keys.encrR == cb.keys.encrR)
        #expect(ca.chosen.encr.id == EncrID.aesGCM16)
        #expect(!sa.natDetected && !sb.natDetected)
        #expect(pair.a.snapshots().first?.children.first?.spiIn == hex32(ca.spiIn))
    }

    @Test func keylogWritesOneIKERowAndTwoESPRowsPerSide() throws {
        var pair = EnginePair(a: pskPair().a.connections, b: pskPair().b.connections, keylog: true)
        pair.initiate("psk")
        #expect(pair.finished.first?.1 == true)
        let ike = pair.keylog.filter { $0.1.table == .ikev2DecryptionTable }
        let esp = pair.keylog.filter { $0.1.table == .espSA }
        #expect(ike.count == 2 && ike[0].1.line == ike[1].1.line)
        #expect(ike[0].1.line.contains("\"AES-GCM-128 with 16 octet ICV [RFC5282]\""))
        #expect(esp.count == 4)
        // A's outbound row is B's inbound row: same SPI, same key
        let aRows = Set(esp.filter { $0.fromA }.map(\.1.line))
        let bRows = Set(esp.filter { !$0.fromA }.map(\.1.line))
        #expect(aRows == bRows, "\(aRows) \(bRows)")
        #expect(!pskPair().a.keylog)
    }

    @Test func busyResponderDemandsACookieAndTheInitiatorEchoesIt() throws {
        var pair = EnginePair(a: pskPair().a.connections, b: pskPair().b.connections,
                              settingsB: EngineSettings(cookieThreshold: 0))
        pair.initiate("psk")
        #expect(pair.finished.first?.1 == true, "\(pair.logs.joined(separator: "\n"))")
        // request, N(COOKIE), request with the cookie, response, IKE_AUTH pair
        #expect(pair.wire.count == 6)
        #expect(pair.b.sas.count == 1 && pair.b.halfOpen.isEmpty)
    }

    @Test func initialContactReplacesTheResponderSideOfARebootedPeer() throws {
        var pair = pskPair()
        pair.initiate("psk")
        #expect(pair.b.sas.count == 1)

        // the initiator "reboots" (a fresh engine) and comes back: B keeps only the new SA
        var rebooted = EnginePair(engineA: pskPair().a, engineB: pair.b)
        rebooted.now = pair.now + 1
        rebooted.initiate("psk")
        #expect(rebooted.finished.first?.1 == true)
        #expect(pair.b.sas.count == 1, "\(rebooted.logs.joined(separator: "\n"))")
    }

    @Test func quietPeerGetsALivenessCheckAndADeadOneLosesItsSA() throws {
        var pair = pskPair()
        pair.initiate("psk")
        let before = pair.wire.count
        pair.advance(31)
        // empty INFORMATIONAL request and its answer
        #expect(pair.wire.count == before + 2)
        #expect(pair.a.sas.count == 1)

        // the peer goes away: retransmissions, then the IKE SA is gone
        pair.drop = { _, _ in true }
        for _ in 0..<140 { pair.advance(1) }
        #expect(pair.a.sas.isEmpty, "\(pair.logs.suffix(5).joined(separator: "\n"))")
    }

    @Test func initiatingAnEstablishedConnectionAgainReusesIt() throws {
        var pair = pskPair()
        pair.initiate("psk")
        pair.initiate("psk")
        #expect(pair.a.sas.count == 1)
        #expect(pair.finished.count == 2 && pair.finished[1].2.hasPrefix("already up"))
    }

    @Test func zeroSPIiAndHalfOpenFloodsAreDropped() throws {
        let pair = EnginePair(a: pskPair().a.connections, b: pskPair().b.connections,
                              settingsB: EngineSettings(cookieThreshold: 1_000, maxHalfOpen: 3))
        var requests: [Datagram] = []
        for _ in 0..<5 {
            var p2 = pskPair()
            p2.drop = { _, _ in true }
            p2.initiate("psk")
            requests += p2.wire.filter(\.fromA).map(\.1)
        }
        let local = Endpoint(address: EnginePair.addrB, port: 500)
        let remote = Endpoint(address: EnginePair.addrA, port: 500)
        for r in requests {
            _ = pair.b.receive(Datagram(bytes: r.bytes, local: local, remote: remote), now: 1)
        }
        #expect(pair.b.sas.count == 3)

        var zero = requests[0].bytes
        for i in 0..<8 { zero[i] = 0 }
        let fresh = pskPair()
        let out = fresh.b.receive(Datagram(bytes: zero, local: local, remote: remote), now: 1)
        #expect(fresh.b.sas.isEmpty)
        #expect(!out.contains { if case .send = $0 { return true } else { return false } })
    }

    @Test func ed25519RawKeysAuthenticateBothWays() throws {
        let keyA = try PrivateKey.generate(.ed25519)
        let keyB = try PrivateKey.generate(.ed25519)
        var pair = EnginePair(
            a: [ExchangeFixtures.conn("rpk", local: EnginePair.addrA, remote: EnginePair.addrB,
                              localID: "fqdn:a.test", remoteID: idB,
                              localAuth: .privateKey(keyA), remoteAuth: .publicKeys([keyB.publicKey]),
                              localTS: ExchangeFixtures.tsA, remoteTS: ExchangeFixtures.tsB)],
            b: [ExchangeFixtures.conn("rpk", local: EnginePair.addrB, remote: nil,
                              localID: "fqdn:b.test", remoteID: idA,
                              localAuth: .privateKey(keyB), remoteAuth: .publicKeys([keyA.publicKey]),
                              localTS: ExchangeFixtures.tsB, remoteTS: ExchangeFixtures.tsA)])
        pair.initiate("rpk")
        #expect(pair.finished.first?.1 == true, "\(pair.finished) \(pair.logs.joined(separator: "\n"))")
        #expect(pair.b.sas.values.first?.peerKey == keyA.publicKey)
    }

    @Test func ecdsaP256KeysAuthenticateOverGroup14() throws {
        let keyA = try PrivateKey.generate(.ecdsaP256)
        let keyB = try PrivateKey.generate(.ecdsaP256)
        let ike = [try ProposalSpec(parsing: "aes256-sha256-modp2048", forESP: false)]
        var pair = EnginePair(
            a: [ExchangeFixtures.conn("ec", local: EnginePair.addrA, remote: EnginePair.addrB,
                              localID: "fqdn:a.test", remoteID: idB,
                              localAuth: .privateKey(keyA), remoteAuth: .publicKeys([keyB.publicKey]),
                              ike: ike, localTS: ExchangeFixtures.tsA, remoteTS: ExchangeFixtures.tsB)],
            b: [ExchangeFixtures.conn("ec", local: EnginePair.addrB, remote: nil,
                              localID: "fqdn:b.test", remoteID: idA,
                              localAuth: .privateKey(keyB), remoteAuth: .publicKeys([keyA.publicKey]),
                              ike: ike, localTS: ExchangeFixtures.tsB, remoteTS: ExchangeFixtures.tsA)])
        pair.initiate("ec")
        #expect(pair.finished.first?.1 == true, "\(pair.finished) \(pair.logs.joined(separator: "\n"))")
        #expect(pair.a.sas.values.first?.chosen?.dh == DHGroup.modp2048)
        #expect(pair.a.sas.values.first?.children.first?.chosen.encr.id == EncrID.aesGCM16)
    }

    @Test func invalidKEPayloadMakesTheInitiatorRetryWithTheRequestedGroup() throws {
        let ikeA = [try ProposalSpec(parsing: "aes128gcm16-prfsha256-x25519-ecp256", forESP: false)]
        let ikeB = [try ProposalSpec(parsing: "aes128gcm16-prfsha256-ecp256", forESP: false)]
        var pair = pskPair(ikeA: ikeA, ikeB: ikeB)
        pair.initiate("psk")
        #expect(pair.finished.first?.1 == true, "\(pair.finished)")
        #expect(pair.a.sas.values.first?.chosen?.dh == DHGroup.ecp256)
        // request, INVALID_KE answer, request again, response, IKE_AUTH pair
        #expect(pair.wire.count == 6)
    }

    @Test func noCommonProposalFailsNamingBothSides() throws {
        let ikeB = [try ProposalSpec(parsing: "aes256gcm16-prfsha384-ecp256", forESP: false)]
        var pair = pskPair(ikeB: ikeB)
        pair.initiate("psk")
        let result = try #require(pair.finished.first)
        #expect(result.1 == false)
        #expect(result.2.contains("NO_PROPOSAL_CHOSEN"))
        #expect(result.2.contains("aes128gcm16-prfsha256-x25519"))
        #expect(result.2.contains("aes256gcm16-prfsha384-ecp256"))
    }

    @Test func childProposalMismatchKeepsTheIKESAAndReportsIt() throws {
        var pair = pskPair(espB: [try ProposalSpec(parsing: "chacha20poly1305", forESP: true)])
        pair.initiate("psk")
        let result = try #require(pair.finished.first)
        #expect(result.1 == false)
        #expect(result.2.contains("NO_PROPOSAL_CHOSEN"), "\(result.2)")
        #expect(pair.a.sas.values.first?.state == .established)
    }

    @Test func retransmittedRequestGetsTheSameBytes() throws {
        var pair = pskPair()
        // lose the first IKE_AUTH response: A retransmits, B answers with identical bytes
        pair.drop = { n, _ in n == 4 }
        pair.initiate("psk")
        #expect(pair.finished.isEmpty)
        pair.advance(1.5)
        #expect(pair.finished.first?.1 == true, "\(pair.logs.joined(separator: "\n"))")
        let fromB = pair.wire.filter { !$0.fromA }.map(\.1.bytes)
        #expect(fromB.count == 3 && fromB[1] == fromB[2])
    }

    @Test func wrongPSKIsRefusedWithAuthenticationFailed() throws {
        var pair = EnginePair(
            a: [ExchangeFixtures.conn("psk", local: EnginePair.addrA, remote: EnginePair.addrB,
                              localID: "fqdn:a.test", remoteID: idB,
                              localAuth: .psk(SecretBytes(Array("another-key-of-16-octets".utf8))),
                              remoteAuth: .psk(ExchangeFixtures.psk),
                              localTS: ExchangeFixtures.tsA, remoteTS: ExchangeFixtures.tsB)],
            b: pskPair().b.connections)
        pair.initiate("psk")
        let result = try #require(pair.finished.first)
        #expect(result.1 == false)
        #expect(result.2.contains("AUTHENTICATION_FAILED"), "\(result.2)")
    }

    @Test func btnsPeerIsPinnedAndAKeyChangeIsRefused() throws {
        let keyB = try PrivateKey.generate(.ed25519)
        let policyB = MemoryPolicy()
        func initiator(_ key: PrivateKey) -> [ConnectionConfig] {
            [ExchangeFixtures.conn("btns", local: EnginePair.addrA, remote: EnginePair.addrB,
                           localID: "fqdn:c.test", remoteID: .any,
                           localAuth: .privateKey(key), remoteAuth: .btns,
                           localTS: ExchangeFixtures.tsA, remoteTS: ExchangeFixtures.tsB)]
        }
        let responder = [ExchangeFixtures.conn("any", local: EnginePair.addrB, remote: nil,
                                       localID: "fqdn:b.test", remoteID: .any,
                                       localAuth: .privateKey(keyB), remoteAuth: .btns,
                                       localTS: ExchangeFixtures.tsB, remoteTS: ExchangeFixtures.tsA)]
        var first = EnginePair(a: initiator(try PrivateKey.generate(.ed25519)), b: responder,
                               policyA: MemoryPolicy(), policyB: policyB)
        first.initiate("btns")
        #expect(first.finished.first?.1 == true, "\(first.logs.joined(separator: "\n"))")
        #expect(policyB.pins.count == 1)

        var second = EnginePair(a: initiator(try PrivateKey.generate(.ed25519)), b: responder,
                                policyA: MemoryPolicy(), policyB: policyB)
        second.initiate("btns")
        let result = try #require(second.finished.first)
        #expect(result.1 == false)
        #expect(result.2.contains("AUTHENTICATION_FAILED"))
        #expect(second.logs.contains { $0.contains("BTNS key change refused") })
    }

    @Test func mutatedMessagesNeverCrashTheResponder() throws {
        var pair = pskPair()
        pair.initiate("psk")
        var rng = SplitMix(seed: 7)
        for (_, d) in pair.wire {
            for _ in 0..<300 {
                var bytes = d.bytes
                let flips = Int(rng.next() % 4) + 1
                for _ in 0..<flips {
                    let i = Int(rng.next() % UInt64(bytes.count))
                    bytes[i] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
                }
                if rng.next() % 5 == 0 { bytes.removeLast(Int(rng.next() % UInt64(bytes.count))) }
                let fresh = pskPair()
                _ = fresh.b.receive(Datagram(bytes: bytes, local: d.remote, remote: d.local), now: 1)
                _ = pair.a.receive(Datagram(bytes: bytes, local: d.remote, remote: d.local), now: 1)
            }
        }
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
