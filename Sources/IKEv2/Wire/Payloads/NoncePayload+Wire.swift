// Nonce payload body (RFC 7296 section 3.9), after the generic header:
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                            Nonce Data                         ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Section 3.9: the nonce is between 16 and 256 octets.

extension NoncePayload: WireBody {
    /// Nonce sizes allowed by section 3.9.
    static let allowedSizes = 16...256

    init(wire r: inout WireReader) throws(WireError) {
        let at = r.offset
        let data = r.readRest()
        guard Self.allowedSizes.contains(data.count) else {
            throw r.error(.invalidSyntax, "nonce of \(data.count) octets, not 16...256", at: at)
        }
        self.init(data: data)
    }

    func encodeBody(into out: inout [UInt8]) {
        out.append(contentsOf: data)
    }
}
