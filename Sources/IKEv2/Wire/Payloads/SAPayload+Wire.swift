// Security Association payload body (RFC 7296 section 3.3), after the generic header:
// one or more Proposal substructures.
//
// Proposal substructure (section 3.3.1):
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Last Substruc |   RESERVED    |         Proposal Length       |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Proposal Num  |  Protocol ID  |    SPI Size   |Num  Transforms|
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                        SPI (variable)                         ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                        <Transforms>                           ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Transform substructure (section 3.3.2):
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Last Substruc |   RESERVED    |        Transform Length       |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |Transform Type |   RESERVED    |          Transform ID         |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                      Transform Attributes                     ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Data attribute (section 3.3.5): TV when AF (0x8000) is set, TLV otherwise.
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |A|       Attribute Type        |    AF=0  Attribute Length     |
// |F|                             |    AF=1  Attribute Value      |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                   AF=0  Attribute Value                       |
// |                   AF=1  Not Transmitted                       |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Last Substruc is 0 on the last proposal (transform) and 2 (3) on the others.

extension SAPayload: WireBody {
    init(wire r: inout WireReader) throws(WireError) {
        var proposals = [Proposal]()
        guard !r.isAtEnd else { throw r.error(.invalidSyntax, "SA payload without proposals") }
        while !r.isAtEnd {
            let start = r.offset
            let last = try r.readUInt8("proposal Last Substruc")
            guard last == 0 || last == 2 else {
                throw r.error(.invalidSyntax, "proposal Last Substruc \(last), not 0 or 2",
                              at: start)
            }
            try r.skipReserved(1, "proposal RESERVED")
            let length = Int(try r.readUInt16("Proposal Length"))
            guard length >= 8 else {
                throw r.error(.invalidLength, "Proposal Length \(length) is below 8",
                              at: start + 2)
            }
            var body = try r.subReader(length - 4, "proposal of \(length) octets")
            proposals.append(try Proposal(wire: &body))
            if last == 0, !r.isAtEnd {
                throw r.error(.invalidSyntax, "octets after the last proposal")
            }
            if last == 2, r.isAtEnd {
                throw r.error(.invalidSyntax, "proposal announces another, SA payload ends")
            }
        }
        self.init(proposals: proposals)
    }

    func encodeBody(into out: inout [UInt8]) {
        for (i, p) in proposals.enumerated() {
            let start = out.count
            out.append(i + 1 < proposals.count ? 2 : 0)
            out.append(0)
            out.append(contentsOf: [0, 0])
            p.encodeBody(into: &out)
            out.patchUInt16(out.count - start, at: start + 2)
        }
    }
}

extension Proposal {
    /// `r` covers the proposal after its Proposal Length field.
    init(wire r: inout WireReader) throws(WireError) {
        let number = try r.readUInt8("Proposal Num")
        let protocolID = ProtocolID(rawValue: try r.readUInt8("proposal Protocol ID"))
        let spiSizeAt = r.offset
        let spiSize = try r.readUInt8("proposal SPI Size")
        // Section 3.3.1: 0 (initial IKE SA) or 8 for IKE, 4 for ESP and AH.
        let allowed: [UInt8]? = switch protocolID {
        case .ike: [0, 8]
        case .esp, .ah: [4]
        default: nil
        }
        if let allowed, !allowed.contains(spiSize) {
            throw r.error(.invalidSyntax, "SPI Size \(spiSize) for \(protocolID)", at: spiSizeAt)
        }
        let countAt = r.offset
        let count = try r.readUInt8("Num Transforms")
        let spi = try r.readBytes(Int(spiSize), "proposal SPI")
        var transforms = [Transform]()
        while !r.isAtEnd {
            let start = r.offset
            let last = try r.readUInt8("transform Last Substruc")
            guard last == 0 || last == 3 else {
                throw r.error(.invalidSyntax, "transform Last Substruc \(last), not 0 or 3",
                              at: start)
            }
            try r.skipReserved(1, "transform RESERVED")
            let length = Int(try r.readUInt16("Transform Length"))
            guard length >= 8 else {
                throw r.error(.invalidLength, "Transform Length \(length) is below 8",
                              at: start + 2)
            }
            var body = try r.subReader(length - 4, "transform of \(length) octets")
            transforms.append(try Transform(wire: &body))
            if last == 0, !r.isAtEnd {
                throw r.error(.invalidSyntax, "octets after the last transform")
            }
            if last == 3, r.isAtEnd {
                throw r.error(.invalidSyntax, "transform announces another, proposal ends")
            }
        }
        guard transforms.count == Int(count) else {
            throw r.error(.invalidSyntax,
                          "Num Transforms \(count), but \(transforms.count) present", at: countAt)
        }
        self.init(number: number, protocolID: protocolID, spi: spi, transforms: transforms)
    }

    func encodeBody(into out: inout [UInt8]) {
        out.append(number)
        out.append(protocolID.rawValue)
        out.append(UInt8(truncatingIfNeeded: spi.count))
        out.append(UInt8(truncatingIfNeeded: transforms.count))
        out.append(contentsOf: spi)
        for (i, t) in transforms.enumerated() {
            let start = out.count
            out.append(i + 1 < transforms.count ? 3 : 0)
            out.append(0)
            out.append(contentsOf: [0, 0])
            t.encodeBody(into: &out)
            out.patchUInt16(out.count - start, at: start + 2)
        }
    }
}

extension Transform {
    /// `r` covers the transform after its Transform Length field.
    init(wire r: inout WireReader) throws(WireError) {
        let type = TransformType(rawValue: try r.readUInt8("Transform Type"))
        try r.skipReserved(1, "transform RESERVED")
        let id = try r.readUInt16("Transform ID")
        var attributes = [TransformAttribute]()
        while !r.isAtEnd {
            let word = try r.readUInt16("Attribute Type")
            let attrType = word & 0x7fff
            if word & 0x8000 != 0 {
                attributes.append(.tv(type: attrType, value: try r.readUInt16("Attribute Value")))
            } else {
                let length = Int(try r.readUInt16("Attribute Length"))
                let value = try r.readBytes(length, "attribute \(attrType) value")
                attributes.append(.tlv(type: attrType, value: value))
            }
        }
        self.init(type: type, id: id, attributes: attributes)
    }

    func encodeBody(into out: inout [UInt8]) {
        out.append(type.rawValue)
        out.append(0)
        out.appendBigEndian(id)
        for attribute in attributes {
            switch attribute {
            case .tv(let type, let value):
                out.appendBigEndian(type | 0x8000)
                out.appendBigEndian(value)
            case .tlv(let type, let value):
                out.appendBigEndian(type & 0x7fff)
                out.appendUInt16(value.count)
                out.append(contentsOf: value)
            }
        }
    }
}
