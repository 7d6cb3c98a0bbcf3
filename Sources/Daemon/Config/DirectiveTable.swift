/// One `keyword value...` line of the configuration.
struct Directive: Sendable {
    var keyword: String
    var args: [ConfigToken]
    var line: Int
}

/// The directives of one scope (top level or one connection block), checked against the
/// keywords that scope accepts: unknown keywords get a "did you mean" hint, keywords
/// that take one value must not repeat, and list keywords accumulate across lines.
struct DirectiveTable {
    enum Kind {
        /// Exactly one value, at most once.
        case single
        /// One or more values; may repeat, values accumulate.
        case list
    }

    private var byKeyword: [String: [Directive]] = [:]

    init(_ directives: [Directive], scope: String, keywords: [String: Kind],
         sink: inout DiagnosticSink) {
        for d in directives {
            guard let kind = keywords[d.keyword] else {
                var message = "unknown keyword '\(d.keyword)' \(scope)"
                if let near = Self.nearest(d.keyword, in: Array(keywords.keys)) {
                    message += " (did you mean '\(near)'?)"
                }
                sink.error(d.line, message)
                continue
            }
            if d.args.isEmpty {
                sink.error(d.line, "'\(d.keyword)' needs a value")
                continue
            }
            if kind == .single {
                if let first = byKeyword[d.keyword]?.first {
                    sink.error(d.line, "'\(d.keyword)' given twice \(scope) "
                        + "(first on line \(first.line)); keep one")
                    continue
                }
                if d.args.count > 1 {
                    sink.error(d.line, "'\(d.keyword)' takes one value, got \(d.args.count) "
                        + "(quote values that contain blanks or commas)")
                    continue
                }
            }
            byKeyword[d.keyword, default: []].append(d)
        }
    }

    /// The value of a single-valued keyword and its line.
    func single(_ keyword: String) -> (text: String, line: Int)? {
        byKeyword[keyword]?.first.map { ($0.args[0].text, $0.line) }
    }

    /// Every value of a list keyword, each with its line.
    func list(_ keyword: String) -> [(text: String, line: Int)] {
        (byKeyword[keyword] ?? []).flatMap { d in d.args.map { ($0.text, d.line) } }
    }

    func has(_ keyword: String) -> Bool { byKeyword[keyword] != nil }

    /// The closest known keyword within two edits, for typo hints.
    static func nearest(_ word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(word, $0)) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }?.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var prev = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let cur = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
                prev = cur
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }
}
