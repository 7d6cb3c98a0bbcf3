// Configuration payload body (RFC 7296 section 3.15), after the generic header:
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |   CFG Type    |                    RESERVED                   |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                   Configuration Attributes                    ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Configuration attribute (section 3.15.1); R is reserved and ignored on receipt:
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |R|         Attribute Type      |            Length             |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                             Value                             ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

extension ConfigPayload: WireBody {
    init(wire r: inout WireReader) throws(WireError) {
        let cfgType = try r.readUInt8("CFG Type")
        try r.skipReserved(3, "CP RESERVED")
        var attributes = [ConfigAttribute]()
        while !r.isAtEnd {
            let type = try r.readUInt16("CP Attribute Type") & 0x7fff
            let length = Int(try r.readUInt16("CP attribute Length"))
            let value = try r.readBytes(length, "CP attribute \(type) value")
            attributes.append(ConfigAttribute(type: type, value: value))
        }
        self.init(cfgType: cfgType, attributes: attributes)
    }

    func encodeBody(into out: inout [UInt8]) {
        out.append(cfgType)
        out.append(contentsOf: [0, 0, 0])
        for attribute in attributes {
            out.appendBigEndian(attribute.type & 0x7fff)
            out.appendUInt16(attribute.value.count)
            out.append(contentsOf: attribute.value)
        }
    }
}
