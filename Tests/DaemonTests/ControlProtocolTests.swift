import Foundation
import Testing
@testable import Daemon
import IKEv2
import BTNSAuth

@Suite("Control protocol")
struct ControlProtocolTests {
    /// Snapshots have no public initializer (the engine makes them), so tests decode one.
    static let sa: IKESASnapshot = try! ControlCodec.decode(IKESASnapshot.self, from: Array("""
        {"connection":"rpk","spiI":"0011223344556677","spiR":"8899aabbccddeeff",
         "role":"initiator","state":"ESTABLISHED","local":"10.99.0.1:4500",
         "remote":"10.99.0.2:4500","localID":"fqdn:a.lab.test","remoteID":"fqdn:b.lab.test",
         "proposal":"aes128gcm16-prfsha256-x25519","authMethod":"pubkey","btns":true,
         "peerKeyFingerprint":"1a2b3c4d5e6f7081","natDetected":true,"established":1000,
         "children":[{"name":"rpk","protocolName":"ESP","mode":"tunnel","spiIn":"c0000001",
           "spiOut":"c0000002","encr":"aes128gcm16","esn":false,"udpEncapsulation":true,
           "localTS":["10.99.1.1/32"],"remoteTS":["10.99.2.1/32"],"state":"INSTALLED"}]}
        """.utf8))

    @Test func requestIsOneLineOfJSON() throws {
        let line = ControlCodec.encodeLine(ControlRequest(command: .initiate, name: "rpk", timeout: 5))
        #expect(line.last == 0x0A)
        #expect(line.dropLast().allSatisfy { $0 != 0x0A })
        #expect(String(decoding: line, as: UTF8.self)
            == #"{"command":"initiate","name":"rpk","timeout":5}"# + "\n")
        let back = try ControlCodec.decodeRequest(Array(line.dropLast())).get()
        #expect(back == ControlRequest(command: .initiate, name: "rpk", timeout: 5))
    }

    @Test(arguments: ControlCommand.allCases)
    func everyCommandRoundTrips(command: ControlCommand) throws {
        let r = ControlRequest(command: command, name: "x", id: "fqdn:h.example")
        let line = ControlCodec.encodeLine(r)
        #expect(try ControlCodec.decodeRequest(Array(line.dropLast())).get() == r)
    }

    @Test func responseRoundTripsWithSnapshotsAndPins() throws {
        let pin = PinRecord(id: "fqdn:h.example", fingerprint: "ab", firstSeen: 0,
                            lastSeen: 60, saCount: 2, refusedFingerprint: "cd", refusedAt: 120)
        let r = ControlResponse(ok: true, message: "up", sas: [Self.sa], pins: [pin])
        let line = ControlCodec.encodeLine(r)
        let back = try ControlCodec.decode(ControlResponse.self, from: Array(line.dropLast()))
        #expect(back == r)
    }

    @Test func badRequestsGetReadableErrors() {
        func error(_ s: String) -> String {
            guard case .failure(let e) = ControlCodec.decodeRequest(Array(s.utf8)) else { return "" }
            return e.message
        }
        #expect(error("nonsense") == "request is not a JSON object")
        #expect(error("{}") == "request has no \"command\"")
        #expect(error(#"{"command":"reboot"}"#).hasPrefix("unknown command 'reboot' (known: initiate"))
        #expect(error(#"{"command":"initiate","timeout":"soon"}"#)
            == "field 'timeout' must be a number of seconds")
        // Regression: these showed Swift's DecodingError text or "not a JSON object".
        #expect(error(#"{"name":5}"#) == "field 'name' must be a string")
        #expect(error(#"{"command":5}"#) == "field 'command' must be a string")
        #expect(error(#"{"command":"pins-forget","id":["x"]}"#) == "field 'id' must be a string")
        #expect(error(#"{"command":"list-sas","name":null}"#) == "")
        #expect(error("[1,2]") == "request is not a JSON object")
        for s in [#"{"name":5}"#, #"{"command":"initiate","timeout":"soon"}"#] {
            #expect(!error(s).contains("DecodingError") && !error(s).contains("codingPath"))
        }
    }

    @Test func textRenderingShowsSPIsAndFingerprint() {
        let text = SAText.render(Self.sa, now: 1010)
        #expect(text.contains("rpk: ESTABLISHED, initiator, established 10 s ago"))
        #expect(text.contains("0011223344556677_i 8899aabbccddeeff_r"))
        #expect(text.contains("btns (leap of faith, pinned) 1a2b3c4d5e6f7081"))
        #expect(text.contains("spi in c0000001 out c0000002"))
        #expect(text.contains("10.99.1.1/32 === 10.99.2.1/32"))
        #expect(text.contains("in UDP"))
    }

    /// A real server and client over a Unix socket: framing, mode 0600, replies.
    @Test func serverAndClientOverUnixSocket() throws {
        let dir = NSTemporaryDirectory() + "latchkey-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let path = dir + "/sub/iked.sock"
        let server = try ControlServer(path: path) { request, reply in
            switch request.command {
            case .connections: reply(ControlResponse(ok: true, message: "hello \(request.name ?? "")"))
            default: reply(.failure("unknown connection 'nope'; configured: psk"))
            }
        }
        server.start()
        defer {
            server.stop()
            try? FileManager.default.removeItem(atPath: dir)
        }
        let attrs = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attrs[.posixPermissions] as? Int) == 0o600)
        let dirAttrs = try FileManager.default.attributesOfItem(atPath: dir + "/sub")
        #expect((dirAttrs[.posixPermissions] as? Int) == 0o700)

        let client = ControlClient(path: path)
        let ok = try client.send(ControlRequest(command: .connections, name: "you"))
        #expect(ok == ControlResponse(ok: true, message: "hello you"))
        let bad = try client.send(ControlRequest(command: .terminate, name: "nope"))
        #expect(bad.ok == false && bad.error?.contains("configured: psk") == true)
    }

    @Test func clientSaysARegularFileIsNotASocket() throws {
        let path = NSTemporaryDirectory() + "latchkey-notsock-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: DaemonError("\(path) is not a socket; --socket PATH must name iked's "
            + "control socket (see 'socket' in its configuration)")) {
            try ControlClient(path: path).send(ControlRequest(command: .listSAs))
        }
    }

    @Test func clientExplainsMissingDaemon() {
        #expect(throws: DaemonError("cannot connect to /nonexistent/iked.sock: No such file or "
            + "directory — is iked running? (--socket PATH)")) {
            try ControlClient(path: "/nonexistent/iked.sock").send(ControlRequest(command: .listSAs))
        }
    }
}
