import Testing
@testable import IKEv2

/// A reload re-checks existing SAs against the new PAD and deletes only on request.
@Suite struct ReloadTests {
    func established() -> EnginePair {
        var pair = EnginePair(a: EngineTests().pskPair().a.connections,
                              b: EngineTests().pskPair().b.connections)
        pair.initiate("psk")
        return pair
    }

    @Test func theSameConfigurationKeepsEverySA() {
        let pair = established()
        #expect(pair.b.replaceConnections(pair.b.connections).isEmpty)
        #expect(pair.b.sas.values.first?.unauthorized == nil)
    }

    @Test func narrowerChildAuthorizationMarksTheSAButKeepsItUntilAsked() throws {
        var pair = established()
        var conns = pair.b.connections
        conns[0].remoteTS = [TrafficSelector(cidr: "10.1.0.0/25")!]
        let refused = pair.b.replaceConnections(conns)
        #expect(refused.count == 1)
        #expect(refused.first?.unauthorized?.contains("walk 2") == true, "\(refused)")
        #expect(pair.b.sas.count == 1 && pair.a.sas.count == 1)

        pair.deliver(pair.b.deleteUnauthorized(now: pair.now), fromA: false)
        pair.advance(0.5)
        #expect(pair.b.sas.isEmpty && pair.a.sas.isEmpty)
    }

    @Test func aRemovedConnectionOrAChangedAuthenticationIsReported() throws {
        let pair = established()
        var conns = pair.b.connections
        conns[0].remoteAuth = .btns
        #expect(pair.b.replaceConnections(conns).first?.unauthorized?.contains("BTNS") == true)
        #expect(pair.b.replaceConnections([]).first?.unauthorized?.contains("gone") == true)
        #expect(pair.b.sas.values.first?.connectionIndex == -1)
    }
}

/// A connection used as a template for one flow (SPD-triggered initiation).
@Suite struct TemplateInstanceTests {
    @Test func aTemplateInstanceNegotiatesTheFlowsSelectors() throws {
        var pair = EnginePair(a: EngineTests().pskPair().a.connections,
                              b: EngineTests().pskPair().b.connections)
        let flowA = TrafficSelector(cidr: "10.1.0.7/32")!
        let flowB = TrafficSelector(cidr: "10.2.0.9/32")!
        pair.deliver(pair.a.initiate(connection: "psk", remoteAddress: EnginePair.addrB,
                                     localTS: [flowA], remoteTS: [flowB], now: pair.now),
                     fromA: true)
        let done = try #require(pair.finished.first)
        #expect(done.0 == "psk@192.0.2.2" && done.1, "\(done)")
        let child = try #require(pair.b.sas.values.first?.children.first)
        #expect(child.remoteTS == [flowA] && child.localTS == [flowB])
        // a reload keeps it bound to its template
        #expect(pair.a.replaceConnections(pair.a.connections).isEmpty)
    }
}
