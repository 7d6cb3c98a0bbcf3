/// pcapng files (draft-ietf-opsawg-pcapng): a sequence of blocks, each
/// `type (4) | total length (4) | body | total length (4)`, padded to 4 octets.
///
/// Read: Section Header (0x0A0D0D0A; its byte-order magic 0x1A2B3C4D sets the byte order
/// of every block in the section), Interface Description (1; one link type per
/// interface, numbered per section), Enhanced Packet (6), Simple Packet (3; interface 0)
/// and the obsolete Packet block (2). Every other block type is skipped.
public enum PcapngReader {
    static let sectionHeaderType: UInt32 = 0x0a0d_0d0a
    static let byteOrderMagic: UInt32 = 0x1a2b_3c4d

    private struct Interface {
        var linkType: UInt32
        var snapLength: UInt32
    }

    /// Reads every packet block; a malformed block ends the file with a `problem`.
    public static func read(_ bytes: ArraySlice<UInt8>) -> CaptureContents {
        var contents = CaptureContents()
        var big = true
        var interfaces = [Interface]()
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let where_ = "block at file offset \(i - bytes.startIndex)"
            guard let rawType = bytes.be32(at: i) else {
                contents.problem = "\(where_) truncated"
                return contents
            }
            if rawType == sectionHeaderType {
                // The byte-order magic decides how this and later blocks are read.
                guard let magic = bytes.be32(at: i + 8) else {
                    contents.problem = "\(where_): section header truncated"
                    return contents
                }
                if magic == byteOrderMagic {
                    big = true
                } else if magic.byteSwapped == byteOrderMagic {
                    big = false
                } else {
                    contents.problem = "\(where_): bad byte-order magic"
                    return contents
                }
                interfaces = []
            }
            guard let type = bytes.u32(at: i, bigEndian: big),
                  let total32 = bytes.u32(at: i + 4, bigEndian: big)
            else {
                contents.problem = "\(where_) truncated"
                return contents
            }
            let total = Int(total32)
            guard total >= 12, total % 4 == 0, let block = bytes.bytes(at: i, count: total) else {
                contents.problem = "\(where_): bad block length \(total)"
                return contents
            }
            let body = block.dropFirst(8).dropLast(4)
            switch type {
            case 1:
                guard let link = body.u16(at: body.startIndex, bigEndian: big),
                      let snap = body.u32(at: body.startIndex + 4, bigEndian: big)
                else {
                    contents.problem = "\(where_): interface description truncated"
                    return contents
                }
                interfaces.append(Interface(linkType: UInt32(link), snapLength: snap))
            case 6, 2:
                // EPB: interface (4), timestamp (8), captured (4), original (4), data.
                // Obsolete PB: interface (2), drops (2), then the same.
                let b = body.startIndex
                let iface = type == 6
                    ? body.u32(at: b, bigEndian: big).map(Int.init)
                    : body.u16(at: b, bigEndian: big).map(Int.init)
                guard let iface, let captured = body.u32(at: b + 12, bigEndian: big),
                      let original = body.u32(at: b + 16, bigEndian: big),
                      let data = body.bytes(at: b + 20, count: Int(captured))
                else {
                    contents.problem = "\(where_): packet block truncated"
                    return contents
                }
                guard iface < interfaces.count else {
                    contents.problem = "\(where_): packet on undeclared interface \(iface)"
                    return contents
                }
                contents.packets.append(CapturedPacket(
                    number: contents.packets.count + 1, linkType: interfaces[iface].linkType,
                    data: data, originalLength: Int(original)))
            case 3:
                // SPB: original length (4), data up to the snap length of interface 0.
                guard let first = interfaces.first,
                      let original = body.u32(at: body.startIndex, bigEndian: big)
                else {
                    contents.problem = "\(where_): simple packet block without interface"
                    return contents
                }
                var captured = min(Int(original), body.count - 4)
                if first.snapLength > 0 { captured = min(captured, Int(first.snapLength)) }
                let data = body.dropFirst(4).prefix(captured)
                contents.packets.append(CapturedPacket(
                    number: contents.packets.count + 1, linkType: first.linkType, data: data,
                    originalLength: Int(original)))
            default:
                break
            }
            i += total
        }
        return contents
    }
}
