import Foundation
import Glibc
import Testing
@testable import Daemon

/// Resource handling of the control server: clients that hang up mid-request, too many
/// clients at once.
@Suite("Control server resources")
struct ControlServerTests {
    static func tempDir() -> String {
        NSTemporaryDirectory() + "latchkey-cs-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Connects, sends `bytes`, and returns the fd (still open).
    static func connect(_ path: String, send bytes: String = "") -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0, UnixSocket.connect(fd, path) == 0 else { return -1 }
        if !bytes.isEmpty { _ = UnixSocket.writeAll(fd, Array(bytes.utf8)) }
        return fd
    }

    /// Reads one line (or until EOF), waiting at most 2 s.
    static func readLine(_ fd: Int32) -> String {
        var tv = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var out: [UInt8] = []
        var byte: UInt8 = 0
        while recv(fd, &byte, 1, 0) == 1 {
            if byte == 0x0A { break }
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func waitUntil(_ condition: () -> Bool) -> Bool {
        for _ in 0..<100 {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    static func openFDs() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }

    static func makeServer(_ dir: String, maxClients: Int = ControlServer.defaultMaxClients)
        throws -> ControlServer
    {
        let server = try ControlServer(path: dir + "/iked.sock", maxClients: maxClients) { _, reply in
            reply(ControlResponse(ok: true, message: "hi"))
        }
        server.start()
        return server
    }

    /// Regression: a client that sent half a request line and hung up kept its
    /// descriptor open forever.
    @Test func partialRequestThenHangUpIsClosed() throws {
        let dir = Self.tempDir()
        let server = try Self.makeServer(dir)
        defer {
            server.stop()
            try? FileManager.default.removeItem(atPath: dir)
        }
        let before = Self.openFDs()
        for _ in 0..<100 {
            let fd = Self.connect(server.path, send: #"{"command":"list-"#)
            #expect(fd >= 0)
            close(fd)
        }
        #expect(Self.waitUntil { server.clientCount == 0 })
        // Other tests run in parallel, so allow some slack; the leak was +100.
        #expect(Self.openFDs() - before < 30)
        // Still serving.
        let ok = try ControlClient(path: server.path).send(ControlRequest(command: .listSAs))
        #expect(ok.message == "hi")
    }

    @Test func clientsThatHangUpWithoutSendingAreClosed() throws {
        let dir = Self.tempDir()
        let server = try Self.makeServer(dir)
        defer {
            server.stop()
            try? FileManager.default.removeItem(atPath: dir)
        }
        for _ in 0..<50 { close(Self.connect(server.path)) }
        #expect(Self.waitUntil { server.clientCount == 0 })
    }

    @Test func extraClientsAreRefusedWithAClearError() throws {
        let dir = Self.tempDir()
        let server = try Self.makeServer(dir, maxClients: 3)
        defer {
            server.stop()
            try? FileManager.default.removeItem(atPath: dir)
        }
        let held = (0..<3).map { _ in Self.connect(server.path) }
        defer { held.forEach { close($0) } }
        #expect(Self.waitUntil { server.clientCount == 3 })
        let extra = Self.connect(server.path)
        defer { close(extra) }
        let line = Self.readLine(extra)
        let response = try ControlCodec.decode(ControlResponse.self, from: Array(line.utf8))
        #expect(response.ok == false)
        #expect(response.error?.contains("too many ikectl clients") == true)
        #expect(server.clientCount == 3)
        // A held slot still works.
        _ = UnixSocket.writeAll(held[0], ControlCodec.encodeLine(ControlRequest(command: .listSAs)))
        #expect(Self.readLine(held[0]).contains("\"hi\""))
    }

    @Test func idleClientsAreDropped() throws {
        let dir = Self.tempDir()
        let server = try ControlServer(path: dir + "/iked.sock", idleTimeout: 0.2) { _, reply in
            reply(ControlResponse(ok: true))
        }
        server.start()
        defer {
            server.stop()
            try? FileManager.default.removeItem(atPath: dir)
        }
        let fd = Self.connect(server.path, send: "{")
        defer { close(fd) }
        #expect(Self.readLine(fd).contains("idle for"))
        #expect(Self.waitUntil { server.clientCount == 0 })
    }
}
