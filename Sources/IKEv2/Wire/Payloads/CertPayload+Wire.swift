// Certificate payload body (RFC 7296 section 3.6), after the generic header:
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Cert Encoding |                                               |
// +-+-+-+-+-+-+-+-+                                               |
// ~                       Certificate Data                        ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

extension CertPayload: WireBody {
    init(wire r: inout WireReader) throws(WireError) {
        let encoding = CertEncoding(rawValue: try r.readUInt8("Cert Encoding"))
        self.init(encoding: encoding, data: r.readRest())
    }

    func encodeBody(into out: inout [UInt8]) {
        out.append(encoding.rawValue)
        out.append(contentsOf: data)
    }
}
