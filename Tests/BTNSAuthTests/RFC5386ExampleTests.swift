import BTNSAuth
import IKEv2
import Testing

/// RFC 5386 section 3, the example PADs (spec digest 1.4), as tables.
///
/// Addresses: A 10.1.0.10, B's network 10.2.0.0/16 behind SG-B, Q 10.9.0.17,
/// C 10.7.0.3, D anywhere else. SPD and BTNS_OK are outside the PAD and not tested here.
@Suite("RFC 5386 section 3 examples")
struct RFC5386ExampleTests {
    let policy = PADPolicy(pinStore: nil)

    /// Outcome of both walks for one peer.
    struct Case: Sendable, CustomTestStringConvertible {
        var what: String
        var assertedID: String
        var claimedTS: [String]
        /// Expected walk 1 entry (0-based) and kind; nil: no entry.
        var entry: Int?
        var btns: Bool
        /// Expected walk 2 result (display strings); empty: TS_UNACCEPTABLE.
        var granted: [String]
        var testDescription: String { what }
    }

    private func run(_ c: Case, pad: [ConnectionConfig]) {
        let m = policy.walk1(peerID: Fixture.id(c.assertedID), connections: pad)
        #expect(m?.connectionIndex == c.entry, "\(c.what): walk 1 entry")
        guard let m else { return }
        #expect(m.isBTNS == c.btns, "\(c.what): walk 1 kind")
        let got = policy.walk2(peerTS: c.claimedTS.map(Fixture.ts),
                               connectionIndex: m.connectionIndex, peerIsBTNS: m.isBTNS,
                               connections: pad)
        #expect(got.map(\.displayString) == c.granted, "\(c.what): walk 2")
    }

    // MARK: Example 1, security gateway SG-A (section 3.1, Fig. 2)

    static let sgAPAD: [ConnectionConfig] = [
        Fixture.entry("B", .exact(Fixture.id("fqdn:sg-b.example")),
                      .publicKeys([Fixture.keyB]), remoteTS: ["10.2.0.0/16"]),
        Fixture.entry("Q", .exact(Fixture.id("fqdn:q.example")),
                      .publicKeys([Fixture.keyA]), remoteTS: ["10.9.0.17"]),
        Fixture.entry("BTNS", .any, .btns, remoteTS: ["0.0.0.0/0"]),
    ]

    static let sgACases: [Case] = [
        Case(what: "Q matches entry 2 and gets its host", assertedID: "fqdn:q.example",
             claimedTS: ["10.9.0.17"], entry: 1, btns: false, granted: ["10.9.0.17/32"]),
        Case(what: "SG-B matches entry 1 and gets B's network", assertedID: "fqdn:sg-b.example",
             claimedTS: ["10.2.0.0/16"], entry: 0, btns: false, granted: ["10.2.0.0/16"]),
        Case(what: "C falls through to the BTNS entry and gets its own address",
             assertedID: "keyid:c0c0c0", claimedTS: ["10.7.0.3"], entry: 2, btns: true,
             granted: ["10.7.0.3/32"]),
        Case(what: "rogue asserting Q's ID is decided by Q's entry (then fails AUTH)",
             assertedID: "fqdn:Q.example", claimedTS: ["10.9.0.17"], entry: 1, btns: false,
             granted: ["10.9.0.17/32"]),
        Case(what: "rogue asserting B's ID is decided by B's entry (then fails AUTH)",
             assertedID: "fqdn:sg-b.example", claimedTS: ["10.2.0.0/16"], entry: 0,
             btns: false, granted: ["10.2.0.0/16"]),
        Case(what: "rogue asserting Q's address passes walk 1, loses it in walk 2",
             assertedID: "keyid:bad0", claimedTS: ["10.9.0.17"], entry: 2, btns: true,
             granted: []),
        Case(what: "rogue asserting B's network passes walk 1, loses it in walk 2",
             assertedID: "ipv4:10.2.0.1", claimedTS: ["10.2.0.0/16"], entry: 2, btns: true,
             granted: []),
        Case(what: "rogue asserting part of B's network and more keeps only the rest",
             assertedID: "keyid:bad1", claimedTS: ["10.2.255.0-10.3.0.255"], entry: 2,
             btns: true, granted: ["10.3.0.0/24"]),
        Case(what: "rogue asserting C's address succeeds (the accepted residual hole)",
             assertedID: "keyid:bad2", claimedTS: ["10.7.0.3"], entry: 2, btns: true,
             granted: ["10.7.0.3/32"]),
    ]

    @Test(arguments: sgACases)
    func securityGatewaySGA(_ c: Case) { run(c, pad: Self.sgAPAD) }

    // MARK: Example 2, mixed end system Q (section 3.2)

    static let qPAD: [ConnectionConfig] = [
        Fixture.entry("A", .exact(Fixture.id("fqdn:a.example")), .publicKeys([Fixture.keyA]),
                      remoteTS: ["10.1.0.10"]),
        Fixture.entry("BTNS", .any, .btns, remoteTS: ["0.0.0.0/0"]),
    ]

    static let qCases: [Case] = [
        Case(what: "A matches entry 1", assertedID: "fqdn:a.example", claimedTS: ["10.1.0.10"],
             entry: 0, btns: false, granted: ["10.1.0.10/32"]),
        Case(what: "SG-B is unknown to Q, so it is a BTNS peer and gets B's network",
             assertedID: "fqdn:sg-b.example", claimedTS: ["10.2.0.0/16"], entry: 1, btns: true,
             granted: ["10.2.0.0/16"]),
        Case(what: "a BTNS node claiming A's address loses it", assertedID: "keyid:bad0",
             claimedTS: ["10.1.0.0/24"], entry: 1, btns: true,
             granted: ["10.1.0.0-10.1.0.9", "10.1.0.11-10.1.0.255"]),
    ]

    @Test(arguments: qCases)
    func mixedEndSystemQ(_ c: Case) { run(c, pad: Self.qPAD) }

    // MARK: Example 3, BTNS-only client C (section 3.3)

    static let cPAD: [ConnectionConfig] = [
        Fixture.entry("BTNS", .any, .btns, remoteTS: ["0.0.0.0/0", "::/0"]),
    ]

    static let cCases: [Case] = [
        Case(what: "C ignores the identity Q asserts", assertedID: "fqdn:q.example",
             claimedTS: ["10.9.0.17"], entry: 0, btns: true, granted: ["10.9.0.17/32"]),
        Case(what: "any peer, any address", assertedID: "ipv6:2001:db8::9",
             claimedTS: ["2001:db8::9"], entry: 0, btns: true, granted: ["2001:db8::9/128"]),
    ]

    @Test(arguments: cCases)
    func btnsOnlyClientC(_ c: Case) { run(c, pad: Self.cPAD) }

    /// Section 3.4: without a BTNS entry, C is rejected by the plain RFC 4301 model.
    @Test func withoutBTNSEntriesCIsRejected() {
        let pad = Array(Self.sgAPAD.prefix(2))
        #expect(policy.walk1(peerID: Fixture.id("keyid:c0c0c0"), connections: pad) == nil)
    }
}
