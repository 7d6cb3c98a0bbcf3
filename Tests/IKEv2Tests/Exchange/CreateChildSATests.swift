import Testing
@testable import IKEv2

/// CREATE_CHILD_SA through one in-process pair: child rekey, IKE rekey, PFS, lifetimes.
@Suite struct CreateChildSATests {
    func pair(esp: [ProposalSpec] = ExchangeFixtures.esp,
              settingsA: EngineSettings = EngineSettings()) -> EnginePair {
        let idA = IDMatcher.exact(IDPayload(text: "fqdn:a.test")!)
        let idB = IDMatcher.exact(IDPayload(text: "fqdn:b.test")!)
        let a = [ExchangeFixtures.conn("psk", local: EnginePair.addrA, remote: EnginePair.addrB,
                                       localID: "fqdn:a.test", remoteID: idB,
                                       localAuth: .psk(ExchangeFixtures.psk),
                                       remoteAuth: .psk(ExchangeFixtures.psk), esp: esp,
                                       localTS: ExchangeFixtures.tsA, remoteTS: ExchangeFixtures.tsB)]
        let b = [ExchangeFixtures.conn("psk", local: EnginePair.addrB, remote: nil,
                                       localID: "fqdn:b.test", remoteID: idA,
                                       localAuth: .psk(ExchangeFixtures.psk),
                                       remoteAuth: .psk(ExchangeFixtures.psk), esp: esp,
                                       localTS: ExchangeFixtures.tsB, remoteTS: ExchangeFixtures.tsA)]
        return EnginePair(engineA: IKEEngine(settings: settingsA, connections: a,
                                             policy: MemoryPolicy()),
                          engineB: IKEEngine(settings: EngineSettings(), connections: b,
                                             policy: MemoryPolicy()))
    }

    func expectChildrenAgree(_ p: EnginePair) throws {
        let sa = try #require(p.a.sas.values.first { $0.state == .established })
        let sb = try #require(p.b.sas.values.first { $0.spiI == sa.spiI })
        #expect(sa.children.count == 1 && sb.children.count == 1)
        let ca = try #require(sa.children.first)
        let cb = try #require(sb.children.first)
        #expect(ca.spiIn == cb.spiOut && ca.spiOut == cb.spiIn)
        #expect(ca.keys.encrI == cb.keys.encrI && ca.keys.encrR == cb.keys.encrR)
    }

    // CREATE_CHILD_SA { N(REKEY_SA), SA, Ni, TSi, TSr } --> <-- { SA, Nr, TSi, TSr }
    // INFORMATIONAL { D(ESP old) } --> <-- { D(ESP old) }
    @Test func childRekeyReplacesTheChildSAOnBothSides() throws {
        var p = pair()
        p.initiate("psk")
        let old = try #require(p.a.sas.values.first?.children.first)
        p.deliver(p.a.rekey(connection: "psk", ike: false, now: p.now), fromA: true)
        let new = try #require(p.a.sas.values.first?.children.first)
        #expect(new.spiIn != old.spiIn && !(new.keys.encrI == old.keys.encrI))
        try expectChildrenAgree(p)
    }

    @Test func childRekeyWithPFSRunsAKeyExchange() throws {
        var p = pair(esp: [try ProposalSpec(parsing: "aes128gcm16-x25519", forESP: true)])
        p.initiate("psk")
        #expect(p.finished.first?.1 == true, "\(p.logs.joined(separator: "\n"))")
        p.deliver(p.a.rekey(connection: "psk", ike: false, now: p.now), fromA: true)
        let rekey = try #require(p.wire.first { $0.fromA && $0.1.bytes[18] == 36 })
        #expect(rekey.1.bytes.count > 100)
        try expectChildrenAgree(p)
        #expect(p.a.sas.values.first?.children.first?.chosen.dh == DHGroup.curve25519)
    }

    // CREATE_CHILD_SA { SA(IKE, new SPIi), Ni, KEi } --> <-- { SA, Nr, KEr }
    @Test func ikeRekeyMovesTheChildrenAndRetiresTheOldSA() throws {
        var p = pair()
        p.initiate("psk")
        let old = try #require(p.a.sas.values.first)
        p.deliver(p.a.rekey(connection: "psk", ike: true, now: p.now), fromA: true)
        p.advance(0.5)
        #expect(p.a.sas.count == 1 && p.b.sas.count == 1, "\(p.logs.joined(separator: "\n"))")
        let new = try #require(p.a.sas.values.first)
        #expect(new.spiI != old.spiI && new.state == .established)
        try expectChildrenAgree(p)
        // the new IKE SA works: a child rekey over it
        p.deliver(p.a.rekey(connection: "psk", ike: false, now: p.now), fromA: true)
        try expectChildrenAgree(p)
    }

    @Test func lifetimesTriggerRekeys() throws {
        var p = pair(settingsA: EngineSettings(dpdDelay: 0, ikeRekeyTime: 100, childRekeyTime: 10))
        p.initiate("psk")
        let child = try #require(p.a.sas.values.first?.children.first)
        p.advance(11)
        #expect(p.a.sas.values.first?.children.first?.spiIn != child.spiIn)
        try expectChildrenAgree(p)
        let ike = try #require(p.a.sas.values.first)
        p.advance(100)
        p.advance(1)
        #expect(p.a.sas.count == 1 && p.a.sas.values.first?.spiI != ike.spiI)
        try expectChildrenAgree(p)
    }

    @Test func rekeyOfAnUnknownChildGetsChildSANotFound() throws {
        var p = pair()
        p.initiate("psk")
        var sa = try #require(p.a.sas.values.first)
        sa.children[0].spiIn = 0x1234_5678
        p.a.sas[sa.ourSPI] = sa
        p.deliver(p.a.rekey(connection: "psk", ike: false, now: p.now), fromA: true)
        #expect(p.logs.contains { $0.contains("CHILD_SA_NOT_FOUND") })
    }
}
