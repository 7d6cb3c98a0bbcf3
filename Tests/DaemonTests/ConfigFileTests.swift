import Foundation
import Glibc
import Testing
@testable import Daemon

/// Reading configuration and key files: size limits, error caps, and messages that say
/// what is wrong with the file.
@Suite("Configuration and key files")
struct ConfigFileTests {
    /// A fresh directory, removed by the caller.
    static func tempDir() -> String {
        let dir = NSTemporaryDirectory() + "latchkey-cf-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func write(_ path: String, _ bytes: [UInt8]) {
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }

    static func loadError(_ path: String) -> ConfigError? {
        do {
            _ = try DaemonConfig.load(path: path)
            return nil
        } catch {
            return error
        }
    }

    static func badBlocks(_ n: Int) -> String {
        (0..<n).map { i in
            "connection c\(i) {\n  local-auth pubkey\n  remote-auth psk\n  bogus 1\n}\n"
        }.joined()
    }

    /// Regression: each connection re-counted every diagnostic so far, so 10,000 bad
    /// blocks took minutes.
    @Test func manyBadConnectionsCheckQuickly() {
        let start = Date()
        let errs = TestSupport.errors(Self.badBlocks(10_000))
        let seconds = Date().timeIntervalSince(start)
        #expect(!errs.isEmpty)
        // Debug builds are slow; the quadratic version took well over a minute.
        #expect(seconds < 20, "took \(seconds) s")
    }

    @Test func reportedErrorsAreCapped() {
        do {
            _ = try TestSupport.parse(Self.badBlocks(300))
            Issue.record("expected errors")
        } catch {
            let lines = error.description.split(separator: "\n")
            let limit = ConfigError.reportedErrorLimit
            #expect(lines.count == limit + 1)
            #expect(error.errorCount > limit)
            let expected = "test.conf: ... and \(error.errorCount - limit) more errors "
                + "(showing the first \(limit))"
            #expect(lines.last.map(String.init) == expected)
        }
    }

    @Test func errorsAreInLineOrder() {
        // The lexer's error (line 3) used to come before the top-level one (line 1).
        let errs = TestSupport.errors("log-level loud\n" + "ike-port 500\n"
            + "natt-port \"4500\n" + TestSupport.pskConnection)
        #expect(errs.map(\.line) == errs.map(\.line).sorted(), "\(errs)")
        #expect(errs.first?.line == 1)
    }

    @Test func oversizedConfigIsRefused() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/huge.conf"
        Self.write(path, [UInt8](repeating: 0x23, count: 4 << 20 + 1)) // '#' comments
        let e = try #require(Self.loadError(path))
        #expect(e.description.contains("is larger than 4 MiB"), "\(e)")
    }

    @Test func binaryConfigSaysConfiguration() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/bin.conf"
        Self.write(path, [0xff, 0xfe, 0x00, 0x01, 0x80])
        let e = try #require(Self.loadError(path))
        #expect(e.description.contains("is not a text file"), "\(e)")
        #expect(e.description.contains("iked configuration"), "\(e)")
        #expect(!e.description.contains("PEM"), "\(e)")
    }

    @Test func directoryAsConfig() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let e = try #require(Self.loadError(dir))
        #expect(e.description.contains("is a directory"), "\(e)")
    }

    @Test func emptyConfigWarnsAboutNoConnections() throws {
        for text in ["", "# only a comment\n"] {
            let config = try TestSupport.parse(text)
            #expect(config.warnings.map(\.message) == ["no connections defined; iked will refuse every peer"])
        }
        let config = try DaemonConfig.load(path: "/dev/null")
        #expect(config.warnings.count == 1)
    }

    func keyError(_ file: String) -> String {
        let text = "connection k {\n local-auth pubkey\n local-key \(file)\n remote-auth btns\n"
            + " local-ts 10.0.0.1/32\n remote-ts 10.0.0.2/32\n}\n"
        return TestSupport.errors(text).first?.message ?? ""
    }

    @Test func keyFileMessages() {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(keyError("/dev/null").contains("'/dev/null' is empty"), "\(keyError("/dev/null"))")
        #expect(keyError(dir).contains("is a directory"), "\(keyError(dir))")
        let missing = keyError(dir + "/nope.key")
        #expect(missing.contains("not found (create one with 'ikectl genkey --out \(dir)/nope.key')"),
                "\(missing)")
    }

    @Test func missingPublicKeySaysHowToMakeOne() {
        let text = "connection k {\n local-auth psk\n psk \"0123456789abcdef-0123\"\n"
            + " remote-auth pubkey\n remote-key /nonexistent/peer.pub\n"
            + " local-ts 10.0.0.1/32\n remote-ts 10.0.0.2/32\n}\n"
        let message = TestSupport.errors(text).first?.message ?? ""
        #expect(message.contains("ikectl pubkey --in KEY --out /nonexistent/peer.pub"), "\(message)")
    }
}
