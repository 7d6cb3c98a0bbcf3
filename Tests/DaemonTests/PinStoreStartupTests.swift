import BTNSAuth
import Foundation
import Glibc
import IKEv2
import Synchronization
import Testing
@testable import Daemon

@Suite("Pin store at startup and from ikectl")
struct PinStoreStartupTests {
    static func tempDir() -> String {
        let dir = NSTemporaryDirectory() + "latchkey-ps-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func corruptStoreStopsStartup() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var config = try TestSupport.parse(TestSupport.pskConnection)
        config.socketPath = dir + "/iked.sock"
        config.pinStorePath = dir + "/pins.sqlite"
        FileManager.default.createFile(atPath: config.pinStorePath,
                                       contents: Data("not a database at all".utf8))
        do {
            _ = try DaemonRuntime(config: config, keylogPath: nil)
            Issue.record("a corrupt pin store must stop iked")
        } catch {
            #expect(error.message.hasPrefix("pin store \(config.pinStorePath) is corrupt (SQLite: "),
                    "\(error)")
            #expect(error.message.contains("start with an empty store by removing it"))
        }
    }

    @Test func ikectlPinsDoesNotCreateAStore() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = dir + "/typo/p.sqlite"
        for args in [["pins", "--pin-store", store],
                     ["pins", "forget", "fqdn:h.example", "--pin-store", store]] {
            #expect(throws: DaemonError("no pin store at \(store)")) {
                _ = try IkectlMain.execute(try IkectlInvocation.parse(args))
            }
        }
        #expect(access(dir + "/typo", F_OK) != 0)
    }

    final class FailingPolicy: AuthorizationPolicy {
        func walk1(peerID: IDPayload, presentedKey: PublicKey?,
                   connections: [ConnectionConfig]) -> PADMatch? { nil }
        func walk2(peerTS: [TrafficSelector], connectionIndex: Int, peerIsBTNS: Bool,
                   connections: [ConnectionConfig]) -> [TrafficSelector] { [] }
        func checkPin(peerID: IDPayload, key: PublicKey) -> PinCheck { .failed("p.sqlite: read: boom") }
    }

    @Test func pinFailuresAreReported() {
        let seen = Mutex<[String]>([])
        let policy = ReportingPolicy(FailingPolicy()) { id, why in
            seen.withLock { $0.append("\(id.displayString) \(why)") }
        }
        let key = try! Keys.generate(.ed25519).publicKey
        #expect(policy.checkPin(peerID: IDPayload(text: "fqdn:x.example")!, key: key)
            == .failed("p.sqlite: read: boom"))
        #expect(seen.withLock { $0 } == ["fqdn:x.example p.sqlite: read: boom"])
    }
}
