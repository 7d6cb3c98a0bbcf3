@testable import Daemon
import Testing

/// Command lines of `ikectl flow`, `flows`, `spd`, `reload`, `rekey`, `terminate
/// --unauthorized`.
@Suite("ikectl SPD command lines")
struct IkectlSPDArgumentsTests {
    func parse(_ s: String) throws -> IkectlInvocation.Command {
        try IkectlInvocation.parse(s.split(separator: " ").map(String.init)).command
    }

    @Test func commands() throws {
        #expect(try parse("flow 10.0.0.1 10.0.0.2 --proto tcp --dport 443")
            == .flow(FlowRequest(src: "10.0.0.1", dst: "10.0.0.2", proto: "tcp", dport: 443),
                     timeout: 30))
        #expect(try parse("flows --json") == .flows(json: true))
        #expect(try parse("spd") == .spd(json: false))
        #expect(try parse("reload --delete-unauthorized") == .reload(deleteUnauthorized: true))
        #expect(try parse("terminate --unauthorized") == .terminateUnauthorized)
        #expect(try parse("rekey tob --ike") == .rekey(name: "tob", ike: true))
        #expect(try parse("flow --help") == .help("flow"))
    }

    @Test func badFlowsAreRefusedBeforeContactingIked() {
        for (line, message) in [
            ("flow 10.0.0.1", "missing DST"),
            ("flow 10.0.0.1 ::1", "different address families"),
            ("flow 10.0.0.1 10.0.0.2 --dport 80", "needs --proto"),
            ("flow 10.0.0.1 10.0.0.2 --proto tcp --dport 70000", "not a port"),
            ("flow 10.0.0.1 10.0.0.2 --proto warp", "not a protocol"),
            ("flow nowhere 10.0.0.2", "SRC 'nowhere'"),
        ] {
            #expect(throws: DaemonError.self, "\(line)") { try parse(line) }
            do { _ = try parse(line) } catch {
                #expect("\(error)".contains(message), "\(line): \(error)")
            }
        }
    }
}
