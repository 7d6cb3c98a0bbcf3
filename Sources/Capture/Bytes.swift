// Bounds-checked integer reads over untrusted capture bytes. Every read returns nil
// instead of trapping when the octets are not there.

extension ArraySlice where Element == UInt8 {
    /// Big-endian 16 bits at absolute index `i`, or nil past the end.
    func be16(at i: Int) -> UInt16? {
        guard i >= startIndex, i <= endIndex - 2 else { return nil }
        return UInt16(self[i]) << 8 | UInt16(self[i + 1])
    }

    /// Big-endian 32 bits at absolute index `i`, or nil past the end.
    func be32(at i: Int) -> UInt32? {
        guard let hi = be16(at: i), let lo = be16(at: i + 2) else { return nil }
        return UInt32(hi) << 16 | UInt32(lo)
    }

    /// 32 bits in the given byte order at absolute index `i`, or nil past the end.
    func u32(at i: Int, bigEndian: Bool) -> UInt32? {
        guard let v = be32(at: i) else { return nil }
        return bigEndian ? v : v.byteSwapped
    }

    /// 16 bits in the given byte order at absolute index `i`, or nil past the end.
    func u16(at i: Int, bigEndian: Bool) -> UInt16? {
        guard let v = be16(at: i) else { return nil }
        return bigEndian ? v : v.byteSwapped
    }

    /// `count` octets from absolute index `i`, or nil when they are not all there.
    func bytes(at i: Int, count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, i >= startIndex, i <= endIndex - count else { return nil }
        return self[i..<(i + count)]
    }
}

extension Collection where Element == UInt8 {
    /// Lowercase hex without separators, the format of the vectors' expected.json.
    var hex: String {
        let digits = Array("0123456789abcdef")
        var s = ""
        s.reserveCapacity(count * 2)
        for b in self {
            s.append(digits[Int(b >> 4)])
            s.append(digits[Int(b & 0x0f)])
        }
        return s
    }
}

/// Parses hex (either case); nil on odd length or a non-hex character. The Wire
/// parser also skips ':' and blanks, which key tables from other tools may carry.
func parseHex(_ text: some StringProtocol) -> [UInt8]? {
    [UInt8](hex: String(text))
}
