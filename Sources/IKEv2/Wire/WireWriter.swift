// Encoding helpers. Only our own messages pass through here: every length written was
// computed from values this process built (at most one UDP datagram), never read from
// the network, so a length that does not fit is a programming error and traps.

extension Array where Element == UInt8 {
    /// Appends a 16-bit length or count, which the caller has proved fits.
    mutating func appendUInt16(_ v: Int) {
        precondition(v >= 0 && v <= 0xffff, "field of \(v) does not fit 16 bits")
        appendBigEndian(UInt16(v))
    }

    /// Writes a big-endian 16-bit value over two octets already in the array.
    mutating func patchUInt16(_ v: Int, at i: Int) {
        precondition(v >= 0 && v <= 0xffff, "length \(v) does not fit 16 bits")
        self[i] = UInt8(truncatingIfNeeded: v >> 8)
        self[i + 1] = UInt8(truncatingIfNeeded: v)
    }
}
