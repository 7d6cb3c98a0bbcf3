/// Reassembles fragmented IP datagrams (RFC 791 section 3.2; the same bookkeeping serves
/// IPv6 Fragment headers, RFC 8200 section 4.5).
///
/// Fragments are keyed by source, destination, protocol and identification. A datagram
/// is complete once the last fragment (More Fragments clear) has fixed its length and
/// the received pieces cover every octet before it. Overlapping pieces are accepted; a
/// later piece overwrites earlier octets (captures are decoded, not defended).
struct IPv4Reassembly {
    private struct Key: Hashable {
        var source: [UInt8]
        var destination: [UInt8]
        var proto: UInt8
        var identification: UInt32
    }

    private struct Pending {
        var pieces: [(offset: Int, bytes: ArraySlice<UInt8>)] = []
        var totalLength: Int?
    }

    /// Datagrams above this size are dropped rather than buffered (IPv4's limit is 65535).
    static let maximumLength = 1 << 17

    private var pending: [Key: Pending] = [:]

    enum Outcome {
        /// More pieces are needed.
        case incomplete
        /// The whole transport payload of the datagram.
        case complete([UInt8])
        /// The piece cannot belong to a valid datagram (too large, or past the end).
        case invalid(String)
    }

    /// Adds one fragment; returns the datagram's payload when this piece completes it.
    mutating func add(_ packet: IPPacket) -> Outcome {
        guard let f = packet.fragment else { return .complete(Array(packet.payload)) }
        let key = Key(source: packet.source, destination: packet.destination, proto: packet.proto,
                      identification: f.identification)
        let end = f.offset + packet.payload.count
        guard end <= Self.maximumLength else {
            return .invalid("fragment ends at octet \(end), beyond \(Self.maximumLength)")
        }
        var entry = pending[key] ?? Pending()
        if !f.moreFragments {
            if let known = entry.totalLength, known != end {
                return .invalid("last fragment ends at \(end), an earlier one said \(known)")
            }
            entry.totalLength = end
        }
        entry.pieces.append((f.offset, packet.payload))
        guard let total = entry.totalLength, covers(entry.pieces, total) else {
            pending[key] = entry
            return .incomplete
        }
        pending[key] = nil
        var datagram = [UInt8](repeating: 0, count: total)
        for piece in entry.pieces {
            let n = min(piece.bytes.count, total - piece.offset)
            guard n > 0 else { continue }
            datagram.replaceSubrange(piece.offset..<(piece.offset + n), with: piece.bytes.prefix(n))
        }
        return .complete(datagram)
    }

    /// True when the pieces leave no hole in 0..<total.
    private func covers(_ pieces: [(offset: Int, bytes: ArraySlice<UInt8>)], _ total: Int) -> Bool {
        var reached = 0
        for piece in pieces.sorted(by: { $0.offset < $1.offset }) {
            guard piece.offset <= reached else { return false }
            reached = max(reached, piece.offset + piece.bytes.count)
        }
        return reached >= total
    }
}
