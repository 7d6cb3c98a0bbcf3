import BTNSAuth
@testable import Daemon
import IKEv2
import Testing

/// Flows decided by the SPD against two real engines (RFC 4301 section 5.1, RFC 5386
/// section 2 BTNS_OK, RFC 5660 section 3.1 BYPASS-OR-PROTECT).
@Suite("Flow decisions")
struct FlowDecisionTests {
    let a = FlowEnginePair.addrA
    let b = FlowEnginePair.addrB

    func entry(_ name: String, _ action: SPDAction, connection: String? = nil,
               btns: Bool = false, remote: String = "192.0.2.2/32") -> SPDEntry {
        SPDEntry(name: name, action: action, remoteTS: [SelectorText.parse(remote)!],
                 connection: connection, btnsOK: btns)
    }

    @Test func bypassDiscardAndNoMatchAreDecidedWithoutIKE() throws {
        let pair = FlowEnginePair(
            a: [FlowFixtures.initiator("opp", remote: nil)], b: [FlowFixtures.responder()],
            spd: SPD([entry("dns", .bypass, remote: "192.0.2.2/32[udp/53]"),
                      entry("block", .discard, remote: "192.0.2.2/32[tcp]")]))
        let dns = try #require(pair.flow(Flow(src: a, dst: b, ipProtocol: 17, dstPort: 53)))
        #expect(dns.decision == .bypass && dns.policy == "dns")
        let tcp = try #require(pair.flow(Flow(src: a, dst: b, ipProtocol: 6, dstPort: 80)))
        #expect(tcp.decision == .discard && tcp.policy == "block")
        let other = try #require(pair.flow(Flow(src: a, dst: b, ipProtocol: 1)))
        #expect(other.decision == .discard && other.policy == nil)
        #expect(other.reason.contains("no SPD entry matches"))
        #expect(pair.a.snapshots().isEmpty)
        #expect(pair.decider.records.map(\.id) == [1, 2, 3])
    }

    @Test func protectWithATemplateBringsUpAChildSAForTheFlow() throws {
        let pair = FlowEnginePair(
            a: [FlowFixtures.initiator("opp", remote: nil)], b: [FlowFixtures.responder()],
            spd: SPD([entry("all", .protect, connection: "opp", remote: "0.0.0.0/0")]))
        let r = try #require(pair.flow(Flow(src: a, dst: b, ipProtocol: 6, srcPort: 4000,
                                            dstPort: 443)))
        #expect(r.decision == .protected, "\(r) \(pair.logs.joined(separator: "\n"))")
        #expect(r.connection == "opp@192.0.2.2")
        let child = try #require(pair.a.snapshots().first?.children.first)
        #expect(r.childSPI == "\(child.spiIn)/\(child.spiOut)")
        // host to host, all protocols: the policy's selectors say nothing narrower
        #expect(child.localTS == ["192.0.2.1/32"] && child.remoteTS == ["192.0.2.2/32"])

        // a second flow between the same hosts uses the SA without initiating
        let again = try #require(pair.flow(Flow(src: a, dst: b, ipProtocol: 17)))
        #expect(again.decision == .protected && again.reason.contains("opp@192.0.2.2"))
        #expect(pair.a.snapshots().count == 1)
    }

    @Test func protectDiscardsWhenThePeerRefuses() throws {
        // B lets A claim only 198.51.100.0/24: TS_UNACCEPTABLE for A's own address
        let pair = FlowEnginePair(
            a: [FlowFixtures.initiator("fixed", remote: b)],
            b: [FlowFixtures.responder(remoteTS: "198.51.100.0/24")],
            spd: SPD([entry("p", .protect, connection: "fixed")]))
        let r = try #require(pair.flow(Flow(src: a, dst: b)))
        #expect(r.decision == .discard, "\(r)")
        #expect(r.reason.contains("TS_UNACCEPTABLE"), "\(r.reason)")
        #expect(r.reason.contains("policy 'p': no protection, discarded"))
    }

    @Test func bypassOrProtectFallsBackToTheClearWhenThePeerCannotNegotiate() throws {
        let aes256 = [try ProposalSpec(parsing: "aes256-sha256", forESP: true)]
        let pair = FlowEnginePair(
            a: [FlowFixtures.initiator("opp", remote: nil)],
            b: [FlowFixtures.responder(esp: aes256)],
            spd: SPD([entry("maybe", .bypassOrProtect, connection: "opp")]))
        let r = try #require(pair.flow(Flow(src: a, dst: b)))
        #expect(r.decision == .bypass, "\(r)")
        #expect(r.reason.contains("could not negotiate"), "\(r.reason)")
        #expect(r.reason.contains("NO_PROPOSAL_CHOSEN"), "\(r.reason)")
        #expect(pair.decider.records.last?.decision == .bypass)
    }

    @Test func aSilentPeerTimesOutIntoTheFallback() throws {
        let pair = FlowEnginePair(
            a: [FlowFixtures.initiator("opp", remote: nil)], b: [FlowFixtures.responder()],
            spd: SPD([entry("maybe", .bypassOrProtect, connection: "opp")]))
        pair.silent = true
        let r = try #require(pair.flow(Flow(src: a, dst: b)))
        #expect(r.decision == .pending)
        for _ in 0..<80 { pair.advance(1) }
        let done = try #require(pair.decided.first)
        #expect(done.id == r.id && done.decision == .bypass, "\(done)")
        #expect(done.reason.contains("timeout"), "\(done.reason)")
    }

    /// RFC 5386 section 2: traffic of a BTNS peer may only match entries with BTNS_OK.
    @Test func aBTNSPeerSatisfiesOnlyEntriesWithTheBTNSFlag() throws {
        let keyA = try PrivateKey.generate(.ed25519)
        let keyB = try PrivateKey.generate(.ed25519)
        var respB = FlowFixtures.responder(local: .privateKey(keyB))
        respB.remoteAuth = .publicKeys([keyA.publicKey])
        func pair(_ btns: Bool) -> FlowEnginePair {
            FlowEnginePair(
                a: [FlowFixtures.initiator("leap", remote: nil, remoteAuth: .btns,
                                           local: .privateKey(keyA))],
                b: [respB],
                spd: SPD([entry("e", .protect, connection: "leap", btns: btns)]))
        }
        let strict = pair(false)
        let refused = try #require(strict.flow(Flow(src: a, dst: b)))
        #expect(refused.decision == .discard, "\(refused) \(strict.logs.joined(separator: "\n"))")
        #expect(refused.reason.contains("BTNS"), "\(refused.reason)")
        // the SA exists, but never counts for this entry
        #expect(strict.a.snapshots().first?.btns == true)
        #expect(strict.flow(Flow(src: a, dst: b))?.decision == .discard)

        let lax = pair(true)
        let ok = try #require(lax.flow(Flow(src: a, dst: b)))
        #expect(ok.decision == .protected, "\(ok)")
    }

    @Test func anUnauthorizedSADoesNotCount() throws {
        let pair = FlowEnginePair(
            a: [FlowFixtures.initiator("opp", remote: nil)], b: [FlowFixtures.responder()],
            spd: SPD([entry("all", .protect, connection: "opp")]))
        #expect(pair.flow(Flow(src: a, dst: b))?.decision == .protected)
        var narrowed = pair.a.connections
        narrowed[0].remoteID = .exact(IDPayload(text: "fqdn:other.test")!)
        #expect(pair.a.replaceConnections(narrowed).count == 1)
        let sas = pair.a.snapshots()
        let hit = FlowDecider.protection(for: Flow(src: a, dst: b),
                                         entry: pair.decider.spd.entries[0], sas: sas)
        #expect(hit?.sa == nil)
    }

    @Test func theTableIsBounded() {
        let d = FlowDecider(spd: SPD([entry("x", .bypass)]))
        for i in 0..<(FlowDecider.capacity + 10) {
            _ = d.handle(Flow(src: a, dst: b), now: Double(i), sas: [], connections: [])
        }
        #expect(d.records.count == FlowDecider.capacity)
        #expect(d.records.first?.id == 11)
    }
}
