/// One problem found in a configuration file, with the place to fix it.
public struct ConfigDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    public var file: String
    /// 1-based; 0 when the problem concerns the whole file.
    public var line: Int
    public var severity: Severity
    public var message: String

    public init(file: String, line: Int, severity: Severity = .error, message: String) {
        self.file = file
        self.line = line
        self.severity = severity
        self.message = message
    }

    /// `examples/lab/a.conf:12: unknown algorithm 'aes999' in proposal 'aes999-sha256'`
    public var description: String {
        let place = line > 0 ? "\(file):\(line)" : file
        return severity == .warning ? "\(place): warning: \(message)" : "\(place): \(message)"
    }
}

/// Every error found in a configuration file (parsing does not stop at the first one,
/// so an operator can fix them all in one go). Warnings found alongside are kept too.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [ConfigDiagnostic]

    public init(_ diagnostics: [ConfigDiagnostic]) {
        self.diagnostics = diagnostics
    }

    public var errors: [ConfigDiagnostic] { diagnostics.filter { $0.severity == .error } }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}

/// Collects diagnostics for one file while parsing goes on.
struct DiagnosticSink {
    let file: String
    private(set) var items: [ConfigDiagnostic] = []

    init(file: String) {
        self.file = file
    }

    var hasErrors: Bool { items.contains { $0.severity == .error } }

    mutating func error(_ line: Int, _ message: String) {
        items.append(ConfigDiagnostic(file: file, line: line, severity: .error, message: message))
    }

    mutating func warning(_ line: Int, _ message: String) {
        items.append(ConfigDiagnostic(file: file, line: line, severity: .warning, message: message))
    }
}
