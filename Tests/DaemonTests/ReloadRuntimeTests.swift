import Foundation
import Glibc
@testable import Daemon
import IKEv2
import Testing

/// `ikectl reload`, SIGHUP and `ikectl flow` end to end: two daemons on loopback
/// (127.0.0.1 and 127.0.0.2), each with a configuration file and a control socket.
@Suite("Reload and flows over the control socket", .serialized)
struct ReloadRuntimeTests {
    let dir = NSTemporaryDirectory()
        + "latchkey-reload-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let port = UInt16.random(in: 20_000...40_000)
    static let psk = "\"reload-test-preshared-key-0123\""

    func initiatorConf(extra: String = "") -> String {
        """
        listen 127.0.0.1
        ike-port \(port)
        natt-port \(port + 1)
        socket \(dir)/a.sock
        pin-store \(dir)/a.pins
        log-level error
        connection tob {
            local-address 127.0.0.1
            remote-address 127.0.0.2
            remote-port \(port)
            local-id fqdn:a.test
            remote-id fqdn:b.test
            local-auth psk
            remote-auth psk
            psk \(Self.psk)
            local-ts 10.1.0.0/24
            remote-ts 10.2.0.0/24
        }
        policy lan {
            action protect
            local-ts 10.1.0.0/24
            remote-ts 10.2.0.0/24
            connection tob
        }
        \(extra)
        """
    }

    /// B's PAD lets A claim `aTS`.
    func responderConf(aTS: String = "10.1.0.0/24", ikePort: UInt16? = nil,
                       extra: String = "") -> String {
        """
        listen 127.0.0.2
        ike-port \(ikePort ?? port)
        natt-port \(port + 1)
        socket \(dir)/b.sock
        pin-store \(dir)/b.pins
        log-level error
        connection froma {
            local-address 127.0.0.2
            local-id fqdn:b.test
            remote-id fqdn:a.test
            local-auth psk
            remote-auth psk
            psk \(Self.psk)
            local-ts 10.2.0.0/24
            remote-ts \(aTS)
        }
        \(extra)
        """
    }

    func start(_ name: String, _ text: String) throws -> DaemonRuntime {
        let path = "\(dir)/\(name).conf"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let config = try DaemonConfig.load(path: path)
        let rt = try DaemonRuntime(config: config, keylogPath: nil)
        rt.reloadSource = ReloadSource(path: path)
        try rt.start()
        return rt
    }

    func waitUntil(_ condition: () throws -> Bool) rethrows -> Bool {
        for _ in 0..<100 {
            if try condition() { return true }
            usleep(50_000)
        }
        return try condition()
    }

    @Test func reloadRefusesBadFilesAndReportsButKeepsUnauthorizedSAs() throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let b = try start("b", responderConf())
        let a = try start("a", initiatorConf())
        defer {
            a.queue.sync { a.shutdown(reason: "test") }
            b.queue.sync { b.shutdown(reason: "test") }
            try? FileManager.default.removeItem(atPath: dir)
        }
        let ctlA = ControlClient(path: "\(dir)/a.sock")
        let ctlB = ControlClient(path: "\(dir)/b.sock")

        // a flow under the protect policy brings up the connection
        let request = FlowRequest(src: "10.1.0.5", dst: "10.2.0.7")
        let flow = try ctlA.send(ControlRequest(command: .flow, timeout: 5, flow: request),
                                 timeout: 10)
        let record = try #require(flow.flows?.first)
        #expect(record.decision == .protected, "\(record)")
        #expect(try ctlB.send(ControlRequest(command: .listSAs)).sas?.count == 1)
        #expect(try ctlA.send(ControlRequest(command: .flows)).flows?.count == 1)
        #expect(try ctlA.send(ControlRequest(command: .spd)).spd?.map(\.name) == ["lan"])

        // ikectl rekey starts CREATE_CHILD_SA; the child gets new SPIs
        let oldChild = try ctlA.send(ControlRequest(command: .listSAs)).sas?.first?.children
        let rekey = try ctlA.send(ControlRequest(command: .rekey, name: "tob"))
        #expect(rekey.message?.hasPrefix("rekey of child SA") == true, "\(rekey)")
        #expect(try waitUntil {
            let now = try ctlA.send(ControlRequest(command: .listSAs)).sas?.first?.children
            return now?.count == 1 && now != oldChild
        })
        let unknown = try ctlA.send(ControlRequest(command: .rekey, name: "nope"))
        #expect(unknown.error == "connection 'nope' has no established IKE SA to rekey")

        // a broken file is refused as a whole, with its lines; the old one stays
        try (responderConf() + "\npolicy x {\n action maybe\n}\nbogus 1\n")
            .write(toFile: "\(dir)/b.conf", atomically: true, encoding: .utf8)
        let bad = try ctlB.send(ControlRequest(command: .reload))
        #expect(bad.ok == false)
        let error = try #require(bad.error)
        #expect(error.contains("\(dir)/b.conf:19: action: unknown action 'maybe'"), "\(error)")
        #expect(error.contains("\(dir)/b.conf:21: unknown keyword 'bogus'"), "\(error)")
        #expect(error.contains("the running configuration is kept"))
        #expect(b.queue.sync { b.config.connections.map(\.name) } == ["froma"])

        // a narrower PAD: the SA is listed as unauthorized and keeps running
        try responderConf(aTS: "10.1.0.0/25", ikePort: 9, extra: "dpd-delay 5")
            .write(toFile: "\(dir)/b.conf", atomically: true, encoding: .utf8)
        let narrowed = try ctlB.send(ControlRequest(command: .reload))
        let report = try #require(narrowed.reload, "\(narrowed)")
        #expect(report.unauthorized.count == 1 && report.deleted == 0)
        #expect(report.unauthorized.first?.unauthorized?.contains("walk 2") == true)
        #expect(report.restartNeeded.contains { $0.hasPrefix("restart needed for ike-port") })
        #expect(report.restartNeeded.contains { $0.hasPrefix("restart needed for dpd-delay") })
        #expect(b.queue.sync { b.config.settings.ikePort } == port)
        #expect(try ctlB.send(ControlRequest(command: .listSAs)).sas?.first?.unauthorized != nil)
        #expect(try ctlA.send(ControlRequest(command: .listSAs)).sas?.count == 1)

        // SIGHUP takes the same path: the same file again marks the same SA
        b.queue.sync { b.reloadOnSignal() }
        #expect(try ctlB.send(ControlRequest(command: .listSAs)).sas?.count == 1)

        // only on request are they deleted, on both sides
        let del = try ctlB.send(ControlRequest(command: .reload, deleteUnauthorized: true))
        #expect(del.reload?.deleted == 1, "\(del)")
        #expect(try waitUntil { try ctlA.send(ControlRequest(command: .listSAs)).sas == [] })
        #expect(try waitUntil { try ctlB.send(ControlRequest(command: .listSAs)).sas == [] })
        let none = try ctlB.send(ControlRequest(command: .terminate, unauthorized: true))
        #expect(none.error?.contains("no IKE SA is marked unauthorized") == true)
    }
}
