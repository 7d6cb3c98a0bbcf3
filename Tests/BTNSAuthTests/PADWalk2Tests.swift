import BTNSAuth
import IKEv2
import Testing

/// Walk 2, child SA authorization (RFC 5386 section 2, rule 3).
@Suite("PAD walk 2")
struct PADWalk2Tests {
    let policy = PADPolicy(pinStore: nil)

    var pad: [ConnectionConfig] {
        [
            Fixture.entry("btns-any", .any, .btns, remoteTS: ["0.0.0.0/0", "::/0"]),
            Fixture.entry("b", .exact(Fixture.id("fqdn:b.lab.test")), Fixture.psk(),
                          remoteTS: ["10.2.0.0/16", "2001:db8:b::/48"]),
            Fixture.entry("q", .exact(Fixture.id("fqdn:q.lab.test")),
                          .publicKeys([Fixture.keyA]), remoteTS: ["10.9.0.17"]),
        ]
    }

    private func walk2(_ ts: [String], entry: Int, btns: Bool) -> [String] {
        policy.walk2(peerTS: ts.map(Fixture.ts), connectionIndex: entry, peerIsBTNS: btns,
                     connections: pad).map(\.displayString)
    }

    @Test func btnsPeerLosesAddressesOwnedByNonBTNSEntries() {
        #expect(walk2(["10.9.0.17"], entry: 0, btns: true).isEmpty)
        #expect(walk2(["10.2.3.0/24"], entry: 0, btns: true).isEmpty)
        #expect(walk2(["2001:db8:b:1::5"], entry: 0, btns: true).isEmpty)
    }

    @Test func btnsPeerKeepsOutsideAddresses() {
        #expect(walk2(["10.7.0.3"], entry: 0, btns: true) == ["10.7.0.3/32"])
        #expect(walk2(["2001:db8:c::1"], entry: 0, btns: true) == ["2001:db8:c::1/128"])
        #expect(walk2(["10.9.0.16/30"], entry: 0, btns: true)
            == ["10.9.0.16/32", "10.9.0.18/31"])
        #expect(walk2(["10.2.0.0/15", "10.7.0.3"], entry: 0, btns: true)
            == ["10.3.0.0/16", "10.7.0.3/32"])
    }

    @Test func nonBTNSPeerIsOnlyNarrowedToItsEntry() {
        #expect(walk2(["10.2.0.0/15"], entry: 1, btns: false) == ["10.2.0.0/16"])
        #expect(walk2(["0.0.0.0/0"], entry: 2, btns: false) == ["10.9.0.17/32"])
        #expect(walk2(["10.2.0.5"], entry: 2, btns: false).isEmpty)
    }

    /// A BTNS entry means a BTNS peer even if the caller's flag says otherwise.
    @Test func btnsEntryImpliesBTNSPeer() {
        #expect(walk2(["10.9.0.17"], entry: 0, btns: false).isEmpty)
    }

    @Test func unknownEntryGivesNothing() {
        #expect(walk2(["10.7.0.3"], entry: 3, btns: true).isEmpty)
        #expect(walk2(["10.7.0.3"], entry: -1, btns: true).isEmpty)
    }

    @Test func traceNamesTheOwningEntry() {
        let out = policy.walk2Outcome(peerTS: [Fixture.ts("10.9.0.17")], connectionIndex: 0,
                                      peerIsBTNS: true, connections: pad)
        #expect(out.selectors.isEmpty)
        #expect(out.trace.contains { $0.hasPrefix("entry 3 'q'") && $0.contains("10.9.0.17") })
        #expect(out.trace.last == "nothing left: TS_UNACCEPTABLE")
    }
}
