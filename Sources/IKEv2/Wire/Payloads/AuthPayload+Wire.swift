// Authentication payload body (RFC 7296 section 3.8), after the generic header:
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Auth Method   |                RESERVED                       |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                      Authentication Data                      ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

extension AuthPayload: WireBody {
    init(wire r: inout WireReader) throws(WireError) {
        let method = AuthMethod(rawValue: try r.readUInt8("Auth Method"))
        try r.skipReserved(3, "AUTH RESERVED")
        self.init(method: method, data: r.readRest())
    }

    func encodeBody(into out: inout [UInt8]) {
        out.append(method.rawValue)
        out.append(contentsOf: [0, 0, 0])
        out.append(contentsOf: data)
    }
}
