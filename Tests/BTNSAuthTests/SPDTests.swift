import BTNSAuth
import IKEv2
import Testing

/// The ordered SPD (RFC 4301 section 4.4.1) and its selector syntax.
@Suite("SPD lookup")
struct SPDTests {
    let host = IPAddress("10.0.0.1")!
    let nfs = IPAddress("10.9.9.9")!

    func ts(_ s: String) -> [TrafficSelector] { [SelectorText.parse(s)!] }

    /// RFC 5386 section 3.3, client C: port 2049 protected (BTNS_OK), the rest bypassed.
    var exampleC: SPD {
        SPD([SPDEntry(name: "nfs", action: .protect, remoteTS: ts("0.0.0.0/0[tcp/2049]"),
                      connection: "opp", btnsOK: true),
             SPDEntry(name: "rest", action: .bypass)])
    }

    @Test func theFirstMatchingEntryDecides() {
        let spd = exampleC
        #expect(spd.lookup(Flow(src: host, dst: nfs, ipProtocol: 6, srcPort: 900,
                                dstPort: 2049))?.name == "nfs")
        #expect(spd.lookup(Flow(src: host, dst: nfs, ipProtocol: 6, dstPort: 22))?.name == "rest")
        // unknown port: only entries for every port match
        #expect(spd.lookup(Flow(src: host, dst: nfs, ipProtocol: 6))?.name == "rest")
        // order matters: a bypass first shadows the protect entry
        let reversed = SPD(spd.entries.reversed())
        #expect(reversed.lookup(Flow(src: host, dst: nfs, ipProtocol: 6,
                                     dstPort: 2049))?.name == "rest")
    }

    @Test func noMatchAndAddressFamilies() {
        let spd = SPD([SPDEntry(name: "v4", action: .discard, localTS: ts("10.0.0.0/8"),
                                remoteTS: ts("0.0.0.0/0"))])
        #expect(spd.lookup(Flow(src: IPAddress("192.0.2.1")!, dst: nfs)) == nil)
        #expect(spd.lookup(Flow(src: IPAddress("2001:db8::1")!, dst: IPAddress("::1")!)) == nil)
        #expect(SPD().lookup(Flow(src: host, dst: nfs)) == nil)
        let any = SPDEntry(name: "any", action: .bypass)
        #expect(any.matches(Flow(src: IPAddress("2001:db8::1")!, dst: IPAddress("::1")!)))
    }

    @Test func childSelectorsAreTheFlowsHostsWithTheEntrysPorts() {
        let e = exampleC.entries[0]
        let f = Flow(src: host, dst: nfs, ipProtocol: 6, srcPort: 900, dstPort: 2049)
        let (local, remote) = e.childSelectors(for: f)
        #expect(local.map(\.displayString) == ["10.0.0.1/32"])
        #expect(remote.map(\.displayString) == ["10.9.9.9/32[6/2049]"])
        #expect(f.isCovered(local: local, remote: remote))
        #expect(!Flow(src: host, dst: nfs, ipProtocol: 6, dstPort: 22)
            .isCovered(local: local, remote: remote))
    }

    @Test func selectorTextReadsConfigurationAndDisplayForms() {
        #expect(SelectorText.parse("10.0.0.0/24[tcp/443]")?.displayString == "10.0.0.0/24[6/443]")
        #expect(SelectorText.parse("10.0.0.0/24[udp/500-4500]")?.displayString
            == "10.0.0.0/24[17/500-4500]")
        #expect(SelectorText.parse("10.0.0.1-10.0.0.9[icmp]")?.ipProtocol == 1)
        #expect(SelectorText.parse("::/0")?.displayString == "::/0")
        for bad in ["10.0.0.0/24[tcp/443", "10.0.0.0/24[bogus]", "10.0.0.0/24[tcp/9-1]",
                    "10.0.0.0/33", "[tcp]", "10.0.0.0/24[tcp/1/2]"] {
            #expect(SelectorText.parse(bad) == nil, "\(bad)")
        }
        // what child SA snapshots carry reads back to the same selector
        for s in ["10.0.0.1/32", "10.0.0.0/24[6/443]", "10.0.0.1-10.0.0.9", "10.0.0.1/32[17/1-2]"] {
            #expect(SelectorText.parse(s)?.displayString == s)
        }
    }

    @Test func flowText() {
        #expect(Flow(src: host, dst: nfs, ipProtocol: 6, srcPort: 1, dstPort: 2).description
            == "10.0.0.1:1 -> 10.9.9.9:2 tcp")
        #expect(Flow(src: host, dst: nfs).description == "10.0.0.1 -> 10.9.9.9 any")
    }
}
