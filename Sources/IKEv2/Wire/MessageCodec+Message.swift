// Whole IKE messages (RFC 7296 section 3.1): the 28-octet header, then the payload chain.
//
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                       IKE SA Initiator's SPI                  |
// |                                                               |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                       IKE SA Responder's SPI                  |
// |                                                               |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |  Next Payload | MjVer | MnVer | Exchange Type |     Flags     |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                          Message ID                           |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                            Length                             |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                      Payloads (section 3.2)                   ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

extension MessageCodec {
    /// Decodes one IKE message: the datagram (after any non-ESP marker) must be exactly
    /// one message. Throws `WireError` with the offset from the start of `bytes`.
    public static func decode(_ bytes: [UInt8]) throws(WireError) -> Message {
        try decode(bytes[...])
    }

    /// Same as `decode(_:)` for a slice (as `NATTFraming.classify4500` returns);
    /// offsets are relative to the start of the slice.
    public static func decode(_ bytes: ArraySlice<UInt8>) throws(WireError) -> Message {
        let header = try decodeHeader(bytes)
        let payloads = try decodePayloads(bytes.dropFirst(IKEHeader.size),
                                          firstPayload: header.nextPayload,
                                          origin: IKEHeader.size)
        return Message(header: header, payloads: payloads)
    }

    /// Encodes a message, filling in `header.nextPayload` (the first payload's type, or
    /// 0) and `header.length`; every other header field is sent as given.
    public static func encode(_ message: Message) -> [UInt8] {
        let body = encodePayloads(message.payloads)
        var header = message.header
        header.nextPayload = message.payloads.first?.type ?? .none
        header.length = UInt32(IKEHeader.size + body.count)
        return encodeHeader(header) + body
    }
}
