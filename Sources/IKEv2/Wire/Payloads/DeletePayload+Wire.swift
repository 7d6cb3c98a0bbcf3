// Delete payload body (RFC 7296 section 3.11), after the generic header:
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Protocol ID   |   SPI Size    |          Num of SPIs          |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~               Security Parameter Index(es) (SPI)              ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Num of SPIs times SPI Size must equal the rest of the payload. Deleting the IKE SA
// uses SPI Size 0 and no SPIs; a non-zero count with SPI Size 0 is meaningless.

extension DeletePayload: WireBody {
    init(wire r: inout WireReader) throws(WireError) {
        let protocolID = ProtocolID(rawValue: try r.readUInt8("Delete Protocol ID"))
        let spiSize = try r.readUInt8("Delete SPI Size")
        let countAt = r.offset
        let count = Int(try r.readUInt16("Delete Num of SPIs"))
        if spiSize == 0, count != 0 {
            throw r.error(.invalidSyntax, "\(count) SPIs of size 0", at: countAt)
        }
        guard count * Int(spiSize) == r.remaining else {
            throw r.error(.invalidLength,
                          "\(count) SPIs of \(spiSize) octets, \(r.remaining) octets present",
                          at: countAt)
        }
        var spis = [[UInt8]]()
        spis.reserveCapacity(count)
        for i in 0..<count {
            spis.append(try r.readBytes(Int(spiSize), "Delete SPI \(i)"))
        }
        self.init(protocolID: protocolID, spiSize: spiSize, spis: spis)
    }

    func encodeBody(into out: inout [UInt8]) {
        out.append(protocolID.rawValue)
        out.append(spiSize)
        out.appendUInt16(spis.count)
        for spi in spis { out.append(contentsOf: spi) }
    }
}
