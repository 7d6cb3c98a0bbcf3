import BTNSAuth
import Glibc
import IKEv2
import Synchronization
import Testing

/// A settable clock for pin timestamps.
final class TestClock: Sendable {
    private let value = Mutex<Double>(1000)
    func set(_ t: Double) { value.withLock { $0 = t } }
    var now: @Sendable () -> Double { { [self] in value.withLock { $0 } } }
}

@Suite("Pin store")
struct PinStoreTests {
    let dir = Fixture.tempDir()
    var path: String { dir + "/pins.db" }
    let c = Fixture.id("fqdn:c.lab.test")

    @Test func firstUseMatchAndMismatch() throws {
        defer { Fixture.remove(dir) }
        let clock = TestClock()
        let store = try PinStore(path: path, now: clock.now)
        #expect(store.check(peerID: c, key: Fixture.keyA) == .pinnedNow)
        clock.set(2000)
        #expect(store.check(peerID: c, key: Fixture.keyA) == .matches)
        clock.set(3000)
        #expect(store.check(peerID: c, key: Fixture.keyB)
            == .mismatch(pinnedFingerprint: Fixture.keyA.fingerprint))
        // The refusal does not move the pin.
        clock.set(4000)
        #expect(store.check(peerID: c, key: Fixture.keyA) == .matches)
        let records = try store.list()
        #expect(records == [PinRecord(
            id: "fqdn:c.lab.test", fingerprint: Fixture.keyA.fingerprint, firstSeen: 1000,
            lastSeen: 4000, saCount: 3, refusedFingerprint: Fixture.keyB.fingerprint,
            refusedAt: 3000)])
    }

    @Test func pinsArePerIDAndCaseInsensitiveForNames() throws {
        defer { Fixture.remove(dir) }
        let store = try PinStore(path: path)
        #expect(store.check(peerID: c, key: Fixture.keyA) == .pinnedNow)
        #expect(store.check(peerID: Fixture.id("fqdn:C.Lab.TEST"), key: Fixture.keyB)
            == .mismatch(pinnedFingerprint: Fixture.keyA.fingerprint))
        #expect(store.check(peerID: Fixture.id("keyid:0a0b"), key: Fixture.keyB) == .pinnedNow)
        #expect(store.check(peerID: Fixture.id("ipv6:2001:db8::1"), key: Fixture.keyB)
            == .pinnedNow)
        #expect(try store.list().map(\.id).sorted()
            == ["fqdn:c.lab.test", "ipv6:2001:db8::1", "keyid:0a0b"])
    }

    @Test func forget() throws {
        defer { Fixture.remove(dir) }
        let store = try PinStore(path: path)
        #expect(store.check(peerID: c, key: Fixture.keyA) == .pinnedNow)
        #expect(store.check(peerID: c, key: Fixture.keyB) != .matches)
        #expect(try store.forget(peerID: Fixture.id("fqdn:C.lab.test")))
        #expect(try store.forget(peerID: c) == false)
        #expect(try store.list().isEmpty)
        #expect(store.check(peerID: c, key: Fixture.keyB) == .pinnedNow)
        #expect(try store.list().first?.refusedFingerprint == nil)
    }

    @Test func persistsAcrossReopen() throws {
        defer { Fixture.remove(dir) }
        do {
            let store = try PinStore(path: path)
            #expect(store.check(peerID: c, key: Fixture.keyA) == .pinnedNow)
        }
        let again = try PinStore(path: path)
        #expect(try again.list().count == 1)
        #expect(again.check(peerID: c, key: Fixture.keyB)
            == .mismatch(pinnedFingerprint: Fixture.keyA.fingerprint))
        #expect(again.check(peerID: c, key: Fixture.keyA) == .matches)
    }

    /// Kill -9 stand-in: the first handle is never closed (no checkpoint, WAL left as
    /// is). A second handle must see the pin, and so must a copy of the files taken at
    /// that moment, which is all a killed process leaves behind.
    @Test func pinSurvivesLeakedHandleAndFileSnapshot() throws {
        defer { Fixture.remove(dir) }
        let first = try PinStore(path: path)
        _ = Unmanaged.passRetained(first)  // leaked on purpose: never closed
        #expect(first.check(peerID: c, key: Fixture.keyA) == .pinnedNow)
        #expect(access(path + "-wal", F_OK) == 0)

        let second = try PinStore(path: path)
        #expect(second.check(peerID: c, key: Fixture.keyA) == .matches)
        #expect(second.check(peerID: c, key: Fixture.keyB) != .pinnedNow)

        let snap = dir + "/snapshot"
        mkdir(snap, 0o700)
        try copy(path, to: snap + "/pins.db")
        try copy(path + "-wal", to: snap + "/pins.db-wal")
        let restored = try PinStore(path: snap + "/pins.db")
        #expect(restored.check(peerID: c, key: Fixture.keyB)
            == .mismatch(pinnedFingerprint: Fixture.keyA.fingerprint))
    }

    @Test func durabilitySettings() throws {
        defer { Fixture.remove(dir) }
        let store = try PinStore(path: path)
        #expect(store.pragma("journal_mode") == "wal")
        #expect(store.pragma("synchronous") == "2")  // FULL
        #expect(store.pragma("busy_timeout").map { Int($0) ?? 0 } ?? 0 > 0)
        #expect(store.pragma("journal_mode; DROP TABLE pins") == nil)
    }

    @Test func createsParentDirectoriesAndMode0600() throws {
        defer { Fixture.remove(dir) }
        let nested = dir + "/var/lib/latchkey/pins.db"
        let store = try PinStore(path: nested)
        #expect(store.check(peerID: c, key: Fixture.keyA) == .pinnedNow)
        var st = stat()
        #expect(stat(nested, &st) == 0)
        #expect(st.st_mode & 0o777 == 0o600)
        #expect(stat(nested + "-wal", &st) == 0)
        #expect(st.st_mode & 0o077 == 0)
    }

    @Test func openErrorNamesTheFile() throws {
        defer { Fixture.remove(dir) }
        let blocker = dir + "/file"
        close(open(blocker, O_CREAT | O_WRONLY, 0o600))
        let bad = blocker + "/pins.db"
        #expect {
            _ = try PinStore(path: bad)
        } throws: { error in
            (error as? PinStoreError)?.description.contains(bad) == true
        }
    }

    @Test func notADatabaseIsAnError() throws {
        defer { Fixture.remove(dir) }
        let fd = open(path, O_CREAT | O_WRONLY, 0o600)
        let junk = [UInt8](repeating: 0x41, count: 4096)
        _ = junk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        #expect(throws: PinStoreError.self) { _ = try PinStore(path: path) }
    }

    @Test func concurrentFirstUseOfOneIDPinsOnce() async throws {
        defer { Fixture.remove(dir) }
        let store = try PinStore(path: path)
        let results = await withTaskGroup(of: PinCheck.self) { group in
            for i in 0..<16 {
                group.addTask {
                    store.check(peerID: Fixture.id("fqdn:c.lab.test"),
                                key: i % 2 == 0 ? Fixture.keyA : Fixture.keyB)
                }
            }
            var all: [PinCheck] = []
            for await r in group { all.append(r) }
            return all
        }
        #expect(results.filter { $0 == .pinnedNow }.count == 1)
        #expect(!results.contains { if case .failed = $0 { true } else { false } })
        #expect(try store.list().count == 1)
    }

    @Test func twoHandlesOnOneFileDoNotCorruptEachOther() async throws {
        defer { Fixture.remove(dir) }
        let a = try PinStore(path: path)
        let b = try PinStore(path: path)
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<20 {
                group.addTask {
                    let s = i % 2 == 0 ? a : b
                    #expect(s.check(peerID: Fixture.id("keyid:" + [UInt8(i)].hexString),
                                    key: Fixture.keyA) == .pinnedNow)
                }
            }
        }
        #expect(try a.list().count == 20)
        #expect(try b.list().count == 20)
    }

    private func copy(_ from: String, to: String) throws {
        let src = open(from, O_RDONLY)
        let dst = open(to, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        defer { close(src); close(dst) }
        #expect(src >= 0 && dst >= 0)
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buf.withUnsafeMutableBytes { read(src, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            _ = buf.withUnsafeBytes { write(dst, $0.baseAddress, n) }
        }
    }
}

@Suite("PAD pins")
struct PADPinTests {
    @Test func checkPinDelegatesToTheStore() throws {
        let dir = Fixture.tempDir()
        defer { Fixture.remove(dir) }
        let policy = PADPolicy(pinStore: try PinStore(path: dir + "/pins.db"))
        let id = Fixture.id("keyid:c0ffee")
        #expect(policy.checkPin(peerID: id, key: Fixture.keyA) == .pinnedNow)
        #expect(policy.checkPin(peerID: id, key: Fixture.keyA) == .matches)
        #expect(policy.checkPin(peerID: id, key: Fixture.keyB)
            == .mismatch(pinnedFingerprint: Fixture.keyA.fingerprint))
    }
}
