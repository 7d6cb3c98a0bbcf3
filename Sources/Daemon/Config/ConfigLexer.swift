/// A word of a configuration line; `quoted` when it was written in double quotes, so that
/// `"{"` or `"#"` inside a PSK is never taken for syntax.
struct ConfigToken: Hashable, Sendable {
    var text: String
    var quoted: Bool = false

    func isSyntax(_ s: String) -> Bool { !quoted && text == s }
}

/// One non-empty line: its words, with comments and list commas removed.
struct ConfigLine: Sendable {
    var number: Int
    var tokens: [ConfigToken]
}

/// Splits configuration text into lines of tokens.
///
/// Rules, kept deliberately small: `#` starts a comment outside quotes; words are
/// separated by blanks or commas (so `a, b` and `a b` are the same list); `{` and `}` are
/// words of their own even when written against a name; `"..."` is one word in which
/// `\"` and `\\` stand for `"` and `\`.
enum ConfigLexer {
    static func lines(_ text: String, sink: inout DiagnosticSink) -> [ConfigLine] {
        var out: [ConfigLine] = []
        var number = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let tokens = tokenize(Substring(rawLine), line: number, sink: &sink)
            if !tokens.isEmpty { out.append(ConfigLine(number: number, tokens: tokens)) }
        }
        return out
    }

    private static func tokenize(_ line: Substring, line number: Int,
                                 sink: inout DiagnosticSink) -> [ConfigToken] {
        var tokens: [ConfigToken] = []
        var word = ""
        var inQuotes = false
        var escaped = false
        func flush() {
            if !word.isEmpty { tokens.append(ConfigToken(text: word)) }
            word = ""
        }
        for ch in line {
            if inQuotes {
                if escaped {
                    word.append(ch)
                    escaped = false
                } else if ch == "\\" {
                    escaped = true
                } else if ch == "\"" {
                    tokens.append(ConfigToken(text: word, quoted: true))
                    word = ""
                    inQuotes = false
                } else {
                    word.append(ch)
                }
                continue
            }
            switch ch {
            case "#":
                flush()
                return tokens
            case " ", "\t", "\r", ",":
                flush()
            case "{", "}":
                flush()
                tokens.append(ConfigToken(text: String(ch)))
            case "\"":
                flush()
                inQuotes = true
            default:
                word.append(ch)
            }
        }
        if inQuotes {
            sink.error(number, "unterminated quoted string (add the closing \")")
            tokens.append(ConfigToken(text: word, quoted: true))
        } else {
            flush()
        }
        return tokens
    }
}
