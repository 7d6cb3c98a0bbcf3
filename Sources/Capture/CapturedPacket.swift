/// One link-layer frame as stored in a capture file.
public struct CapturedPacket: Sendable {
    /// 1-based position in the file, as Wireshark and `tcpdump -#` number frames.
    public var number: Int
    /// LINKTYPE_ value of the frame's interface (https://www.tcpdump.org/linktypes.html).
    public var linkType: UInt32
    /// The captured octets (possibly fewer than `originalLength`, see `snaplen`).
    public var data: ArraySlice<UInt8>
    /// Length of the frame on the wire.
    public var originalLength: Int

    public init(number: Int, linkType: UInt32, data: ArraySlice<UInt8>, originalLength: Int) {
        self.number = number
        self.linkType = linkType
        self.data = data
        self.originalLength = originalLength
    }
}

/// Everything read from one capture file: the frames, and why reading stopped early
/// if it did (a truncated record, a bad block). Frames before the problem are kept.
public struct CaptureContents: Sendable {
    public var packets: [CapturedPacket] = []
    /// Set when the file ended in the middle of a record or held a malformed block.
    public var problem: String?

    public init(packets: [CapturedPacket] = [], problem: String? = nil) {
        self.packets = packets
        self.problem = problem
    }
}

/// Reads a capture file in either format, chosen by its magic number.
public enum CaptureFile {
    /// Parses pcap or pcapng bytes; never traps. An unknown format gives no frames and
    /// a `problem`.
    public static func read(_ bytes: [UInt8]) -> CaptureContents {
        let all = bytes[...]
        if all.be32(at: 0) == PcapngReader.sectionHeaderType {
            return PcapngReader.read(all)
        }
        if PcapReader.recognises(all) {
            return PcapReader.read(all)
        }
        return CaptureContents(problem: "not a pcap or pcapng file (unknown magic number)")
    }
}
