import BTNSAuth
import Testing
@testable import Daemon
import IKEv2

/// `remote-id` matcher forms and `remote-ts`/`local-ts` protocol and port syntax.
@Suite("PAD configuration: ID matchers and selectors")
struct PADConfigTests {
    /// One responder connection with `remote-id ID` and `remote-ts TS`.
    static func conf(id: String, auth: String = "psk", ts: String = "10.1.0.0/24",
                     extra: String = "") -> String {
        """
        connection c {
            local-id fqdn:gw.example
            local-auth psk
            psk "a-long-enough-preshared-key-0123"
            remote-id \(id)
            remote-auth \(auth)
            local-ts 10.0.0.0/24
            remote-ts \(ts)
            \(extra)
        }
        """
    }

    func matcher(_ id: String, auth: String = "psk") throws -> IDMatcher {
        try TestSupport.parse(Self.conf(id: id, auth: auth)).connections[0].remoteID
    }

    @Test func addressRangeMatchers() throws {
        #expect(try matcher("ipv4:10.0.0.0/24").description == "ipv4:10.0.0.0/24")
        #expect(try matcher("ipv4:10.0.0.1-10.0.0.9").description == "ipv4:10.0.0.1-10.0.0.9")
        #expect(try matcher("ipv6:2001:db8::/64").description == "ipv6:2001:db8::/64")
        #expect(try matcher("ipv6:2001:db8::1-2001:db8::9").description
                == "ipv6:2001:db8::1-2001:db8::9")
        #expect(try matcher("ipv4:10.0.0.1") == .exact(IDPayload(text: "ipv4:10.0.0.1")!))
        for bad in ["ipv4:10.0.0.0/33", "ipv4:2001:db8::/64", "ipv6:10.0.0.0/8",
                    "ipv4:10.0.0.9-10.0.0.1"] {
            let errors = TestSupport.errors(Self.conf(id: bad))
            #expect(errors.count == 1, "\(bad): \(errors)")
            #expect(errors.first?.message.contains("remote-id") == true)
        }
    }

    @Test func emailDomainAndDN() throws {
        #expect(try matcher("email:*@example.com") == .rfc822Domain("example.com"))
        #expect(TestSupport.errors(Self.conf(id: "email:*@")).count == 1)
        let dn = try matcher("\"dn:CN=host, O=Example\"")
        #expect(dn.description == "dn:CN=host,O=Example")
        #expect(dn.matches(IDPayload(text: "dn:CN=host,O=Example")!))
        #expect(try matcher("dn:/CN=host/O=Example").description == "dn:CN=host,O=Example")
        #expect(TestSupport.errors(Self.conf(id: "dn:/CN=host/XX=y")).count == 1)
    }

    @Test func localIDMayBeADN() throws {
        let text = Self.conf(id: "%any").replacingOccurrences(
            of: "local-id fqdn:gw.example", with: "local-id \"dn:CN=gw,O=Example\"")
        let c = try TestSupport.parse(text).connections[0]
        #expect(c.localID?.type == .derASN1DN)
        #expect(c.localID?.displayString == "dn:CN=gw,O=Example")
    }

    @Test(.enabled(if: TestSupport.cryptoReady))
    func publicKeyEntry() throws {
        // remote-auth pubkey: remote-key may be left out, the key of the matcher is used
        let c = try TestSupport.parse(Self.conf(id: "publickey:a/swanctl/pubkey/a.pub",
                                                auth: "pubkey")).connections[0]
        guard case .publicKey(let key, let source) = c.remoteID,
              case .publicKeys(let keys) = c.remoteAuth else {
            Issue.record("not a publickey entry: \(c.remoteID) \(c.remoteAuth)")
            return
        }
        #expect(source == "a/swanctl/pubkey/a.pub")
        #expect(keys == [key])
        // BTNS entry for one key
        let b = try TestSupport.parse(Self.conf(id: "publickey:a/swanctl/pubkey/a.pub",
                                                auth: "btns")).connections[0]
        #expect(b.remoteAuth.isBTNS && b.remoteID.isPublicKey)
        // a remote-key that is not the matcher's key
        let errors = TestSupport.errors(Self.conf(
            id: "publickey:a/swanctl/pubkey/a.pub", auth: "pubkey",
            extra: "remote-key b/swanctl/pubkey/b.pub"))
        #expect(errors.count == 1 && errors[0].message.contains("not among the remote-key"))
        #expect(TestSupport.errors(Self.conf(id: "publickey:nope.pub", auth: "pubkey"))
            .first?.message.contains("not found") == true)
    }

    @Test func selectorsWithProtocolsAndPorts() throws {
        let c = try TestSupport.parse(Self.conf(
            id: "%any", ts: "10.0.0.0/24[tcp/443], 10.0.1.1[udp/500-600], 10.0.2.0/24[6], "
                + "10.0.3.0/24[icmp], 2001:db8::/64[ipv6-icmp], 10.0.4.0/24[sctp/9], "
                + "10.0.5.0/24[any]")).connections[0]
        let ts = c.remoteTS
        #expect(ts.map(\.ipProtocol) == [6, 17, 6, 1, 58, 132, 0])
        #expect(ts.map(\.startPort) == [443, 500, 0, 0, 0, 9, 0])
        #expect(ts.map(\.endPort) == [443, 600, 65535, 65535, 65535, 9, 65535])
        #expect(ts.map(SelectorSyntax.show) == [
            "10.0.0.0/24[tcp/443]", "10.0.1.1/32[udp/500-600]", "10.0.2.0/24[tcp]",
            "10.0.3.0/24[icmp]", "2001:db8::/64[ipv6-icmp]", "10.0.4.0/24[sctp/9]",
            "10.0.5.0/24"])
        for bad in ["10.0.0.0/24[tcp/443", "10.0.0.0/24[foo]", "10.0.0.0/24[tcp/70000]",
                    "10.0.0.0/24[tcp/9-1]", "10.0.0.0/24[any/80]", "10.0.0.0/24[256]"] {
            let errors = TestSupport.errors(Self.conf(id: "%any", ts: bad))
            #expect(errors.count == 1, "\(bad): \(errors)")
        }
    }

    /// Walk 2 narrowing honours protocol and ports (RFC 7296 2.9).
    @Test func walk2NarrowsToProtocolAndPorts() throws {
        let text = Self.conf(id: "fqdn:branch.example", ts: "10.1.0.0/24[tcp/443]")
            + "\n" + Self.conf(id: "%any", auth: "btns", ts: "10.0.0.0/8[udp/500-600]")
                .replacingOccurrences(of: "connection c {", with: "connection b {")
                .replacingOccurrences(of: "local-auth psk", with: "local-auth psk\n")
        let pad = try TestSupport.parse(text).connections
        func walk2(_ index: Int, _ asks: [String], btns: Bool) throws -> [String] {
            let ts = try PADRequests.selectors(asks)
            return PADPolicy(pinStore: nil).walk2(peerTS: ts, connectionIndex: index,
                                               peerIsBTNS: btns, connections: pad)
                .map(SelectorSyntax.show)
        }
        #expect(try walk2(0, ["10.1.0.7"], btns: false) == ["10.1.0.7/32[tcp/443]"])
        #expect(try walk2(0, ["10.1.0.7[udp/53]"], btns: false) == [])
        #expect(try walk2(0, ["10.1.0.0/24[tcp/400-500]"], btns: false)
                == ["10.1.0.0/24[tcp/443]"])
        #expect(try walk2(1, ["10.9.0.1[udp]"], btns: true) == ["10.9.0.1/32[udp/500-600]"])
        #expect(try walk2(1, ["10.9.0.1[tcp/80]"], btns: true) == [])
        // the PSK entry owns 10.1.0.0/24 for tcp/443 only, yet the BTNS peer loses the
        // addresses for every protocol (TrafficSelectorMath.subtract, conservative)
        #expect(try walk2(1, ["10.1.0.5[udp/500]"], btns: true) == [])
    }
}
