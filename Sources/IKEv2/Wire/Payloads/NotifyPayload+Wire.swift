// Notify payload body (RFC 7296 section 3.10), after the generic header:
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |  Protocol ID  |   SPI Size    |      Notify Message Type      |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                Security Parameter Index (SPI)                 ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                       Notification Data                       ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

extension NotifyPayload: WireBody {
    init(wire r: inout WireReader) throws(WireError) {
        let protocolID = ProtocolID(rawValue: try r.readUInt8("Notify Protocol ID"))
        let spiSize = try r.readUInt8("Notify SPI Size")
        let type = NotifyType(rawValue: try r.readUInt16("Notify Message Type"))
        let spi = try r.readBytes(Int(spiSize), "Notify SPI")
        self.init(type: type, data: r.readRest(), protocolID: protocolID, spi: spi)
    }

    func encodeBody(into out: inout [UInt8]) {
        out.append(protocolID.rawValue)
        out.append(UInt8(truncatingIfNeeded: spi.count))
        out.appendBigEndian(type.rawValue)
        out.append(contentsOf: spi)
        out.append(contentsOf: data)
    }
}
