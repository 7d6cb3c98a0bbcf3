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
    /// Errors shown by `description`; the rest are only counted.
    public static let reportedErrorLimit = 200

    /// In line order (whole-file diagnostics, line 0, last).
    public var diagnostics: [ConfigDiagnostic]
    /// Errors found but not kept (beyond `DiagnosticSink.storedErrorLimit`).
    public var droppedErrors: Int

    public init(_ diagnostics: [ConfigDiagnostic], droppedErrors: Int = 0) {
        self.diagnostics = ConfigDiagnostic.inLineOrder(diagnostics)
        self.droppedErrors = droppedErrors
    }

    public var errors: [ConfigDiagnostic] { diagnostics.filter { $0.severity == .error } }

    /// Every error found, including those not kept.
    public var errorCount: Int { errors.count + droppedErrors }

    /// The diagnostics in line order, up to `reportedErrorLimit` errors, then a line
    /// saying how many more there are.
    public var description: String {
        var lines: [String] = []
        var shown = 0
        for d in diagnostics {
            if d.severity == .error {
                if shown == Self.reportedErrorLimit { break }
                shown += 1
            }
            lines.append(d.description)
        }
        let more = errorCount - shown
        if more > 0, let file = diagnostics.first?.file {
            lines.append("\(file): ... and \(more) more error\(more == 1 ? "" : "s") "
                + "(showing the first \(Self.reportedErrorLimit))")
        }
        return lines.joined(separator: "\n")
    }
}

extension ConfigDiagnostic {
    /// Sorted by line, keeping the order of diagnostics of one line; line 0 (the whole
    /// file) goes last.
    static func inLineOrder(_ items: [ConfigDiagnostic]) -> [ConfigDiagnostic] {
        items.enumerated().sorted { a, b in
            let la = a.element.line == 0 ? Int.max : a.element.line
            let lb = b.element.line == 0 ? Int.max : b.element.line
            return la != lb ? la < lb : a.offset < b.offset
        }.map(\.element)
    }
}

/// Collects diagnostics for one file while parsing goes on. Counts are kept so that
/// asking "how many errors so far" is cheap, and storage is bounded: past
/// `storedErrorLimit` errors are only counted.
struct DiagnosticSink {
    static let storedErrorLimit = 10_000

    let file: String
    private(set) var items: [ConfigDiagnostic] = []
    private(set) var errorCount = 0
    private(set) var warningCount = 0

    init(file: String) {
        self.file = file
    }

    var hasErrors: Bool { errorCount > 0 }

    /// Errors counted but not stored.
    var droppedErrors: Int { max(0, errorCount - Self.storedErrorLimit) }

    mutating func error(_ line: Int, _ message: String) {
        errorCount += 1
        guard errorCount <= Self.storedErrorLimit else { return }
        items.append(ConfigDiagnostic(file: file, line: line, severity: .error, message: message))
    }

    mutating func warning(_ line: Int, _ message: String) {
        warningCount += 1
        guard warningCount <= Self.storedErrorLimit else { return }
        items.append(ConfigDiagnostic(file: file, line: line, severity: .warning, message: message))
    }
}
