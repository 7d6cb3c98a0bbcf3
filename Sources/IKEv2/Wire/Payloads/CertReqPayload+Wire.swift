// Certificate Request payload body (RFC 7296 section 3.7), after the generic header:
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Cert Encoding |                                               |
// +-+-+-+-+-+-+-+-+                                               |
// ~                    Certification Authority                    ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

extension CertReqPayload: WireBody {
    init(wire r: inout WireReader) throws(WireError) {
        let encoding = CertEncoding(rawValue: try r.readUInt8("CERTREQ Cert Encoding"))
        self.init(encoding: encoding, authority: r.readRest())
    }

    func encodeBody(into out: inout [UInt8]) {
        out.append(encoding.rawValue)
        out.append(contentsOf: authority)
    }
}
