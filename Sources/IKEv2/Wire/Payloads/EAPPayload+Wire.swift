// EAP payload body (RFC 7296 section 3.16), after the generic header; the EAP message
// (RFC 3748) is kept opaque here:
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                       EAP Message                             ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

extension EAPPayload: WireBody {
    init(wire r: inout WireReader) throws(WireError) {
        self.init(message: r.readRest())
    }

    func encodeBody(into out: inout [UInt8]) {
        out.append(contentsOf: message)
    }
}
