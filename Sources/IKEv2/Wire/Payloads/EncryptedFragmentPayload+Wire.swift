// Encrypted Fragment payload, SKF (RFC 7383 section 2.5), whole payload:
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |        Fragment Number        |        Total Fragments        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                     Initialization Vector                     |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                      Encrypted content                        ~
// +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |               |             Padding (0-255 octets)            |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                                               |  Pad Length   |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                    Integrity Checksum Data                    ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Next Payload is the first inner payload type in fragment 1 and 0 in the others.
// Fragment Number is 1...Total Fragments; Total Fragments is at least 1.

extension EncryptedFragmentPayload {
    init(wire r: inout WireReader, firstPayload: PayloadType) throws(WireError) {
        let at = r.offset
        let number = try r.readUInt16("SKF Fragment Number")
        let total = try r.readUInt16("SKF Total Fragments")
        guard total >= 1, (1...total).contains(number) else {
            throw r.error(.invalidSyntax, "fragment \(number) of \(total)", at: at)
        }
        self.init(firstPayload: firstPayload, fragmentNumber: number, totalFragments: total,
                  body: r.readRest())
    }

    func encodeBody(into out: inout [UInt8]) {
        out.appendBigEndian(fragmentNumber)
        out.appendBigEndian(totalFragments)
        out.append(contentsOf: body)
    }
}
