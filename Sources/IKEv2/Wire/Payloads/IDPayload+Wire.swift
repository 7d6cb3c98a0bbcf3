// Identification payload body, IDi or IDr (RFC 7296 section 3.5), after the generic
// header. This body is RestOfInitIDPayload / RestOfRespIDPayload of section 2.15.
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |   ID Type     |                 RESERVED                      |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                   Identification Data                         ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

extension IDPayload: WireBody {
    init(wire r: inout WireReader) throws(WireError) {
        let type = IDType(rawValue: try r.readUInt8("ID Type"))
        try r.skipReserved(3, "ID RESERVED")
        self.init(type: type, data: r.readRest())
    }

    func encodeBody(into out: inout [UInt8]) {
        out.append(type.rawValue)
        out.append(contentsOf: [0, 0, 0])
        out.append(contentsOf: data)
    }
}
