import Foundation
import Testing
@testable import Daemon
import IKEv2

@Suite("Daemon runtime over its control socket")
struct DaemonRuntimeTests {
    @Test func controlRequestsReachTheEngineQueue() throws {
        let dir = NSTemporaryDirectory() + "latchkey-rt-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        var config = try TestSupport.parse(TestSupport.pskConnection
            + "\nconnection passive {\n local-auth psk\n remote-auth psk\n"
            + " psk \"0123456789abcdef-0123\"\n local-ts 10.0.0.1/32\n remote-ts 10.0.0.2/32\n}\n")
        config.listen = [IPAddress("127.0.0.1")!]
        config.settings.ikePort = 0
        config.settings.nattPort = 0
        config.socketPath = dir + "/iked.sock"
        config.pinStorePath = dir + "/pins.sqlite"
        config.logLevel = .error
        let runtime = try DaemonRuntime(config: config, keylogPath: nil)
        try runtime.start()
        defer {
            runtime.queue.sync { runtime.shutdown(reason: "test") }
            try? FileManager.default.removeItem(atPath: dir)
        }
        let client = ControlClient(path: config.socketPath)

        let conns = try client.send(ControlRequest(command: .connections))
        #expect(conns.connections?.map(\.name) == ["psk", "passive"])
        #expect(try client.send(ControlRequest(command: .listSAs)).sas == [])

        let unknown = try client.send(ControlRequest(command: .initiate, name: "nope"))
        #expect(unknown.error == "unknown connection 'nope'; configured: psk, passive")
        let passive = try client.send(ControlRequest(command: .initiate, name: "passive"))
        #expect(passive.error?.contains("has no remote-address") == true)
        let none = try client.send(ControlRequest(command: .terminate, name: "psk"))
        #expect(none.error == "connection 'psk' has no IKE SA to terminate")

        #expect(try client.send(ControlRequest(command: .pinsList)) == ControlResponse(ok: true, pins: []))
        let forget = try client.send(ControlRequest(command: .pinsForget, id: "fqdn:h.example"))
        #expect(forget.error == "no pin for fqdn:h.example")
        let badID = try client.send(ControlRequest(command: .pinsForget, id: "not an id"))
        #expect(badID.error?.hasPrefix("'not an id' is not an identity") == true)

        // The engine on this branch never answers, so the waiter's deadline fires.
        let timedOut = try client.send(ControlRequest(command: .initiate, name: "psk", timeout: 1),
                                       timeout: 5)
        #expect(timedOut.ok == false)
        #expect(timedOut.error?.hasPrefix("timed out after 1 s waiting for connection 'psk'") == true)
    }
}
