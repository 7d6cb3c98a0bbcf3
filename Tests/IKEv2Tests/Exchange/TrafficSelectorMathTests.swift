import IKEv2
import Testing

/// Selector from `cidr` text with optional protocol and ports.
private func ts(_ text: String, proto: UInt8 = 0, ports: ClosedRange<UInt16> = 0...65535)
    -> TrafficSelector
{
    var t = TrafficSelector(cidr: text, ipProtocol: proto)!
    t.startPort = ports.lowerBound
    t.endPort = ports.upperBound
    return t
}

private func show(_ list: [TrafficSelector]) -> [String] { list.map(\.displayString) }

@Suite("TrafficSelectorMath.intersect")
struct TSIntersectTests {
    @Test func overlappingIPv4Ranges() {
        let i = TrafficSelectorMath.intersect(ts("10.0.0.0/24"), ts("10.0.0.128-10.0.1.9"))
        #expect(i?.displayString == "10.0.0.128/25")
    }

    @Test func disjointAndMixedFamiliesAreEmpty() {
        #expect(TrafficSelectorMath.intersect(ts("10.0.0.0/24"), ts("10.0.1.0/24")) == nil)
        #expect(TrafficSelectorMath.intersect(ts("0.0.0.0/0"), ts("::/0")) == nil)
    }

    @Test func adjacentRangesTouchingInOneAddress() {
        let i = TrafficSelectorMath.intersect(ts("10.0.0.0-10.0.0.5"), ts("10.0.0.5-10.0.0.9"))
        #expect(i?.displayString == "10.0.0.5/32")
    }

    @Test func protocolAnyNarrowsToSpecific() {
        #expect(TrafficSelectorMath.intersect(ts("10.0.0.1"), ts("10.0.0.1", proto: 6))?
            .ipProtocol == 6)
        #expect(TrafficSelectorMath.intersect(ts("10.0.0.1", proto: 17),
                                              ts("10.0.0.1", proto: 6)) == nil)
    }

    @Test func portRanges() {
        let i = TrafficSelectorMath.intersect(ts("10.0.0.1", proto: 6, ports: 0...1024),
                                              ts("10.0.0.0/8", ports: 443...8443))
        #expect(i?.displayString == "10.0.0.1/32[6/443-1024]")
        #expect(TrafficSelectorMath.intersect(ts("10.0.0.1", ports: 100...200),
                                              ts("10.0.0.1", ports: 300...400)) == nil)
    }

    @Test func opaquePortsOverlapOnlyAnyOrOpaque() {
        var opaque = ts("10.0.0.1", proto: 17)
        opaque.startPort = 65535
        opaque.endPort = 0
        let withAny = TrafficSelectorMath.intersect(opaque, ts("10.0.0.0/24"))
        #expect(withAny?.startPort == 65535 && withAny?.endPort == 0)
        #expect(TrafficSelectorMath.intersect(opaque, ts("10.0.0.0/24", ports: 0...100)) == nil)
        #expect(TrafficSelectorMath.intersect(opaque, opaque) == opaque)
    }

    @Test func malformedSelectorsAreEmpty() {
        var backwards = ts("10.0.0.1")
        backwards.startAddress = [10, 0, 0, 9]
        #expect(TrafficSelectorMath.intersect(backwards, ts("0.0.0.0/0")) == nil)
        var wrongLength = ts("10.0.0.1")
        wrongLength.type = .ipv6AddrRange
        #expect(TrafficSelectorMath.intersect(wrongLength, ts("::/0")) == nil)
    }

    @Test func ipv6AcrossThe64BitBoundary() {
        let a = ts("::ffff:ffff:ffff:fff0-::1:0:0:0:10")
        let b = ts("::1:0:0:0:0/112")
        #expect(TrafficSelectorMath.intersect(a, b)?.displayString == "0:0:0:1::-::1:0:0:0:10")
        let c = ts("::ffff:ffff:ffff:ff00/120")
        #expect(TrafficSelectorMath.intersect(a, c)?.displayString
            == "::ffff:ffff:ffff:fff0/124")
    }
}

@Suite("TrafficSelectorMath.narrow")
struct TSNarrowTests {
    /// libreswan #918/#921: `::/0` against two allowed hosts must give both hosts.
    @Test func ipv6AnyAgainstTwoHostsGivesBoth() {
        let out = TrafficSelectorMath.narrow(requested: [ts("::/0")],
                                             allowed: [ts("::1"), ts("::2")])
        #expect(show(out) == ["::1/128", "::2/128"])
    }

    /// RFC 7296 section 2.9: the initiator puts the triggering packet's selector first,
    /// then the range its policy covers; a responder allowing the whole /24 for UDP
    /// keeps both, one allowing a single host keeps only what overlaps it.
    @Test func rfc7296Section2_9Example() {
        let requested = [ts("198.51.100.66", proto: 17, ports: 100...100),
                         ts("198.51.100.0/24", proto: 17)]
        let wide = TrafficSelectorMath.narrow(requested: requested,
                                              allowed: [ts("198.51.100.0/24")])
        #expect(wide == requested)
        let host = TrafficSelectorMath.narrow(requested: requested,
                                              allowed: [ts("198.51.100.66")])
        #expect(show(host) == ["198.51.100.66/32[17/100]", "198.51.100.66/32[17/0-65535]"])
        let other = TrafficSelectorMath.narrow(requested: requested,
                                               allowed: [ts("203.0.113.0/24")])
        #expect(other.isEmpty)
    }

    @Test func severalSelectorsMixedFamiliesOrderAndDeduplication() {
        let requested = [ts("10.0.0.0/16"), ts("2001:db8::/32"), ts("10.0.0.0/8")]
        let allowed = [ts("2001:db8:1::/48"), ts("10.0.5.0/24"), ts("10.9.0.0/16")]
        let out = TrafficSelectorMath.narrow(requested: requested, allowed: allowed)
        #expect(show(out) == ["10.0.5.0/24", "2001:db8:1::/48", "10.9.0.0/16"])
    }

    @Test func narrowedResultIsCoveredByRequest() {
        let requested = [ts("10.0.0.0/8", proto: 6, ports: 1...1000)]
        let out = TrafficSelectorMath.narrow(requested: requested,
                                             allowed: [ts("10.1.2.3-10.1.9.0", ports: 22...22)])
        #expect(out.count == 1)
        #expect(TrafficSelectorMath.covers(requested, out))
    }
}

@Suite("TrafficSelectorMath.subtract")
struct TSSubtractTests {
    @Test func holeInTheMiddle() {
        let out = TrafficSelectorMath.subtract(ts("10.0.0.0/24"), removing: [ts("10.0.0.5")])
        #expect(show(out) == ["10.0.0.0-10.0.0.4", "10.0.0.6-10.0.0.255"])
    }

    @Test func edgesAndSingleAddressRemainders() {
        let edges = TrafficSelectorMath.subtract(ts("10.0.0.0/24"),
                                                 removing: [ts("10.0.0.0"), ts("10.0.0.255")])
        #expect(show(edges) == ["10.0.0.1-10.0.0.254"])
        let pair = TrafficSelectorMath.subtract(ts("10.0.0.0/31"), removing: [ts("10.0.0.1")])
        #expect(show(pair) == ["10.0.0.0/32"])
    }

    @Test func wholeRangeRemovedGivesNothing() {
        #expect(TrafficSelectorMath.subtract(ts("10.0.0.0/24"),
                                             removing: [ts("10.0.0.0/16")]).isEmpty)
        #expect(TrafficSelectorMath.subtract(ts("10.0.0.0/24"),
                                             removing: [ts("10.0.0.0/25"),
                                                        ts("10.0.0.128/25")]).isEmpty)
    }

    @Test func extremesDoNotOverflow() {
        let v4 = TrafficSelectorMath.subtract(ts("0.0.0.0/0"),
                                              removing: [ts("0.0.0.0"), ts("255.255.255.255")])
        #expect(show(v4) == ["0.0.0.1-255.255.255.254"])
        let v6 = TrafficSelectorMath.subtract(ts("::/0"), removing: [ts("::/1")])
        #expect(show(v6) == ["8000::/1"])
        let top = TrafficSelectorMath.subtract(ts("::/0"), removing: [ts("8000::/1")])
        #expect(show(top) == ["::/1"])
    }

    @Test func ipv6HoleAtThe64BitBoundary() {
        let out = TrafficSelectorMath.subtract(ts("::/64"), removing: [ts("::ffff:ffff:ffff:ffff")])
        #expect(show(out) == ["::-::ffff:ffff:ffff:fffe"])
        let across = TrafficSelectorMath.subtract(ts("::ffff:ffff:ffff:fffe-::1:0:0:0:1"),
                                                  removing: [ts("::1:0:0:0:0")])
        #expect(show(across) == ["::ffff:ffff:ffff:fffe/127", "::1:0:0:0:1/128"])
    }

    @Test func keepsProtocolAndPortsOfTheInput() {
        let out = TrafficSelectorMath.subtract(ts("10.0.0.0/30", proto: 6, ports: 80...80),
                                               removing: [ts("10.0.0.1-10.0.0.2")])
        #expect(show(out) == ["10.0.0.0/32[6/80]", "10.0.0.3/32[6/80]"])
    }

    /// Documented choice: addresses go for all ports, even when the removed selector
    /// names other ports or another protocol.
    @Test func removesAddressesWhateverThePortsOfTheRemovedSelector() {
        let out = TrafficSelectorMath.subtract(ts("10.0.0.0/30", proto: 17, ports: 53...53),
                                               removing: [ts("10.0.0.1", proto: 6,
                                                             ports: 22...22)])
        #expect(show(out) == ["10.0.0.0/32[17/53]", "10.0.0.2/31[17/53]"])
    }

    @Test func otherFamilyRemovesNothing() {
        let out = TrafficSelectorMath.subtract(ts("10.0.0.0/24"), removing: [ts("::/0")])
        #expect(show(out) == ["10.0.0.0/24"])
    }
}

@Suite("TrafficSelectorMath.covers")
struct TSCoversTests {
    @Test func addressesProtocolAndPorts() {
        #expect(TrafficSelectorMath.covers(ts("10.0.0.0/8"), ts("10.1.0.0/16", proto: 6)))
        #expect(!TrafficSelectorMath.covers(ts("10.1.0.0/16", proto: 6), ts("10.1.0.0/16")))
        #expect(!TrafficSelectorMath.covers(ts("10.0.0.0/24"), ts("10.0.0.0/23")))
        #expect(TrafficSelectorMath.covers(ts("10.0.0.1", ports: 1...100),
                                           ts("10.0.0.1", ports: 50...100)))
        #expect(!TrafficSelectorMath.covers(ts("10.0.0.1", ports: 1...100),
                                            ts("10.0.0.1", ports: 50...101)))
        #expect(!TrafficSelectorMath.covers(ts("::/0"), ts("10.0.0.1")))
        #expect(TrafficSelectorMath.covers(ts("::/0"), ts("2001:db8::1")))
    }

    @Test func malformedInnerIsNeverCovered() {
        var bad = ts("10.0.0.1")
        bad.endAddress = [10, 0, 0, 0]
        #expect(!TrafficSelectorMath.covers(ts("0.0.0.0/0"), bad))
    }

    @Test func unionOfAdjacentSelectors() {
        let outer = [ts("10.0.0.0/25"), ts("10.0.0.128/25")]
        #expect(TrafficSelectorMath.covers(outer, [ts("10.0.0.100-10.0.0.200")]))
        #expect(!TrafficSelectorMath.covers(outer, [ts("10.0.0.100-10.0.1.0")]))
        #expect(!TrafficSelectorMath.covers([ts("10.0.0.0/25", proto: 6), ts("10.0.0.128/25")],
                                            [ts("10.0.0.100-10.0.0.200")]))
    }
}
