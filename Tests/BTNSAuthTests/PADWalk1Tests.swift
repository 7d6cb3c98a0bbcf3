import BTNSAuth
import IKEv2
import Testing

/// Walk 1 ordering (RFC 5386 section 2; RFC 4301 4.4.3).
@Suite("PAD walk 1")
struct PADWalk1Tests {
    let policy = PADPolicy(pinStore: nil)

    /// A BTNS wildcard listed first, then a PSK entry and a raw-key entry.
    var pad: [ConnectionConfig] {
        [
            Fixture.entry("btns-any", .any, .btns, remoteTS: ["0.0.0.0/0"]),
            Fixture.entry("psk", .exact(Fixture.id("fqdn:b-psk.lab.test")), Fixture.psk(),
                          remoteTS: ["10.2.0.0/16"]),
            Fixture.entry("keys", .wildcardFQDN(suffix: "keys.lab.test"),
                          .publicKeys([Fixture.keyA]), remoteTS: ["10.3.0.0/16"]),
        ]
    }

    @Test func nonBTNSEntryWinsEvenWhenListedAfterABTNSEntry() {
        let m = policy.walk1(peerID: Fixture.id("fqdn:b-psk.lab.test"), connections: pad)
        #expect(m?.connectionIndex == 1)
        #expect(m?.isBTNS == false)
        #expect(m?.trace.first?.hasPrefix("entry 1 'btns-any' (btns, %any): BTNS entry") == true)
    }

    /// The entry that matches decides: the caller authenticates against it alone, so a
    /// peer that then fails AUTH is rejected, never retried against the BTNS wildcard.
    @Test func matchingNonBTNSEntryIsReturnedNotTheBTNSFallback() {
        for id in ["fqdn:B-PSK.lab.test", "fqdn:gw.keys.lab.test"] {
            let m = policy.walk1(peerID: Fixture.id(id), connections: pad)
            #expect(m?.isBTNS == false, "\(id)")
            #expect(m?.connectionIndex != 0, "\(id)")
            #expect(m?.trace.contains { $0.contains("no fall-through") } == true)
        }
    }

    @Test func btnsOnlyWhenNoNonBTNSEntryMatches() {
        let m = policy.walk1(peerID: Fixture.id("keyid:0102030405"), connections: pad)
        #expect(m == PADMatch(connectionIndex: 0, isBTNS: true, trace: m?.trace ?? []))
        #expect(m?.trace == [
            "entry 1 'btns-any' (btns, %any): BTNS entry, deferred until no non-BTNS entry "
                + "matches",
            "entry 2 'psk' (psk, fqdn:b-psk.lab.test): no match",
            "entry 3 'keys' (pubkey(\(Fixture.keyA.fingerprint)), fqdn:*.keys.lab.test): no match",
            "entry 1 'btns-any' (btns, %any): matches keyid:0102030405; BTNS peer, accepted "
                + "on a signature with its own key, then pinned",
        ])
    }

    @Test func firstMatchingNonBTNSEntryInOrderDecides() {
        let pad = [
            Fixture.entry("first", .wildcardFQDN(suffix: "lab.test"), Fixture.psk(),
                          remoteTS: []),
            Fixture.entry("second", .exact(Fixture.id("fqdn:x.lab.test")), Fixture.psk(),
                          remoteTS: []),
        ]
        #expect(policy.walk1(peerID: Fixture.id("fqdn:x.lab.test"), connections: pad)?
            .connectionIndex == 0)
    }

    /// RFC 5386 section 2 rule 2: the wildcard BTNS entry is logically last.
    @Test func wildcardBTNSEntryIsLogicallyLast() {
        let pad = [
            Fixture.entry("btns-any", .any, .btns, remoteTS: ["0.0.0.0/0"]),
            Fixture.entry("psk", .exact(Fixture.id("fqdn:b.lab.test")), Fixture.psk(),
                          remoteTS: []),
            Fixture.entry("btns-c", .exact(Fixture.id("fqdn:c.lab.test")), .btns,
                          remoteTS: ["10.7.0.3"]),
        ]
        let c = policy.walk1(peerID: Fixture.id("fqdn:c.lab.test"), connections: pad)
        #expect(c?.connectionIndex == 2 && c?.isBTNS == true)
        let d = policy.walk1(peerID: Fixture.id("fqdn:d.lab.test"), connections: pad)
        #expect(d?.connectionIndex == 0 && d?.isBTNS == true)
    }

    @Test func noEntryMatches() {
        let pad = [Fixture.entry("psk", .exact(Fixture.id("fqdn:b.lab.test")), Fixture.psk(),
                                 remoteTS: [])]
        let out = policy.walk1Outcome(peerID: Fixture.id("fqdn:z.lab.test"), connections: pad)
        #expect(out.match == nil)
        #expect(out.trace == ["entry 1 'psk' (psk, fqdn:b.lab.test): no match",
                              "no PAD entry matches fqdn:z.lab.test"])
        #expect(policy.walk1(peerID: Fixture.id("fqdn:z.lab.test"), connections: []) == nil)
    }

    @Test func checkPinWithoutStoreFails() {
        #expect(policy.checkPin(peerID: Fixture.id("fqdn:c"), key: Fixture.keyA)
            == .failed("no pin store configured"))
    }
}
