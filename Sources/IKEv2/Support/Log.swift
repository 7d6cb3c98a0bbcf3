/// Log levels of the project's logging facade (outside logging packages cannot be used).
public enum LogLevel: Int, Comparable, Sendable, CustomStringConvertible {
    case trace = 0, debug, info, notice, warning, error

    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .trace: return "trace"
        case .debug: return "debug"
        case .info: return "info"
        case .notice: return "notice"
        case .warning: return "warning"
        case .error: return "error"
        }
    }

    public init?(name: String) {
        switch name.lowercased() {
        case "trace": self = .trace
        case "debug": self = .debug
        case "info": self = .info
        case "notice": self = .notice
        case "warning", "warn": self = .warning
        case "error": self = .error
        default: return nil
        }
    }
}

/// One log line produced by the engine: the daemon decides where it goes.
/// `spi` is "spiI_spiR" in hex, `peer` a short key fingerprint or the peer ID.
public struct LogRecord: Sendable {
    public var level: LogLevel
    public var message: String
    public var spi: String?
    public var peer: String?

    public init(_ level: LogLevel, _ message: String, spi: String? = nil, peer: String? = nil) {
        self.level = level
        self.message = message
        self.spi = spi
        self.peer = peer
    }

    /// `notice [spi=0123…_4567…] [peer=ab12cd34] message`
    public var formatted: String {
        var s = "\(level)"
        if let spi { s += " spi=\(spi)" }
        if let peer { s += " peer=\(peer)" }
        return s + " " + message
    }
}
