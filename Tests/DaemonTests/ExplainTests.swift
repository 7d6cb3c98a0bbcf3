import BTNSAuth
import Foundation
import Testing
@testable import Daemon
import IKEv2

/// `ikectl explain` on RFC 5386 section 3.1 (security gateway SG-A, Fig. 2): B's gateway
/// owns 10.2.0.0/16, Q owns 10.9.0.17, everyone else is BTNS. A rogue BTNS peer asserting
/// an authenticated peer's ID fails walk 1 at that entry; asserting its addresses it
/// passes walk 1 and loses them in walk 2.
@Suite("ikectl explain: RFC 5386 example tables")
struct ExplainTests {
    static let sgA = """
        connection B {
            local-id fqdn:sg-a.example
            local-auth psk
            psk "sg-a-and-sg-b-share-this-key-0123"
            remote-id fqdn:sg-b.example
            remote-auth psk
            local-ts 10.1.0.0/16
            remote-ts 10.2.0.0/16
        }
        connection Q {
            local-id fqdn:sg-a.example
            local-auth psk
            psk "sg-a-and-q-share-this-key-0123456"
            remote-id fqdn:q.example
            remote-auth pubkey
            remote-key a/swanctl/pubkey/a.pub
            local-ts 10.1.0.0/16
            remote-ts 10.9.0.17
        }
        connection btns {
            local-id fqdn:sg-a.example
            local-auth pubkey
            local-key b/swanctl/private/b.key
            remote-id %any
            remote-auth btns
            local-ts 10.1.0.0/16
            remote-ts 0.0.0.0/0
        }
        """

    static let rogueKey: PublicKey = try! Keys.generate(.ed25519).publicKey

    func explain(_ id: String, key: PublicKey? = rogueKey, ts: [String] = [],
                 pins: PinStore? = nil) throws -> (PADExplanation, String) {
        let pad = try TestSupport.parse(Self.sgA).connections
        let r = PADRequests.respond(
            ControlRequest(command: .explain, id: id, key: key?.pem, ts: ts),
            connections: pad, pins: pins)
        let x = try #require(r.explanation, "\(r.error ?? "")")
        return (x, PADText.render(explanation: x))
    }

    @Test(.enabled(if: TestSupport.cryptoReady))
    func rogueAssertingQsIDFailsWalk1AtQsEntry() throws {
        let (x, text) = try explain("fqdn:q.example", ts: ["10.9.0.17"])
        #expect(x.refused && x.entry == 2 && !x.btns)
        #expect(text.contains("entry 2 'Q' (pubkey("))
        #expect(text.contains("is not one of its keys"))
        #expect(text.contains("no fall-through to BTNS entries"))
        #expect(text.contains("walk 2") && text.contains("not reached"))
        #expect(text.hasSuffix("result: REFUSED in walk 1: AUTHENTICATION_FAILED"))
        #expect(!text.contains("entry 3 'btns' (btns, %any): matches"))
    }

    @Test(.enabled(if: TestSupport.cryptoReady))
    func rogueAssertingBsIDFailsWalk1AtBsPSKEntry() throws {
        let (x, text) = try explain("fqdn:SG-B.example", ts: ["10.2.0.0/16"])
        #expect(x.refused && x.entry == 1)
        #expect(text.contains("entry 1 'B' decides and demands the PSK"))
        #expect(text.contains("AUTHENTICATION_FAILED"))
    }

    @Test(.enabled(if: TestSupport.cryptoReady))
    func rogueAssertingQsAddressLosesItInWalk2() throws {
        let (x, text) = try explain("keyid:bad0", ts: ["10.9.0.17"])
        #expect(!x.refused && x.entry == 3 && x.btns)
        #expect(x.granted.isEmpty)
        #expect(text.contains("entry 2 'Q' (pubkey("))
        #expect(text.contains("owns 10.9.0.17/32; BTNS peer keeps none"))
        #expect(text.contains("=> TS_UNACCEPTABLE"))
        #expect(text.hasSuffix("child SA refused: TS_UNACCEPTABLE"))
    }

    @Test(.enabled(if: TestSupport.cryptoReady))
    func rogueAssertingPartOfBsNetworkKeepsTheRest() throws {
        let (x, text) = try explain("ipv4:10.2.0.1", ts: ["10.2.255.0-10.3.0.255"])
        #expect(x.entry == 3 && x.btns && x.granted == ["10.3.0.0/24"])
        #expect(text.contains("entry 1 'B' (psk, fqdn:sg-b.example): owns 10.2.0.0/16"))
        #expect(text.contains("child SA narrowed to 10.3.0.0/24"))
    }

    @Test(.enabled(if: TestSupport.cryptoReady))
    func peerCWithItsOwnAddressIsAccepted() throws {
        let (x, text) = try explain("keyid:c0c0c0", ts: ["10.7.0.3"])
        #expect(!x.refused && x.granted == ["10.7.0.3/32"])
        #expect(text.contains("result: ACCEPTED under entry 3 'btns' (BTNS), child SA for "
                              + "10.7.0.3/32"))
    }

    @Test(.enabled(if: TestSupport.cryptoReady))
    func btnsPeerWithoutAKeyIsRefused() throws {
        let (x, text) = try explain("keyid:c0c0c0", key: nil, ts: ["10.7.0.3"])
        #expect(x.refused && x.entry == 3)
        #expect(text.contains("must present its raw public key"))
    }

    @Test(.enabled(if: TestSupport.cryptoReady))
    func pinnedIDWithAnotherKeyIsRefusedUntilApproved() throws {
        let dir = NSTemporaryDirectory() + "explain-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try PinStore(path: dir + "/pins.sqlite")
        let id = IDPayload(text: "fqdn:c.example")!
        let original = try Keys.generate(.ed25519).publicKey
        #expect(store.check(peerID: id, key: original) == .pinnedNow)
        let (ok, _) = try explain("fqdn:c.example", key: original, ts: ["10.7.0.3"],
                                  pins: store)
        #expect(!ok.refused && ok.walk1Result.contains("is the one pinned"))
        let (x, text) = try explain("fqdn:c.example", ts: ["10.7.0.3"], pins: store)
        #expect(x.refused)
        #expect(text.contains("pinned to key \(original.fingerprint)"))

        // the refusal is recorded when the peer really comes; then the operator approves
        _ = store.check(peerID: id, key: Self.rogueKey)
        let pad = try TestSupport.parse(Self.sgA).connections
        let show = PADRequests.respond(ControlRequest(command: .pinsShow, id: "fqdn:c.example"),
                                       connections: pad, pins: store)
        #expect(show.pin?.refusals.map(\.fingerprint) == [Self.rogueKey.fingerprint])
        #expect(PADText.render(pin: try #require(show.pin))
            .contains("refused keys, newest first:"))
        var logged: [String] = []
        let approve = PADRequests.respond(
            ControlRequest(command: .pinsApprove, id: "fqdn:c.example"), connections: pad,
            pins: store, log: { logged.append($0) })
        #expect(approve.ok)
        #expect(approve.pin?.pin.fingerprint == Self.rogueKey.fingerprint)
        #expect(logged.count == 1 && logged[0].contains(original.fingerprint))
        let (after, _) = try explain("fqdn:c.example", ts: ["10.7.0.3"], pins: store)
        #expect(!after.refused)
        let again = PADRequests.respond(
            ControlRequest(command: .pinsApprove, id: "fqdn:c.example"), connections: pad,
            pins: store)
        #expect(again.error?.contains("no refused key") == true)
    }

    @Test(.enabled(if: TestSupport.cryptoReady))
    func padTable() throws {
        let pad = PADEntryInfo.table(try TestSupport.parse(Self.sgA).connections)
        #expect(pad.map(\.number) == [1, 2, 3])
        #expect(pad.map(\.btns) == [false, false, true])
        #expect(pad.map(\.walk1Pass) == [1, 1, 3])
        #expect(pad[0].childAuthorization == ["10.2.0.0/16"])
        let text = PADText.render(pad: pad)
        #expect(text.contains("3. btns  [BTNS wildcard, walk 1 pass 3]"))
    }

    @Test func commandLines() throws {
        func parse(_ s: String) throws -> IkectlInvocation.Command {
            try IkectlInvocation.parse(s.split(separator: " ").map(String.init)).command
        }
        #expect(try parse("pad --json") == .pad(json: true, config: nil))
        #expect(try parse("--config r.conf pad") == .pad(json: false, config: "r.conf"))
        #expect(try parse("explain fqdn:x --key k.pem --ts 10.0.0.0/24 10.1.0.1[tcp/443] "
                          + "--config r.conf")
                == .explain(peerID: "fqdn:x", key: "k.pem",
                            ts: ["10.0.0.0/24", "10.1.0.1[tcp/443]"], json: false,
                            config: "r.conf"))
        #expect(try parse("explain keyid:01 --ts 10.0.0.1 --json --ts 10.0.0.2")
                == .explain(peerID: "keyid:01", key: nil, ts: ["10.0.0.1", "10.0.0.2"],
                            json: true, config: nil))
        #expect(throws: DaemonError.self) { try parse("explain") }
        #expect(throws: DaemonError.self) { try parse("explain fqdn:x --ts") }
        #expect(try parse("pins show fqdn:x --json")
                == .pinsShow(id: "fqdn:x", json: true, store: nil))
        #expect(try parse("pins approve fqdn:x --pin-store p.sqlite")
                == .pinsApprove(id: "fqdn:x", store: "p.sqlite"))
    }
}
