import Testing
@testable import Daemon

@Suite("Configuration errors name the line and the fix")
struct ConfigErrorTests {
    /// The single error of `text`, which must be on `line`.
    func only(_ text: String, line: Int, contains: String,
              sourceLocation: SourceLocation = #_sourceLocation) {
        let errs = TestSupport.errors(text)
        #expect(errs.count == 1, "\(errs)", sourceLocation: sourceLocation)
        #expect(errs.first?.line == line, "\(errs)", sourceLocation: sourceLocation)
        #expect(errs.first?.message.contains(contains) == true, "\(errs)",
                sourceLocation: sourceLocation)
    }

    func replacing(_ old: String, _ new: String) -> String {
        TestSupport.pskConnection.replacingOccurrences(of: old, with: new)
    }

    @Test func unknownAlgorithm() {
        let text = replacing("local-ts 10.99.1.1/32", "ike-proposals aes999-sha256-x25519\n    "
            + "local-ts 10.99.1.1/32")
        only(text, line: 9, contains: "unknown algorithm 'aes999' in proposal")
        #expect(TestSupport.errors(text)[0].description.hasPrefix("test.conf:9: "))
    }

    @Test func pubkeyWithoutLocalKey() {
        only(replacing("local-auth psk", "local-auth pubkey"), line: 6,
             contains: "connection 'psk' has local-auth pubkey but no local-key")
    }

    @Test func unknownKeywordSuggestsNearest() {
        only(replacing("remote-id", "remote-idd"), line: 5,
             contains: "unknown keyword 'remote-idd' in connection 'psk' (did you mean 'remote-id'?)")
    }

    @Test func duplicateSingleValue() {
        let text = replacing("local-auth psk", "local-auth psk\n    local-auth psk")
        only(text, line: 7, contains: "'local-auth' given twice in connection 'psk' (first on line 6)")
    }

    @Test func shortPSK() {
        only(replacing("\"interop-lab-preshared-key-0123456789\"", "short"), line: 8,
             contains: "psk is 5 octets; use at least 16")
    }

    @Test func badTrafficSelector() {
        only(replacing("10.99.2.1/32", "10.99.2.1/33"), line: 10,
             contains: "remote-ts: '10.99.2.1/33' is not ADDRESS/PREFIX")
    }

    @Test func unclosedBlock() {
        only(String(TestSupport.pskConnection.dropLast()), line: 1,
             contains: "connection 'psk' is not closed")
    }

    @Test func duplicateConnection() {
        let text = TestSupport.pskConnection + "\n" + TestSupport.pskConnection
        only(text, line: 12, contains: "connection 'psk' defined twice (first on line 1)")
    }

    @Test func btnsWithRemoteKey() {
        let text = replacing("remote-auth psk", "remote-auth btns\n    remote-key b.pub")
        only(text, line: 8, contains: "remote-key is not used with remote-auth btns")
    }

    @Test func privateKeyGivenAsRemoteKey() {
        let text = replacing("remote-auth psk", "remote-auth pubkey\n    "
            + "remote-key a/swanctl/private/a.key")
        only(text, line: 8, contains: "is a private key, but remote-key wants the peer's public key")
    }

    @Test func missingKeyFile() {
        let text = replacing("local-auth psk", "local-auth pubkey\n    local-key nowhere.key")
        only(text, line: 7, contains: "cannot read")
    }

    @Test func localAuthBTNSExplains() {
        only(replacing("local-auth psk", "local-auth btns"), line: 6,
             contains: "use 'local-auth pubkey' and 'local-key FILE'")
    }

    @Test func syntaxErrors() {
        only("connection x\n", line: 1, contains: "expected 'connection NAME {'")
        only("}\n", line: 1, contains: "'}' without an open")
        only(replacing("\"interop-lab-preshared-key-0123456789\"", "\"unterminated-but-long"),
             line: 8, contains: "unterminated quoted string")
        only("ike-port 99999\n" + TestSupport.pskConnection, line: 1, contains: "not a UDP port")
        only("log-level loud\n" + TestSupport.pskConnection, line: 1, contains: "unknown level 'loud'")
    }

    @Test func reportsEveryErrorInOrder() {
        let text = """
            log-level loud
            connection one {
                local-auth psk
                remote-auth psk
                psk "0123456789abcdef-0123"
                local-ts 10.0.0.1/32
                remote-ts 10.0.0.2/32
                ike-proposals aes999-sha256-x25519
                mode bogus
            }
            connection two {
                local-auth pubkey
                remote-auth pubkey
                remote-key b/swanctl/pubkey/b.pub
                local-ts 10.0.0.1/32
                remote-ts 10.0.0.2/32
            }
            """
        let errs = TestSupport.errors(text)
        #expect(errs.map(\.line) == [1, 8, 9, 12], "\(errs)")
    }

    /// Regression: these passed --check (IDPayload(text:) took "fqdn:" for an FQDN
    /// named "fqdn:" and kept blanks).
    @Test(arguments: [
        ("\"fqdn:\"", "has nothing after 'fqdn:'"),
        ("\"email:\"", "has nothing after 'email:'"),
        ("\"fqdn:a b\"", "contains a blank"),
        ("\"\"", "the identity is empty"),
        ("fqdn:a/b", "'/' is not allowed"),
        ("fdqn:gw.example", "unknown type prefix 'fdqn'"),
        ("email:nobody", "is not an email identity"),
        ("keyid:", "has nothing after 'keyid:'"),
    ])
    func invalidIdentities(_ id: String, _ message: String) {
        only(replacing("remote-id fqdn:b-psk.lab.test", "remote-id \(id)"), line: 5,
             contains: "remote-id: ")
        only(replacing("remote-id fqdn:b-psk.lab.test", "remote-id \(id)"), line: 5,
             contains: message)
        only(replacing("local-id fqdn:a-psk.lab.test", "local-id \(id)"), line: 4,
             contains: message)
    }

    @Test func validIdentitiesStillPass() throws {
        for id in ["fqdn:gw-1.example_x.net", "*.example.net", "fqdn:*.example.net", "%any",
                   "email:ops@example.net", "ops@example.net", "ipv4:192.0.2.1", "2001:db8::1",
                   "keyid:0a:1b", "host.example"] {
            _ = try TestSupport.parse(replacing("remote-id fqdn:b-psk.lab.test", "remote-id \(id)"))
        }
    }
}
