// Traffic Selector payload body, TSi or TSr (RFC 7296 section 3.13), after the generic
// header:
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Number of TSs |                 RESERVED                      |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                       <Traffic Selectors>                     ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Traffic selector (section 3.13.1):
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |   TS Type     |IP Protocol ID*|       Selector Length         |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |           Start Port*         |           End Port*           |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                         Starting Address*                     ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                         Ending Address*                       ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// TS_IPV4_ADDR_RANGE (7): Selector Length 16; TS_IPV6_ADDR_RANGE (8): 40.
// Other TS types cannot be interpreted and are rejected.

extension TSPayload: WireBody {
    init(wire r: inout WireReader) throws(WireError) {
        let countAt = r.offset
        let count = try r.readUInt8("Number of TSs")
        try r.skipReserved(3, "TS RESERVED")
        var selectors = [TrafficSelector]()
        while !r.isAtEnd {
            selectors.append(try TrafficSelector(wire: &r))
        }
        guard selectors.count == Int(count) else {
            throw r.error(.invalidSyntax,
                          "Number of TSs \(count), but \(selectors.count) present", at: countAt)
        }
        self.init(selectors: selectors)
    }

    func encodeBody(into out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: selectors.count))
        out.append(contentsOf: [0, 0, 0])
        for selector in selectors { selector.encodeBody(into: &out) }
    }
}

extension TrafficSelector {
    /// Reads one selector from `r` (which covers the rest of the TS payload).
    init(wire r: inout WireReader) throws(WireError) {
        let start = r.offset
        let type = TSType(rawValue: try r.readUInt8("TS Type"))
        let addressSize: Int
        switch type {
        case .ipv4AddrRange: addressSize = 4
        case .ipv6AddrRange: addressSize = 16
        default:
            throw r.error(.invalidSyntax, "unknown TS Type \(type.rawValue)", at: start)
        }
        let ipProtocol = try r.readUInt8("TS IP Protocol ID")
        let length = Int(try r.readUInt16("TS Selector Length"))
        guard length == 8 + 2 * addressSize else {
            throw r.error(.invalidLength, "Selector Length \(length) for \(type)", at: start + 2)
        }
        var body = try r.subReader(length - 4, "\(type) selector")
        let startPort = try body.readUInt16("TS Start Port")
        let endPort = try body.readUInt16("TS End Port")
        let startAddress = try body.readBytes(addressSize, "TS Starting Address")
        let endAddress = try body.readBytes(addressSize, "TS Ending Address")
        self.init(type: type, ipProtocol: ipProtocol, startPort: startPort, endPort: endPort,
                  startAddress: startAddress, endAddress: endAddress)
    }

    func encodeBody(into out: inout [UInt8]) {
        out.append(type.rawValue)
        out.append(ipProtocol)
        out.appendUInt16(8 + startAddress.count + endAddress.count)
        out.appendBigEndian(startPort)
        out.appendBigEndian(endPort)
        out.append(contentsOf: startAddress)
        out.append(contentsOf: endAddress)
    }
}
