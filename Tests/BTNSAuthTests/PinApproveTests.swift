import BTNSAuth
import IKEv2
import Testing

/// `ikectl pins show` and `pins approve`: refusal history and operator-approved key change.
@Suite("Pin store: show and approve")
struct PinApproveTests {
    @Test func showListsRefusalsNewestFirstAndApprovePinsTheNewest() throws {
        let dir = Fixture.tempDir()
        defer { Fixture.remove(dir) }
        let clock = Clock()
        let store = try PinStore(path: dir + "/pins.sqlite", now: clock.now)
        let id = Fixture.id("fqdn:Roamer.example")
        let keyC = Fixture.ed25519(Array(repeating: 0xcc, count: 32))
        #expect(store.check(peerID: id, key: Fixture.keyA) == .pinnedNow)
        #expect(try store.approve(peerID: id) == .nothingRefused)
        #expect(try store.approve(peerID: Fixture.id("fqdn:nobody")) == .noPin)
        clock.t = 200
        #expect(store.check(peerID: id, key: Fixture.keyB)
                == .mismatch(pinnedFingerprint: Fixture.keyA.fingerprint))
        clock.t = 300
        _ = store.check(peerID: id, key: keyC)

        let d = try #require(try store.detail(peerID: Fixture.id("fqdn:roamer.EXAMPLE")))
        #expect(d.pin.fingerprint == Fixture.keyA.fingerprint)
        #expect(d.refusals.map(\.fingerprint) == [keyC.fingerprint, Fixture.keyB.fingerprint])
        #expect(d.refusals.map(\.at) == [300, 200])
        #expect(d.refusals.first?.algorithm == "ed25519")
        #expect(try store.detail(peerID: Fixture.id("fqdn:nobody")) == nil)

        #expect(try store.approve(peerID: id)
                == .approved(oldFingerprint: Fixture.keyA.fingerprint,
                             newFingerprint: keyC.fingerprint))
        let after = try #require(try store.detail(peerID: id))
        #expect(after.pin.fingerprint == keyC.fingerprint)
        #expect(after.pin.refusedFingerprint == nil)
        #expect(after.pin.firstSeen == 100)
        #expect(after.refusals.map(\.fingerprint) == [Fixture.keyB.fingerprint])
        #expect(store.check(peerID: id, key: keyC) == .matches)
        #expect(store.check(peerID: id, key: Fixture.keyA)
                == .mismatch(pinnedFingerprint: keyC.fingerprint))
    }

    @Test func readOnlyStoreCannotApprove() throws {
        let dir = Fixture.tempDir()
        defer { Fixture.remove(dir) }
        let path = dir + "/pins.sqlite"
        do {
            let store = try PinStore(path: path)
            _ = store.check(peerID: Fixture.id("fqdn:x"), key: Fixture.keyA)
            _ = store.check(peerID: Fixture.id("fqdn:x"), key: Fixture.keyB)
        }
        let ro = try PinStore(path: path, access: .readOnly)
        #expect(try ro.detail(peerID: Fixture.id("fqdn:x"))?.refusals.count == 1)
        #expect(throws: PinStoreError.self) { try ro.approve(peerID: Fixture.id("fqdn:x")) }
    }

    final class Clock: @unchecked Sendable {
        var t = 100.0
        var now: @Sendable () -> Double { { [self] in t } }
    }
}
