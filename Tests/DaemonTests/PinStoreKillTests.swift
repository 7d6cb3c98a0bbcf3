import Foundation
import Glibc
import Testing
import BTNSAuth
@testable import Daemon
import IKEv2

/// Durability of the pin store at daemon level (RFC 5386 leap of faith is only as good as
/// the pins surviving a crash): a burst of new BTNS peers initiates to one iked responder
/// on loopback while the responder is killed with SIGKILL and restarted again and again.
/// Afterwards the store passes `PRAGMA quick_check` and holds a pin for every peer whose
/// `ikectl initiate` reported the IKE SA and child SA established (the responder commits
/// the pin before it sends its IKE_AUTH response).
///
/// Spawns the built `iked` and `ikectl` of this build folder; skipped when they are not
/// built.
@Suite("Pin store survives kill -9 of iked", .serialized)
struct PinStoreKillTests {
    static let bin = TestSupport.repo + "/.build/debug"
    static let built = access(bin + "/iked", X_OK) == 0 && access(bin + "/ikectl", X_OK) == 0
    static let peers = 30

    @Test(.enabled(if: built, "needs .build/debug/iked and ikectl (swift build)"),
          .timeLimit(.minutes(5)))
    func burstOfNewBTNSPeersWithRepeatedKill9() throws {
        let dir = Self.tempDir()
        defer { _ = try? FileManager.default.removeItem(atPath: dir) }
        let base = UInt16(20_000 + Int(getpid() % 2_000) * 4)
        let (rPort, iPort) = (base, base + 2)

        try Self.writeKey(dir + "/gw.key")
        try Self.write(dir + "/r.conf", """
            listen 127.0.0.1
            ike-port \(rPort)
            natt-port \(rPort + 1)
            connection btns {
                local-id fqdn:gw.kill.test
                local-auth pubkey
                local-key gw.key
                remote-id %any
                remote-auth btns
                local-ts 10.200.0.0/16
                remote-ts 10.100.0.0/16
            }
            """)
        var initiator = """
            listen 127.0.0.1
            ike-port \(iPort)
            natt-port \(iPort + 1)
            retransmit-base 0.25
            retransmit-tries 3

            """
        for n in 1...Self.peers {
            try Self.writeKey(dir + "/p\(n).key")
            initiator += """
                connection c\(n) {
                    local-address 127.0.0.1
                    remote-address 127.0.0.1
                    remote-port \(rPort)
                    remote-natt-port \(rPort + 1)
                    local-id fqdn:peer\(n).kill.test
                    local-auth pubkey
                    local-key p\(n).key
                    remote-id fqdn:gw.kill.test
                    remote-auth btns
                    local-ts 10.100.\(n).1/32
                    remote-ts 10.200.0.0/16
                }

                """
        }
        try Self.write(dir + "/i.conf", initiator)

        let responder = IkedProcess(dir: dir, name: "r")
        let peer = IkedProcess(dir: dir, name: "i")
        defer {
            responder.kill9()
            peer.kill9()
        }
        try peer.start()
        try responder.start()

        // kill -9 the responder at random moments while the burst runs
        let done = KillTestBox(false)
        let kills = KillTestBox(0)
        let killer = Thread {
            while !done.load() {
                usleep(UInt32.random(in: 80_000...350_000))
                if done.load() { break }
                responder.kill9()
                kills.add()
                try? responder.start()
            }
        }
        killer.start()

        let established = KillTestList<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: Self.peers) { i in
            let n = i + 1
            let rc = Self.run(Self.bin + "/ikectl",
                              ["--socket", peer.socket, "initiate", "c\(n)", "--timeout", "4"])
            if rc == 0 { established.mutate { $0.append(n) } }
        }
        done.store(true)
        while !killer.isFinished { usleep(20_000) }
        responder.kill9()

        let up = established.value.sorted()
        print("kill -9 burst: \(up.count) of \(Self.peers) BTNS peers established, "
              + "responder killed \(kills.load()) times")
        #expect(kills.load() >= 2, "the responder was killed \(kills.load()) times")
        #expect(!up.isEmpty, "no initiation succeeded at all; see \(dir)/r.log")

        // what a restarted iked would do: open read-write, quick_check, then read
        let store = try PinStore(path: dir + "/r.pins", access: .readWrite)
        #expect(store.pragma("quick_check") == "ok")
        let pinned = Set(try store.list().map(\.id))
        for n in up {
            #expect(pinned.contains("fqdn:peer\(n).kill.test"),
                    "peer \(n) was established but its pin is missing after kill -9")
        }
    }

    // MARK: - Helpers

    /// One iked instance in `dir`: NAME.conf, NAME.sock, NAME.pins, NAME.log.
    final class IkedProcess: @unchecked Sendable {
        let dir: String
        let name: String
        private let lock = NSLock()
        private var process: Process?

        init(dir: String, name: String) {
            self.dir = dir
            self.name = name
        }

        var socket: String { "\(dir)/\(name).sock" }

        func start() throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: PinStoreKillTests.bin + "/iked")
            p.arguments = ["--config", "\(dir)/\(name).conf", "--socket", socket,
                           "--pin-store", "\(dir)/\(name).pins", "--log-level", "debug"]
            let logPath = "\(dir)/\(name).log"
            if !FileManager.default.fileExists(atPath: logPath) {
                FileManager.default.createFile(atPath: logPath, contents: nil)
            }
            if let log = FileHandle(forWritingAtPath: logPath) {
                log.seekToEndOfFile()
                p.standardOutput = log
                p.standardError = log
            }
            try p.run()
            lock.withLock { process = p }
            // up once the control socket answers
            for _ in 0..<200 {
                if (try? ControlClient(path: socket).send(ControlRequest(command: .listSAs)))?
                    .ok == true { return }
                usleep(25_000)
            }
        }

        func kill9() {
            let p = lock.withLock { () -> Process? in
                defer { process = nil }
                return process
            }
            guard let p, p.isRunning else { return }
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
        }
    }

    static func run(_ path: String, _ args: [String]) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }

    static func writeKey(_ path: String) throws {
        try write(path, try Keys.pkcs8PEM(Keys.generate(.ed25519)))
        chmod(path, 0o600)
    }

    static func write(_ path: String, _ text: String) throws {
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    static func tempDir() -> String {
        var template = Array("/tmp/latchkey-kill9-XXXXXX".utf8CString)
        let p = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        return String(cString: p!)
    }
}

/// Tiny thread-safe boxes for the test's threads.
final class KillTestBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var v: T
    init(_ v: T) { self.v = v }
    func load() -> T { lock.withLock { v } }
    func store(_ n: T) { lock.withLock { v = n } }
    func update(_ f: (inout T) -> Void) { lock.withLock { f(&v) } }
}

extension KillTestBox where T == Int {
    func add() { update { $0 += 1 } }
}

final class KillTestList<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var v: T
    init(_ v: T) { self.v = v }
    var value: T { lock.withLock { v } }
    func mutate(_ f: (inout T) -> Void) { lock.withLock { f(&v) } }
}
