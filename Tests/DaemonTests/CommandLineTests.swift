import Testing
@testable import Daemon
import IKEv2

@Suite("ikectl and iked arguments")
struct CommandLineTests {
    typealias Inv = IkectlInvocation

    @Test func initiateWithTimeoutAndSocket() throws {
        let i = try Inv.parse(["--socket", "/tmp/s", "initiate", "rpk", "--timeout", "7.5"])
        #expect(i.socketPath == "/tmp/s")
        #expect(i.command == .initiate(name: "rpk", timeout: 7.5))
        #expect(try Inv.parse(["initiate", "psk"]).command == .initiate(name: "psk", timeout: 30))
        #expect(try Inv.parse(["initiate", "psk"]).socketPath == nil)
    }

    @Test func commands() throws {
        #expect(try Inv.parse(["list-sas"]).command == .listSAs(json: false))
        #expect(try Inv.parse(["list-sas", "--json"]).command == .listSAs(json: true))
        #expect(try Inv.parse(["terminate", "psk"]).command == .terminate(name: "psk"))
        #expect(try Inv.parse(["connections"]).command == .connections(json: false))
        #expect(try Inv.parse(["pins"]).command == .pinsList(json: false, store: nil))
        #expect(try Inv.parse(["pins", "list", "--json", "--pin-store", "/p"]).command
            == .pinsList(json: true, store: "/p"))
        #expect(try Inv.parse(["pins", "forget", "fqdn:h.example"]).command
            == .pinsForget(id: "fqdn:h.example", store: nil))
        #expect(try Inv.parse(["genkey"]).command == .genkey(type: .ed25519, out: nil))
        #expect(try Inv.parse(["genkey", "--type", "ecdsa-p256", "--out", "k"]).command
            == .genkey(type: .ecdsaP256, out: "k"))
        #expect(try Inv.parse(["pubkey", "--in", "k", "--out", "p"]).command
            == .pubkey(input: "k", out: "p"))
        #expect(try Inv.parse(["-c", "a.conf", "list-sas"]).configPath == "a.conf")
    }

    @Test func help() throws {
        #expect(try Inv.parse(["--help"]).command == .help(nil))
        #expect(try Inv.parse(["help"]).command == .help(nil))
        #expect(try Inv.parse(["help", "pins"]).command == .help("pins"))
        #expect(try Inv.parse(["initiate", "--help"]).command == .help("initiate"))
        for name in ["initiate", "list-sas", "terminate", "pins", "genkey", "pubkey"] {
            #expect(IkectlHelp.commands[name] != nil)
            #expect(IkectlHelp.tool.contains(name))
        }
    }

    @Test func mistakes() {
        func message(_ args: [String]) -> String {
            do {
                _ = try Inv.parse(args)
                return ""
            } catch {
                return error.message
            }
        }
        #expect(message([]) == "no command given (see ikectl --help)")
        #expect(message(["initiate"]) == "initiate: missing NAME (see ikectl initiate --help)")
        #expect(message(["initiate", "x", "--timeout", "soon"]).contains("wants seconds"))
        #expect(message(["list-sas", "extra"]).contains("unexpected argument 'extra'"))
        #expect(message(["frobnicate"]).hasPrefix("unknown command 'frobnicate' (commands:"))
        #expect(message(["genkey", "--type", "rsa"]).contains("ed25519 or ecdsa-p256"))
        #expect(message(["pins", "drop"]).contains("list, show, forget or approve"))
        #expect(message(["--socket"]) == "--socket needs a PATH")
    }

    @Test func ikedOptions() throws {
        let o = try IkedOptions.parse(["--config", "a.conf", "--socket", "/s", "--pin-store", "/p",
                                       "--log-level", "debug", "--keylog", "/k", "--foreground"])
        #expect(o.configPath == "a.conf" && o.socketPath == "/s" && o.pinStorePath == "/p")
        #expect(o.logLevel == .debug && o.keylogPath == "/k" && !o.check)
        #expect(try IkedOptions.parse(["--check", "--config", "x"]).check)
        #expect(try IkedOptions.parse(["--help"]).help)
        #expect(throws: DaemonError("--config FILE is required (see iked --help)")) {
            try IkedOptions.parse(["--check"])
        }
        #expect(throws: DaemonError.self) { try IkedOptions.parse(["--log-level", "loud", "-c", "x"]) }
    }
}
