// Vendor ID payload body (RFC 7296 section 3.12), after the generic header:
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                        Vendor ID (VID)                        ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

extension VendorIDPayload: WireBody {
    init(wire r: inout WireReader) throws(WireError) {
        self.init(data: r.readRest())
    }

    func encodeBody(into out: inout [UInt8]) {
        out.append(contentsOf: data)
    }
}
