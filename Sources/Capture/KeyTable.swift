/// IKE SA keys in the format of Wireshark's `ikev2_decryption_table` (the "IKEv2
/// Decryption Table" ISAKMP preference): CSV, one row per IKE SA,
///
///     SPIi,SPIr,SK_ei,SK_er,"encryption algorithm",SK_ai,SK_ar,"integrity algorithm"
///
/// SPIs are 16 hex digits, keys are hex (empty when unused), algorithm names are
/// Wireshark's strings (`WiresharkAlgorithms`). For AEAD and CTR ciphers SK_e is the key
/// followed by its salt or nonce. Blank lines and lines starting with `#` are ignored.
public struct KeyTable: Sendable {
    public struct Row: Sendable {
        public var spiI: UInt64
        public var spiR: UInt64
        public var skEi: [UInt8]
        public var skEr: [UInt8]
        public var encryption: String
        public var skAi: [UInt8]
        public var skAr: [UInt8]
        public var integrity: String
        /// 1-based line in the file, for messages.
        public var line: Int

        public init(spiI: UInt64, spiR: UInt64, skEi: [UInt8], skEr: [UInt8],
                    encryption: String, skAi: [UInt8], skAr: [UInt8], integrity: String,
                    line: Int = 0) {
            self.spiI = spiI
            self.spiR = spiR
            self.skEi = skEi
            self.skEr = skEr
            self.encryption = encryption
            self.skAi = skAi
            self.skAr = skAr
            self.integrity = integrity
            self.line = line
        }
    }

    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public var line: Int
        public var reason: String
        public var description: String { "key table line \(line): \(reason)" }
    }

    public var rows: [Row]

    public init(rows: [Row]) { self.rows = rows }

    /// Parses the CSV text; any bad row is an error naming its line.
    public init(csv text: String) throws(ParseError) {
        rows = []
        // lines may end in LF or CRLF (Windows Wireshark, Python's csv module)
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (n, raw) in lines.enumerated() {
            let line = raw.trimmingSpaces
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = Self.fields(of: line)
            guard fields.count == 8 else {
                throw ParseError(line: n + 1, reason: "expected 8 fields, found \(fields.count)")
            }
            func spi(_ i: Int, _ what: String) throws(ParseError) -> UInt64 {
                guard fields[i].count == 16, let v = UInt64(fields[i], radix: 16) else {
                    throw ParseError(line: n + 1,
                                     reason: "\(what) '\(fields[i])' is not 16 hex digits")
                }
                return v
            }
            func key(_ i: Int, _ what: String) throws(ParseError) -> [UInt8] {
                guard let v = parseHex(fields[i]) else {
                    throw ParseError(line: n + 1, reason: "\(what) is not hex")
                }
                return v
            }
            rows.append(Row(spiI: try spi(0, "SPIi"), spiR: try spi(1, "SPIr"),
                            skEi: try key(2, "SK_ei"), skEr: try key(3, "SK_er"),
                            encryption: fields[4], skAi: try key(5, "SK_ai"),
                            skAr: try key(6, "SK_ar"), integrity: fields[7], line: n + 1))
        }
    }

    /// The row for an IKE SA. IKE_SA_INIT requests carry SPIr 0, so a row also matches
    /// a message with the right SPIi and a zero SPIr.
    public func row(spiI: UInt64, spiR: UInt64) -> Row? {
        rows.first { $0.spiI == spiI && $0.spiR == spiR }
            ?? (spiR == 0 ? rows.first { $0.spiI == spiI } : nil)
    }

    /// RFC 4180 fields: commas separate, double quotes enclose, `""` is a quote.
    static func fields(of line: String) -> [String] {
        var fields = [String]()
        var current = ""
        var quoted = false
        var chars = line.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? chars.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    let after = chars.next()
                    if after == "\"" { current.append("\"") } else {
                        quoted = false
                        pending = after
                    }
                } else {
                    current.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                fields.append(current.trimmingSpaces)
                current = ""
            } else {
                current.append(c)
            }
        }
        fields.append(current.trimmingSpaces)
        return fields
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and carriage returns.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        return String(self.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
