import BTNSAuth
import IKEv2
import Testing

/// ID matchers per ID type (RFC 4301 section 4.4.3.1) and PUBLICKEY (RFC 5386 section 2).
@Suite("PAD ID matchers")
struct IDMatcherTests {
    func id(_ s: String) -> IDPayload { Fixture.id(s) }
    func v4(_ s: String) -> IPAddress { IPAddress(s)! }

    @Test func ipv4AndIPv6Ranges() {
        let cidr = IDMatcher.addressRange(first: v4("10.0.0.0"), last: v4("10.0.0.255"))
        #expect(cidr.matches(id("ipv4:10.0.0.0")))
        #expect(cidr.matches(id("ipv4:10.0.0.255")))
        #expect(!cidr.matches(id("ipv4:10.0.1.0")))
        #expect(!cidr.matches(id("fqdn:10.0.0.1")))
        #expect(cidr.description == "ipv4:10.0.0.0/24")
        let range = IDMatcher.addressRange(first: v4("10.0.0.1"), last: v4("10.0.0.9"))
        #expect(range.matches(id("ipv4:10.0.0.5")))
        #expect(!range.matches(id("ipv4:10.0.0.10")))
        #expect(range.description == "ipv4:10.0.0.1-10.0.0.9")
        let v6 = IDMatcher.addressRange(first: v4("2001:db8::"), last: v4("2001:db8::ffff"))
        #expect(v6.matches(id("ipv6:2001:db8::1234")))
        #expect(!v6.matches(id("ipv6:2001:db8::1:0")))
        #expect(!v6.matches(id("ipv4:32.1.13.184")), "other family never matches")
        #expect(v6.description == "ipv6:2001:db8::/112")
    }

    @Test func exactAddressFQDNAndRFC822() {
        #expect(IDMatcher.exact(id("ipv4:10.0.0.1")).matches(id("ipv4:10.0.0.1")))
        #expect(!IDMatcher.exact(id("ipv4:10.0.0.1")).matches(id("ipv4:10.0.0.2")))
        #expect(IDMatcher.exact(id("fqdn:gw.example")).matches(id("fqdn:GW.Example")))
        #expect(IDMatcher.exact(id("email:Ann@example.com")).matches(id("email:ann@EXAMPLE.com")))
        #expect(!IDMatcher.exact(id("email:ann@example.com")).matches(id("fqdn:ann@example.com")))
    }

    @Test func wildcardFQDN() {
        let m = IDMatcher.wildcardFQDN(suffix: "example.net")
        #expect(m.matches(id("fqdn:a.Example.net")))
        #expect(!m.matches(id("fqdn:example.net.evil")))
        #expect(!m.matches(id("fqdn:badexample.net")))
    }

    @Test func rfc822AnyUserAtDomain() {
        let m = IDMatcher.rfc822Domain("example.com")
        #expect(m.matches(id("email:ann@example.com")))
        #expect(m.matches(id("email:Bob@EXAMPLE.COM")))
        #expect(!m.matches(id("email:ann@sub.example.com")), "exactly the domain")
        #expect(!m.matches(id("email:ann@example.com.evil")))
        #expect(!m.matches(id("fqdn:example.com")))
        #expect(!m.matches(IDPayload(type: .rfc822Addr, data: Array("@example.com".utf8))))
        #expect(m.description == "email:*@example.com")
    }

    @Test func keyID() {
        let m = IDMatcher.exact(id("keyid:0a0b0c"))
        #expect(m.matches(id("keyid:0A:0B:0C")))
        #expect(!m.matches(id("keyid:0a0b0d")))
    }

    @Test func distinguishedNameDER() throws {
        let der = try DistinguishedName.der(fromText: "CN=host, O=Example").get()
        // SEQUENCE { SET { SEQUENCE { OID 2.5.4.3, UTF8String "host" } }, SET { ... O } }
        #expect(der.first == 0x30)
        #expect(DistinguishedName.text(fromDER: der) == "CN=host,O=Example")
        let m = IDMatcher.distinguishedName(der: der, text: "CN=host,O=Example")
        #expect(m.matches(IDPayload(type: .derASN1DN, data: der)))
        #expect(m.matches(id("dn:/CN=host/O=Example")), "OpenSSL -subj form, same DER")
        #expect(m.matches(id("dn:CN=HOST,O=example")), "X509_NAME_cmp folds case")
        #expect(!m.matches(id("dn:O=Example,CN=host")), "RDN order is significant")
        #expect(!m.matches(id("dn:CN=other,O=Example")))
        #expect(!m.matches(IDPayload(type: .fqdn, data: der)))
        #expect(id("dn:CN=host,O=Example").displayString == "dn:CN=host,O=Example")
        // the same name with PrintableString values, as strongSwan encodes it
        let printable: [UInt8] = [0x30, 0x21, 0x31, 0x0d, 0x30, 0x0b, 0x06, 0x03, 0x55, 0x04,
                                  0x03, 0x13, 0x04] + Array("host".utf8)
            + [0x31, 0x10, 0x30, 0x0e, 0x06, 0x03, 0x55, 0x04, 0x0a, 0x13, 0x07]
            + Array("Example".utf8)
        #expect(printable != der)
        #expect(DistinguishedName.text(fromDER: printable) == "CN=host,O=Example")
        #expect(m.matches(IDPayload(type: .derASN1DN, data: printable)))
        #expect(throws: (any Error).self) {
            try DistinguishedName.der(fromText: "CN=host,NOPE=x").get()
        }
        #expect(throws: (any Error).self) { try DistinguishedName.der(fromText: "host").get() }
        #expect(DistinguishedName.text(fromDER: [0x30, 0x03, 0x01]) == nil)
    }

    @Test func publicKeyMatchesByPresentedKeyWhateverTheID() {
        let m = IDMatcher.publicKey(Fixture.keyA, source: "a.pub")
        #expect(m.matches(id("fqdn:anything.example"), presentedKey: Fixture.keyA))
        #expect(m.matches(id("keyid:01"), presentedKey: Fixture.keyA))
        #expect(!m.matches(id("fqdn:anything.example"), presentedKey: Fixture.keyB))
        #expect(!m.matches(id("fqdn:anything.example")), "no presented key: fail closed")
        #expect(m.description.hasPrefix("publickey:a.pub (ed25519 "))
    }
}

/// PUBLICKEY entries in walk 1 (RFC 5386 section 2).
@Suite("PAD walk 1 with PUBLICKEY entries")
struct PublicKeyEntryTests {
    let policy = PADPolicy(pinStore: nil)

    var pad: [ConnectionConfig] {
        [
            Fixture.entry("psk", .exact(Fixture.id("fqdn:branch.example")), Fixture.psk(),
                          remoteTS: ["10.1.0.0/24"]),
            Fixture.entry("known", .publicKey(Fixture.keyA, source: "a.pub"),
                          .publicKeys([Fixture.keyA]), remoteTS: ["10.2.0.0/24"]),
            Fixture.entry("any", .any, .btns, remoteTS: ["0.0.0.0/0"]),
            Fixture.entry("btns-b", .publicKey(Fixture.keyB, source: "b.pub"), .btns,
                          remoteTS: ["10.3.0.0/24"]),
        ]
    }

    @Test func nonBTNSPublicKeyEntryMatchesAnyAssertedIDWithItsKey() {
        let m = policy.walk1(peerID: Fixture.id("fqdn:whatever"), presentedKey: Fixture.keyA,
                             connections: pad)
        #expect(m?.connectionIndex == 1)
        #expect(m?.isBTNS == false)
    }

    @Test func anotherKeyFallsToTheBTNSEntries() {
        let m = policy.walk1(peerID: Fixture.id("fqdn:whatever"),
                             presentedKey: Fixture.ed25519(Array(repeating: 7, count: 32)),
                             connections: pad)
        #expect(m?.connectionIndex == 2)
        #expect(m?.isBTNS == true)
        let out = policy.walk1Outcome(peerID: Fixture.id("fqdn:whatever"), presentedKey: nil,
                                      connections: pad)
        #expect(out.trace.contains { $0.contains("no raw public key presented") })
    }

    @Test func specificBTNSPublicKeyEntryComesBeforeTheWildcard() {
        let m = policy.walk1(peerID: Fixture.id("fqdn:b"), presentedKey: Fixture.keyB,
                             connections: pad)
        #expect(m?.connectionIndex == 3)
        #expect(m?.isBTNS == true)
    }

    /// The asserted ID still decides first: a peer asserting the PSK peer's ID lands on
    /// the PSK entry, key or not (hard failure, no fall-through).
    @Test func assertedIDOfAnEarlierEntryStillDecides() {
        let m = policy.walk1(peerID: Fixture.id("fqdn:branch.example"),
                             presentedKey: Fixture.keyA, connections: pad)
        #expect(m?.connectionIndex == 0)
    }
}
