/// Bounds-checked big-endian reader over one region of a message (RFC 7296 section 3).
///
/// Every read proves its length first and throws `WireError` instead of trapping.
/// `offset` is reported relative to the caller's chosen origin (for `MessageCodec.decode`,
/// the first octet of the IKE header).
struct WireReader {
    private let bytes: ArraySlice<UInt8>
    private var index: Int
    /// Reported offset of `bytes.startIndex`.
    private let origin: Int

    init(_ bytes: ArraySlice<UInt8>, origin: Int) {
        self.bytes = bytes
        self.index = bytes.startIndex
        self.origin = origin
    }

    /// Offset of the next octet to read, relative to the origin.
    var offset: Int { origin + (index - bytes.startIndex) }
    var remaining: Int { bytes.endIndex - index }
    var isAtEnd: Bool { index >= bytes.endIndex }

    /// Throws `invalidLength` unless `n` more octets are present.
    func need(_ n: Int, _ what: @autoclosure () -> String) throws(WireError) {
        guard n >= 0, remaining >= n else {
            throw WireError(.invalidLength,
                            "\(what()): need \(n) octets, have \(remaining)", at: offset)
        }
    }

    mutating func readUInt8(_ what: @autoclosure () -> String) throws(WireError) -> UInt8 {
        try need(1, what())
        defer { index += 1 }
        return bytes[index]
    }

    mutating func readUInt16(_ what: @autoclosure () -> String) throws(WireError) -> UInt16 {
        try need(2, what())
        defer { index += 2 }
        return bytes.readUInt16(at: index)
    }

    mutating func readUInt32(_ what: @autoclosure () -> String) throws(WireError) -> UInt32 {
        try need(4, what())
        defer { index += 4 }
        return bytes.readUInt32(at: index)
    }

    /// Skips reserved octets; RFC 7296 section 3: sent as zero, ignored on receipt.
    mutating func skipReserved(_ n: Int, _ what: @autoclosure () -> String) throws(WireError) {
        try need(n, what())
        index += n
    }

    mutating func readBytes(_ n: Int, _ what: @autoclosure () -> String)
        throws(WireError) -> [UInt8]
    {
        try need(n, what())
        defer { index += n }
        return Array(bytes[index..<index + n])
    }

    /// Everything left, as an array.
    mutating func readRest() -> [UInt8] {
        defer { index = bytes.endIndex }
        return Array(bytes[index...])
    }

    /// Takes the next `n` octets as a reader of their own (a substructure body).
    mutating func subReader(_ n: Int, _ what: @autoclosure () -> String)
        throws(WireError) -> WireReader
    {
        try need(n, what())
        let sub = WireReader(bytes[index..<index + n], origin: offset)
        index += n
        return sub
    }

    /// An error at the current offset (or at `at`, if given).
    func error(_ code: WireError.Code, _ reason: String, at: Int? = nil) -> WireError {
        WireError(code, reason, at: at ?? offset)
    }
}
