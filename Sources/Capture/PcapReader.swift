/// Classic pcap files ("libpcap format": pcap-savefile(5), draft-ietf-opsawg-pcap).
///
/// A 24-octet file header (magic, version, snaplen, link type) and then records of a
/// 16-octet header (seconds, sub-seconds, captured length, original length) and the
/// captured octets. The magic number gives the writer's byte order (a1b2c3d4 read back
/// as d4c3b2a1 means swapped) and the timestamp unit (a1b23c4d: nanoseconds). Timestamps
/// are not used by the decoder, so micro- and nanosecond files read the same way.
public enum PcapReader {
    static let microMagic: UInt32 = 0xa1b2_c3d4
    static let nanoMagic: UInt32 = 0xa1b2_3c4d
    static let fileHeaderSize = 24
    static let recordHeaderSize = 16

    /// True when `bytes` starts with a pcap magic number in either byte order.
    static func recognises(_ bytes: ArraySlice<UInt8>) -> Bool {
        byteOrder(bytes) != nil
    }

    /// True for big-endian files, false for little-endian, nil when not pcap.
    private static func byteOrder(_ bytes: ArraySlice<UInt8>) -> Bool? {
        guard let magic = bytes.be32(at: bytes.startIndex) else { return nil }
        if magic == microMagic || magic == nanoMagic { return true }
        if magic.byteSwapped == microMagic || magic.byteSwapped == nanoMagic { return false }
        return nil
    }

    /// Reads every complete record; a truncated one ends the file with a `problem`.
    public static func read(_ bytes: ArraySlice<UInt8>) -> CaptureContents {
        var contents = CaptureContents()
        let base = bytes.startIndex
        guard let big = byteOrder(bytes) else {
            contents.problem = "not a pcap file"
            return contents
        }
        guard let network = bytes.u32(at: base + 20, bigEndian: big) else {
            contents.problem = "pcap file header truncated (\(bytes.count) octets)"
            return contents
        }
        // The upper bits of the link type field carry the FCS length; the type is 16 bits.
        let linkType = network & 0xffff
        var i = base + fileHeaderSize
        while i < bytes.endIndex {
            guard let captured = bytes.u32(at: i + 8, bigEndian: big),
                  let original = bytes.u32(at: i + 12, bigEndian: big)
            else {
                contents.problem = "record header truncated at file offset \(i - base)"
                return contents
            }
            let start = i + recordHeaderSize
            guard let data = bytes.bytes(at: start, count: Int(captured)) else {
                contents.problem = "record of \(captured) octets truncated at file offset "
                    + "\(i - base)"
                return contents
            }
            contents.packets.append(CapturedPacket(
                number: contents.packets.count + 1, linkType: linkType, data: data,
                originalLength: Int(original)))
            i = start + Int(captured)
        }
        return contents
    }
}
