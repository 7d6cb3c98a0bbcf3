import Foundation
import IKEv2
import BTNSAuth

/// Everything `iked` needs to run, parsed from its configuration file (format in
/// docs/configuration.md).
public struct DaemonConfig: Sendable {
    public static let defaultSocketPath = "/run/latchkey/iked.sock"
    public static let defaultPinStorePath = "/var/lib/latchkey/pins.sqlite"

    public var settings: EngineSettings
    /// Addresses to bind; empty means the wildcard addresses 0.0.0.0 and ::.
    public var listen: [IPAddress]
    public var socketPath: String
    public var pinStorePath: String
    public var logLevel: LogLevel
    /// In configuration order, which is also PAD order.
    public var connections: [ConnectionConfig]
    /// The `policy` blocks in configuration order: the SPD (RFC 4301 section 4.4.1).
    public var spd = SPD()
    /// Things that work but are probably not what was meant; printed at start.
    public var warnings: [ConfigDiagnostic]

    public init(settings: EngineSettings = EngineSettings(), listen: [IPAddress] = [],
                socketPath: String = DaemonConfig.defaultSocketPath,
                pinStorePath: String = DaemonConfig.defaultPinStorePath,
                logLevel: LogLevel = .info, connections: [ConnectionConfig] = [],
                warnings: [ConfigDiagnostic] = []) {
        self.settings = settings
        self.listen = listen
        self.socketPath = socketPath
        self.pinStorePath = pinStorePath
        self.logLevel = logLevel
        self.connections = connections
        self.warnings = warnings
    }

    /// Parses configuration text. `file` names the text in messages; relative paths in it
    /// are resolved against `baseDirectory`. Throws every error found, not only the first.
    public static func parse(text: String, file: String,
                             baseDirectory: String) throws(ConfigError) -> DaemonConfig {
        var parser = ConfigParser(file: file, baseDirectory: baseDirectory)
        let config = parser.parse(text)
        if parser.sink.hasErrors {
            throw ConfigError(parser.sink.items, droppedErrors: parser.sink.droppedErrors)
        }
        return config
    }

    /// Reads and parses the file at `path`.
    public static func load(path: String) throws(ConfigError) -> DaemonConfig {
        let text: String
        do {
            text = try KeyFiles.read(path, as: .config)
        } catch {
            throw ConfigError([ConfigDiagnostic(file: path, line: 0, message: error.message)])
        }
        let dir = (path as NSString).deletingLastPathComponent
        return try parse(text: text, file: path, baseDirectory: dir.isEmpty ? "." : dir)
    }

    public func connection(named name: String) -> ConnectionConfig? {
        connections.first { $0.name == name }
    }
}
