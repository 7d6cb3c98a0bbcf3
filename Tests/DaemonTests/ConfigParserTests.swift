import Foundation
import Testing
@testable import Daemon
import IKEv2

@Suite("Configuration parser")
struct ConfigParserTests {
    @Test func pskConnectionParsesWithDefaults() throws {
        let c = try TestSupport.parse(TestSupport.pskConnection)
        #expect(c.listen.isEmpty)
        #expect(c.settings.ikePort == 500 && c.settings.nattPort == 4500)
        #expect(c.socketPath == DaemonConfig.defaultSocketPath)
        #expect(c.pinStorePath == DaemonConfig.defaultPinStorePath)
        #expect(c.logLevel == .info)
        let psk = try #require(c.connection(named: "psk"))
        #expect(psk.localID == IDPayload(text: "fqdn:a-psk.lab.test"))
        #expect(psk.remoteID == .exact(IDPayload(text: "fqdn:b-psk.lab.test")!))
        #expect(psk.ikeProposals.count == 2 && psk.espProposals.count == 2)
        #expect(psk.localTS.map(\.displayString) == ["10.99.1.1/32"])
        #expect(psk.remoteTS.map(\.displayString) == ["10.99.2.1/32"])
        #expect(psk.mode == .tunnel && psk.sendCert && psk.remotePort == 500)
        guard case .psk(let secret) = psk.localAuth else {
            Issue.record("expected PSK")
            return
        }
        #expect(secret.revealed() == Array("interop-lab-preshared-key-0123456789".utf8))
    }

    @Test func topLevelSettings() throws {
        let c = try TestSupport.parse("""
            listen 10.99.0.1, ::1   # two addresses
            ike-port 1500
            natt-port 14500
            socket run/iked.sock
            pin-store /tmp/pins.sqlite
            log-level debug
            retransmit-base 0.5
            retransmit-tries 3
            """ + "\n" + TestSupport.pskConnection)
        #expect(c.listen == [IPAddress("10.99.0.1")!, IPAddress("::1")!])
        #expect(c.settings.ikePort == 1500 && c.settings.nattPort == 14500)
        #expect(c.socketPath == TestSupport.sharedKeys + "/run/iked.sock")
        #expect(c.pinStorePath == "/tmp/pins.sqlite")
        #expect(c.logLevel == .debug)
        #expect(c.settings.retransmitBase == 0.5 && c.settings.retransmitTries == 3)
    }

    @Test func quotedPSKMayContainSyntax() throws {
        let text = TestSupport.pskConnection.replacingOccurrences(
            of: "\"interop-lab-preshared-key-0123456789\"", with: #""a # b, {c} \"d\" long enough""#)
        let c = try TestSupport.parse(text)
        guard case .psk(let s) = c.connections[0].localAuth else {
            Issue.record("expected PSK")
            return
        }
        #expect(String(decoding: s.revealed(), as: UTF8.self) == #"a # b, {c} "d" long enough"#)
    }

    @Test func remoteIDDefaultsToKeyIDOfSingleRemoteKey() throws {
        let c = try TestSupport.parse("""
            connection k {
                remote-address 10.99.0.2
                local-auth psk
                psk "0123456789abcdef-0123"
                remote-auth pubkey
                remote-key b/swanctl/pubkey/b.pub
                local-ts 10.99.1.1/32
            }
            """)
        let want = IDPayload(type: .keyID, data: [UInt8](hex: "a41c7a8f1e8193a031862f87ba93a3613431a79a")!)
        #expect(c.connections[0].remoteID == .exact(want))
        #expect(c.connections[0].remoteTS.map(\.displayString) == ["10.99.0.2/32"])
    }

    @Test func remoteIDForms() throws {
        func remoteID(_ text: String) throws -> IDMatcher {
            let conf = TestSupport.pskConnection.replacingOccurrences(
                of: "remote-id fqdn:b-psk.lab.test", with: "remote-id \(text)")
            return try TestSupport.parse(conf).connections[0].remoteID
        }
        #expect(try remoteID("%any") == .any)
        #expect(try remoteID("fqdn:*.lab.test") == .wildcardFQDN(suffix: "lab.test"))
        #expect(try remoteID("*.lab.test") == .wildcardFQDN(suffix: "lab.test"))
        #expect(try remoteID("email:ops@lab.test") == .exact(IDPayload(text: "email:ops@lab.test")!))
        #expect(try remoteID("keyid:0a0b") == .exact(IDPayload(type: .keyID, data: [10, 11])))
    }

    @Test func btnsRemoteIDDefaultsToAny() throws {
        let c = try TestSupport.parse("""
            connection open {
                local-auth psk
                psk "0123456789abcdef-0123"
                remote-auth btns
                local-ts 10.0.0.0/24
                remote-ts 0.0.0.0/0
            }
            """)
        #expect(c.connections[0].remoteID == .any)
        #expect(c.connections[0].remoteAuth.isBTNS)
        #expect(c.connections[0].remoteAddress == nil)
    }

    /// The lab stand-ins parse except for key loading until the crypto branch lands; the
    /// errors must then be only about loading the two private keys.
    @Test(arguments: ["a", "b"])
    func labConfigs(peer: String) throws {
        let path = TestSupport.labDir + "/\(peer).conf"
        let c: DaemonConfig
        do {
            c = try DaemonConfig.load(path: path)
        } catch {
            #expect(!TestSupport.cryptoReady, "\(error)")
            #expect(error.errors.count == 2)
            for e in error.errors {
                #expect(e.message.contains("cannot load private key"), "\(e)")
                #expect(e.message.contains("\(peer).key"))
            }
            return
        }
        #expect(c.connections.map(\.name) == ["psk", "rpk", "rpk-keyid"])
        #expect(c.listen == [IPAddress(peer == "a" ? "10.99.0.1" : "10.99.0.2")!])
        #expect(c.socketPath == "/run/latchkey-\(peer)/iked.sock")
        let other = peer == "a" ? "b" : "a"
        let rpk = try #require(c.connection(named: "rpk"))
        #expect(rpk.localID == IDPayload(text: "fqdn:\(peer).lab.test"))
        #expect(rpk.remoteID == .exact(IDPayload(text: "fqdn:\(other).lab.test")!))
        #expect(!rpk.sendCert)
        let keyid = try #require(c.connection(named: "rpk-keyid"))
        #expect(keyid.localID == nil)
        let otherKeyID = other == "b" ? "a41c7a8f1e8193a031862f87ba93a3613431a79a"
            : "3f67f84f147995e85b445a93b8087a528e6135a1"
        #expect(keyid.remoteID == .exact(IDPayload(type: .keyID, data: [UInt8](hex: otherKeyID)!)))
    }

    @Test func examplesGeneralConfigOnlyFailsOnMissingKeys() {
        do {
            _ = try DaemonConfig.load(path: TestSupport.repo + "/examples/iked.conf")
        } catch {
            for e in error.errors {
                #expect(e.message.contains("key") || e.message.contains("psk-file"), "\(e)")
            }
        }
    }
}

@Suite("Keys and pins without a daemon")
struct OfflineToolTests {
    @Test(.enabled(if: TestSupport.cryptoReady))
    func generatedKeyLoadsAsLocalKeyAndPubkeyAsRemoteKey() throws {
        let dir = NSTemporaryDirectory() + "latchkey-keys-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try KeyCommands.genkey(.ed25519, out: dir + "/k.key")
        let mode = try FileManager.default.attributesOfItem(atPath: dir + "/k.key")[.posixPermissions]
        #expect(mode as? Int == 0o600)
        #expect(throws: DaemonError.self) { try KeyCommands.genkey(.ed25519, out: dir + "/k.key") }
        try KeyCommands.pubkey(input: dir + "/k.key", out: dir + "/k.pub")
        let key = try KeyFiles.privateKey(at: dir + "/k.key")
        let pub = try KeyFiles.publicKey(at: dir + "/k.pub")
        #expect(key.publicKey == pub)
        let c = try DaemonConfig.parse(text: """
            connection self {
                local-auth pubkey
                local-key k.key
                remote-auth pubkey
                remote-key k.pub
                local-ts 10.0.0.1/32
                remote-ts 10.0.0.2/32
            }
            """, file: "t.conf", baseDirectory: dir)
        #expect(c.connections[0].remoteID == .exact(IDPayload(type: .keyID, data: pub.keyID)))
        #expect(c.warnings.isEmpty)
    }

    @Test func pinStoreOpensDirectly() throws {
        let path = NSTemporaryDirectory() + "latchkey-pins-\(getpid())-\(UInt32.random(in: 0...UInt32.max))/p.sqlite"
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let pins = try Pins(path: path)
        #expect(try pins.list() == [])
        #expect(try pins.forget(IDPayload(text: "fqdn:h.example")!) == false)
    }
}
