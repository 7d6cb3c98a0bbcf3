/// Bytes to messages and back (RFC 7296 section 3).
///
/// Decoding proves every length before reading a field and never traps; encoding is
/// the exact inverse, so `encode(decode(b)) == b` for every well-formed `b`.
public enum MessageCodec {
    /// Encodes the 28-octet header exactly as given (length and next payload included).
    public static func encodeHeader(_ h: IKEHeader) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(IKEHeader.size)
        out.appendBigEndian(h.spiI)
        out.appendBigEndian(h.spiR)
        out.append(h.nextPayload.rawValue)
        out.append(h.majorVersion << 4 | (h.minorVersion & 0x0f))
        out.append(h.exchangeType.rawValue)
        var flags: UInt8 = 0
        if h.isInitiator { flags |= 0x08 }
        if h.higherVersion { flags |= 0x10 }
        if h.isResponse { flags |= 0x20 }
        out.append(flags)
        out.appendBigEndian(h.messageID)
        out.appendBigEndian(h.length)
        return out
    }

    /// Decodes the header. Checks that the buffer holds at least 28 octets and that the
    /// Length field matches the buffer; a major version above 2 throws
    /// `invalidMajorVersion` (section 2.5) after the SPIs could be read.
    public static func decodeHeader(_ bytes: ArraySlice<UInt8>) throws(WireError) -> IKEHeader {
        let base = bytes.startIndex
        guard bytes.count >= IKEHeader.size else {
            throw WireError(.invalidLength, "header needs 28 octets, have \(bytes.count)", at: 0)
        }
        let spiI = bytes.readUInt64(at: base)
        let spiR = bytes.readUInt64(at: base + 8)
        let version = bytes[base + 17]
        let flags = bytes[base + 19]
        let length = bytes.readUInt32(at: base + 24)
        let header = IKEHeader(
            spiI: spiI, spiR: spiR, exchangeType: ExchangeType(rawValue: bytes[base + 18]),
            isInitiator: flags & 0x08 != 0, isResponse: flags & 0x20 != 0,
            messageID: bytes.readUInt32(at: base + 20),
            nextPayload: PayloadType(rawValue: bytes[base + 16]),
            majorVersion: version >> 4, minorVersion: version & 0x0f,
            higherVersion: flags & 0x10 != 0, length: length)
        guard header.majorVersion <= 2 else {
            throw WireError(.invalidMajorVersion, "major version \(header.majorVersion)", at: 17)
        }
        guard Int(length) == bytes.count else {
            throw WireError(.invalidLength,
                            "header says \(length) octets, datagram has \(bytes.count)", at: 24)
        }
        return header
    }
}

extension Array where Element == UInt8 {
    @inlinable mutating func appendBigEndian<T: FixedWidthInteger>(_ v: T) {
        var be = v.bigEndian
        Swift.withUnsafeBytes(of: &be) { self.append(contentsOf: $0) }
    }
}

extension ArraySlice where Element == UInt8 {
    /// Reads big-endian integers; callers have checked the bounds.
    @inlinable func readUInt16(at i: Int) -> UInt16 { UInt16(self[i]) << 8 | UInt16(self[i + 1]) }
    @inlinable func readUInt32(at i: Int) -> UInt32 {
        UInt32(readUInt16(at: i)) << 16 | UInt32(readUInt16(at: i + 2))
    }
    @inlinable func readUInt64(at i: Int) -> UInt64 {
        UInt64(readUInt32(at: i)) << 32 | UInt64(readUInt32(at: i + 4))
    }
}
