// Key Exchange payload body (RFC 7296 section 3.4), after the generic header:
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |   Diffie-Hellman Group Num    |           RESERVED            |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                       Key Exchange Data                       ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

extension KEPayload: WireBody {
    init(wire r: inout WireReader) throws(WireError) {
        let group = try r.readUInt16("KE Diffie-Hellman Group Num")
        try r.skipReserved(2, "KE RESERVED")
        self.init(group: group, data: r.readRest())
    }

    func encodeBody(into out: inout [UInt8]) {
        out.appendBigEndian(group)
        out.append(contentsOf: [0, 0])
        out.append(contentsOf: data)
    }
}
