import IKEv2

/// Command line of `iked`.
public struct IkedOptions: Sendable, Equatable {
    public var configPath: String?
    public var socketPath: String?
    public var pinStorePath: String?
    public var logLevel: LogLevel?
    public var keylogPath: String?
    public var check = false
    public var help = false

    public init() {}

    public static let usage = """
        usage: iked --config FILE [--socket PATH] [--pin-store PATH] [--log-level LEVEL]
                    [--keylog FILE] [--foreground]
               iked --check --config FILE
               iked --help

        Latchkey IKEv2 daemon (RFC 7296). Runs in the foreground and logs to stderr.

          --config FILE      configuration file (see docs/configuration.md)
          --check            parse FILE, load its keys, report every problem, and exit
          --socket PATH      control socket for ikectl (overrides 'socket')
          --pin-store PATH   BTNS pin store (overrides 'pin-store')
          --log-level LEVEL  trace, debug, info, notice, warning or error
          --keylog FILE      append IKE SA keys to FILE and ESP keys to esp_sa beside
                     it, in Wireshark's table formats; for debugging only
          --foreground       accepted for compatibility; iked never daemonizes
          --help             this text
        """

    /// Parses arguments (without the program name).
    public static func parse(_ args: [String]) throws(DaemonError) -> IkedOptions {
        var o = IkedOptions()
        var i = 0
        func value(_ flag: String) throws(DaemonError) -> String {
            i += 1
            guard i < args.count, !args[i].hasPrefix("--") else {
                throw DaemonError("\(flag) needs a value")
            }
            return args[i]
        }
        while i < args.count {
            let a = args[i]
            switch a {
            case "--config", "-c": o.configPath = try value(a)
            case "--socket": o.socketPath = try value(a)
            case "--pin-store": o.pinStorePath = try value(a)
            case "--keylog": o.keylogPath = try value(a)
            case "--log-level":
                let v = try value(a)
                guard let l = LogLevel(name: v) else {
                    throw DaemonError("--log-level: unknown level '\(v)' "
                        + "(trace, debug, info, notice, warning, error)")
                }
                o.logLevel = l
            case "--check": o.check = true
            case "--foreground", "-f": break
            case "--help", "-h": o.help = true
            default: throw DaemonError("unknown argument '\(a)' (see iked --help)")
            }
            i += 1
        }
        if !o.help && o.configPath == nil {
            throw DaemonError("--config FILE is required (see iked --help)")
        }
        return o
    }
}
