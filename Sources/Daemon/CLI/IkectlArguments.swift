/// A parsed `ikectl` command line.
public struct IkectlInvocation: Sendable, Equatable {
    public enum Command: Sendable, Equatable {
        case initiate(name: String, timeout: Double)
        case listSAs(json: Bool)
        case terminate(name: String)
        case connections(json: Bool)
        /// `store` set: read the pin store file directly, without the daemon.
        case pinsList(json: Bool, store: String?)
        case pinsForget(id: String, store: String?)
        case pinsShow(id: String, json: Bool, store: String?)
        case pinsApprove(id: String, store: String?)
        /// `config` set: read that configuration instead of asking the daemon.
        case pad(json: Bool, config: String?)
        /// `key`: a PEM file; `ts`: selectors of the peer's side.
        case explain(peerID: String, key: String?, ts: [String], json: Bool, config: String?)
        case genkey(type: KeyType, out: String?)
        case pubkey(input: String?, out: String?)
        /// Offline: decode captures (`Capture.DecodeCommand`); no daemon needed.
        case decode(keys: String?, json: Bool, captures: [String])
        /// `nil`: the tool's help; otherwise help for that command.
        case help(String?)
        /// SPD, flows, reload and rekey (IkectlArguments+SPD.swift).
        case flow(FlowRequest, timeout: Double)
        case flows(json: Bool)
        case spd(json: Bool)
        case reload(deleteUnauthorized: Bool)
        case terminateUnauthorized
        case rekey(name: String, ike: Bool)
    }

    /// `--socket PATH`; nil: from `--config`, else the default path.
    public var socketPath: String?
    /// `--config FILE`: take the socket (and pin store) path from iked's configuration.
    public var configPath: String?
    public var command: Command

    public static let defaultInitiateTimeout = 30.0

    /// Parses arguments (without the program name).
    public static func parse(_ args: [String]) throws(DaemonError) -> IkectlInvocation {
        var socket: String?
        var config: String?
        var rest = args[...]
        // Global options come before the command.
        while let a = rest.first, a.hasPrefix("-") {
            rest = rest.dropFirst()
            switch a {
            case "--socket", "-s":
                guard let v = rest.popFirst() else { throw DaemonError("--socket needs a PATH") }
                socket = v
            case "--config", "-c":
                guard let v = rest.popFirst() else { throw DaemonError("--config needs a FILE") }
                config = v
            case "--help", "-h":
                return IkectlInvocation(socketPath: socket, configPath: config, command: .help(nil))
            default:
                throw DaemonError("unknown option '\(a)' (see ikectl --help)")
            }
        }
        guard let name = rest.popFirst() else {
            throw DaemonError("no command given (see ikectl --help)")
        }
        var p = CommandArgs(command: name, args: Array(rest))
        let command: Command
        if p.args.contains("--help") || p.args.contains("-h") {
            guard IkectlHelp.commands[name] != nil else { throw p.unknownCommand() }
            command = .help(name)
        } else {
            switch name {
            case "initiate":
                let timeout = try p.option("--timeout").map { v throws(DaemonError) in
                    guard let t = Double(v), t > 0 else {
                        throw DaemonError("initiate: --timeout wants seconds, got '\(v)'")
                    }
                    return t
                } ?? defaultInitiateTimeout
                command = .initiate(name: try p.positional("NAME"), timeout: timeout)
            case "list-sas":
                command = .listSAs(json: p.flag("--json"))
            case "terminate":
                command = p.flag("--unauthorized") ? .terminateUnauthorized
                    : .terminate(name: try p.positional("NAME"))
            case "connections":
                command = .connections(json: p.flag("--json"))
            case "pins":
                let json = p.flag("--json")
                let store = try p.option("--pin-store")
                let sub = p.optionalPositional() ?? "list"
                switch sub {
                case "list": command = .pinsList(json: json, store: store)
                case "forget": command = .pinsForget(id: try p.positional("ID"), store: store)
                case "show":
                    command = .pinsShow(id: try p.positional("ID"), json: json, store: store)
                case "approve": command = .pinsApprove(id: try p.positional("ID"), store: store)
                default:
                    throw DaemonError("pins: unknown subcommand '\(sub)' "
                        + "(list, show, forget or approve)")
                }
            case "pad", "explain":
                command = try p.padCommand(name, globalConfig: config)
            case "genkey":
                let typeName = try p.option("--type") ?? KeyType.ed25519.rawValue
                guard let type = KeyType(rawValue: typeName) else {
                    throw DaemonError("genkey: unknown --type '\(typeName)' (ed25519 or ecdsa-p256)")
                }
                command = .genkey(type: type, out: try p.option("--out"))
            case "pubkey":
                command = .pubkey(input: try p.option("--in"), out: try p.option("--out"))
            case "decode":
                let keys = try p.option("--keys")
                let json = p.flag("--json")
                var captures = [String]()
                while let c = p.optionalPositional() { captures.append(c) }
                guard !captures.isEmpty else {
                    throw DaemonError("decode: missing CAPTURE (see ikectl decode --help)")
                }
                command = .decode(keys: keys, json: json, captures: captures)
            case "help":
                command = .help(p.optionalPositional())
            default:
                guard let c = try parseSPDCommand(name, &p) else { throw p.unknownCommand() }
                command = c
            }
            try p.finish()
        }
        return IkectlInvocation(socketPath: socket, configPath: config, command: command)
    }
}

/// The arguments after the command name, consumed piece by piece so that leftovers
/// can be reported.
struct CommandArgs {
    let command: String
    var args: [String]

    mutating func flag(_ name: String) -> Bool {
        guard let i = args.firstIndex(of: name) else { return false }
        args.remove(at: i)
        return true
    }

    mutating func option(_ name: String) throws(DaemonError) -> String? {
        guard let i = args.firstIndex(of: name) else { return nil }
        guard i + 1 < args.count, !args[i + 1].hasPrefix("--") else {
            throw DaemonError("\(command): \(name) needs a value")
        }
        let v = args[i + 1]
        args.removeSubrange(i...(i + 1))
        return v
    }

    mutating func optionalPositional() -> String? {
        guard let i = args.firstIndex(where: { !$0.hasPrefix("-") }) else { return nil }
        return args.remove(at: i)
    }

    mutating func positional(_ what: String) throws(DaemonError) -> String {
        guard let v = optionalPositional() else {
            throw DaemonError("\(command): missing \(what) (see ikectl \(command) --help)")
        }
        return v
    }

    func finish() throws(DaemonError) {
        if let extra = args.first {
            throw DaemonError("\(command): unexpected argument '\(extra)' "
                + "(see ikectl \(command) --help)")
        }
    }

    func unknownCommand() -> DaemonError {
        let known = IkectlHelp.commands.keys.sorted().joined(separator: ", ")
        return DaemonError("unknown command '\(command)' (commands: \(known))")
    }
}
