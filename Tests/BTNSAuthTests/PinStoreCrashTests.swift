import BTNSAuth
import Glibc
import IKEv2
import Testing

/// Durability under kill -9 (RFC 5386 leap of faith is worthless if a pin reported as
/// made can vanish): the test binary runs itself again as a child that pins a key,
/// reports `.pinnedNow` through a marker file, then blocks. The parent kills it with
/// SIGKILL and reopens the database.
@Suite("Pin store crash")
struct PinStoreCrashTests {
    static let childEnv = "LATCHKEY_PIN_CHILD_DB"
    static let peer = "fqdn:crash.lab.test"

    /// The child half: does nothing unless started by `pinSurvivesKill9`.
    @Test func pinWriterChild() throws {
        guard let p = getenv(Self.childEnv) else { return }
        let path = String(cString: p)
        let store = try PinStore(path: path)
        let result = store.check(peerID: Fixture.id(Self.peer), key: Fixture.keyA)
        let marker = open(path + ".done", O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        let text = Array("\(result)".utf8)
        _ = text.withUnsafeBytes { write(marker, $0.baseAddress, $0.count) }
        close(marker)
        sleep(120)  // no close, no checkpoint: wait for SIGKILL
        _exit(1)
    }

    @Test(.timeLimit(.minutes(1))) func pinSurvivesKill9() async throws {
        guard getenv(Self.childEnv) == nil else { return }
        let dir = Fixture.tempDir()
        defer { Fixture.remove(dir) }
        let path = dir + "/pins.db"

        var pid: pid_t = 0
        let args = ["/proc/self/exe", "--testing-library", "swift-testing",
                    "--filter", "pinWriterChild"]
        var env = [Self.childEnv + "=" + path]
        var i = 0
        while let e = environ[i] { env.append(String(cString: e)); i += 1 }
        let rc = withCStrings(args) { argv in
            withCStrings(env) { envp in posix_spawn(&pid, argv[0]!, nil, nil, argv, envp) }
        }
        try #require(rc == 0)

        var done = false
        for _ in 0..<300 where !done {
            if access(path + ".done", F_OK) == 0 { done = true } else { usleep(100_000) }
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        try #require(done, "child never reported")
        #expect(readFile(path + ".done") == "pinnedNow")
        #expect(status & 0x7f == SIGKILL)

        let store = try PinStore(path: path)
        #expect(store.check(peerID: Fixture.id(Self.peer), key: Fixture.keyB)
            == .mismatch(pinnedFingerprint: Fixture.keyA.fingerprint))
        #expect(try store.list().map(\.saCount) == [1])
    }

    private func readFile(_ path: String) -> String {
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        var buf = [UInt8](repeating: 0, count: 256)
        let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        return String(decoding: buf.prefix(max(0, n)), as: UTF8.self)
    }

    private func withCStrings<R>(_ strings: [String],
                                 _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        let ptrs: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
        defer { ptrs.forEach { free($0) } }
        return body(ptrs)
    }
}
