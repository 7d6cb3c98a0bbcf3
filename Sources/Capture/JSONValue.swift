/// A JSON value (RFC 8259) whose objects keep their key order, so output reads in the
/// same order as the vectors' expected.json files.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([JSONValue])
    case object([Member])

    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONValue
        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// Compact text on one line (for JSON Lines output).
    public var serialized: String {
        var out = ""
        write(into: &out)
        return out
    }

    private func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .string(let s): Self.quote(s, into: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                item.write(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, m) in members.enumerated() {
                if i > 0 { out += ", " }
                Self.quote(m.key, into: &out)
                out += ": "
                m.value.write(into: &out)
            }
            out += "}"
        }
    }

    /// RFC 8259 section 7: quote, backslash and control characters are escaped.
    private static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

/// Builds an object member by member, skipping absent optionals.
struct JSONObject {
    private(set) var members: [JSONValue.Member] = []

    mutating func add(_ key: String, _ value: JSONValue) {
        members.append(.init(key, value))
    }
    mutating func add(_ key: String, _ value: Int?) {
        if let value { add(key, .int(value)) }
    }
    mutating func add(_ key: String, _ value: String?) {
        if let value { add(key, .string(value)) }
    }
    mutating func add(_ key: String, hex value: [UInt8]?) {
        if let value { add(key, .string(value.hex)) }
    }
    mutating func add(_ key: String, _ value: Bool?) {
        if let value { add(key, .bool(value)) }
    }

    var value: JSONValue { .object(members) }
}
