// Generic payload header and payload chain (RFC 7296 section 3.2).
//
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Payload Length counts the 4 header octets. The chain ends at Next Payload 0, except
// that the Next Payload of SK (section 3.14) and SKF (RFC 7383 section 2.5) names the
// first inner payload; SK and SKF are therefore the last payload of a chain.

/// A payload body that can be read from and written to the wire (the octets after the
/// generic payload header).
protocol WireBody {
    /// Decodes the body; `r` covers exactly the body and must be consumed.
    init(wire r: inout WireReader) throws(WireError)
    func encodeBody(into out: inout [UInt8])
}

extension MessageCodec {
    /// Decodes a payload chain starting with a payload of type `firstPayload`
    /// (the header's Next Payload, or an SK payload's Next Payload for the decrypted
    /// inner chain). The chain must end exactly at the end of `bytes`.
    ///
    /// Error offsets are relative to the start of `bytes`.
    public static func decodePayloads(_ bytes: ArraySlice<UInt8>, firstPayload: PayloadType)
        throws(WireError) -> [Payload]
    {
        try decodePayloads(bytes, firstPayload: firstPayload, origin: 0)
    }

    /// `origin` is the reported offset of `bytes.startIndex`.
    static func decodePayloads(_ bytes: ArraySlice<UInt8>, firstPayload: PayloadType,
                               origin: Int) throws(WireError) -> [Payload]
    {
        var r = WireReader(bytes, origin: origin)
        var payloads = [Payload]()
        var type = firstPayload
        while type != .none {
            let start = r.offset
            guard !r.isAtEnd else {
                throw r.error(.invalidLength, "chain announces a \(type) payload, message ends")
            }
            let next = PayloadType(rawValue: try r.readUInt8("\(type) Next Payload"))
            // Section 3.2: only the C bit is defined; the other 7 bits are ignored.
            let critical = try r.readUInt8("\(type) flags") & 0x80 != 0
            let length = Int(try r.readUInt16("\(type) Payload Length"))
            guard length >= 4 else {
                throw WireError(.invalidLength, "\(type) Payload Length \(length) is below 4",
                                at: start + 2)
            }
            guard length - 4 <= r.remaining else {
                throw WireError(.invalidLength,
                                "\(type) Payload Length \(length) runs past the message "
                                    + "(\(r.remaining + 4) octets left)", at: start + 2)
            }
            var body = try r.subReader(length - 4, "\(type) payload body")
            let payload = try decodeBody(type, next: next, critical: critical,
                                         body: &body, start: start)
            guard body.isAtEnd else {
                throw body.error(.invalidLength, "\(body.remaining) stray octets in \(type)")
            }
            payloads.append(payload)
            if type == .sk || type == .skf {
                // Section 3.14 / RFC 7383 section 2.5: SK and SKF end the chain.
                guard r.isAtEnd else {
                    throw r.error(.invalidSyntax, "\(r.remaining) octets after the \(type) payload")
                }
                return payloads
            }
            type = next
        }
        guard r.isAtEnd else {
            throw r.error(.invalidLength, "\(r.remaining) octets after the last payload")
        }
        return payloads
    }

    private static func decodeBody(_ type: PayloadType, next: PayloadType, critical: Bool,
                                   body r: inout WireReader, start: Int)
        throws(WireError) -> Payload
    {
        switch type {
        case .sa: return .sa(try SAPayload(wire: &r))
        case .ke: return .ke(try KEPayload(wire: &r))
        case .idi: return .idi(try IDPayload(wire: &r))
        case .idr: return .idr(try IDPayload(wire: &r))
        case .cert: return .cert(try CertPayload(wire: &r))
        case .certreq: return .certreq(try CertReqPayload(wire: &r))
        case .auth: return .auth(try AuthPayload(wire: &r))
        case .nonce: return .nonce(try NoncePayload(wire: &r))
        case .notify: return .notify(try NotifyPayload(wire: &r))
        case .delete: return .delete(try DeletePayload(wire: &r))
        case .vendorID: return .vendorID(try VendorIDPayload(wire: &r))
        case .tsi: return .tsi(try TSPayload(wire: &r))
        case .tsr: return .tsr(try TSPayload(wire: &r))
        case .sk: return .sk(EncryptedPayload(wire: &r, firstPayload: next))
        case .skf: return .skf(try EncryptedFragmentPayload(wire: &r, firstPayload: next))
        case .cp: return .cp(try ConfigPayload(wire: &r))
        case .eap: return .eap(try EAPPayload(wire: &r))
        default:
            // Section 2.5: skip unknown payloads unless critical.
            guard !critical else {
                throw WireError(.unsupportedCriticalPayload,
                                "critical payload of unknown type \(type.rawValue)",
                                at: start, payloadType: type.rawValue)
            }
            return .unknown(UnknownPayload(type: type, critical: false, body: r.readRest()))
        }
    }

    /// Encodes a payload chain. Each Next Payload names the following payload, the last
    /// one is 0; SK and SKF carry their `firstPayload` instead, so they belong last.
    /// Known payloads are sent with the critical bit 0; unknown ones keep theirs.
    public static func encodePayloads(_ payloads: [Payload]) -> [UInt8] {
        var out = [UInt8]()
        for (i, payload) in payloads.enumerated() {
            let next: PayloadType
            switch payload {
            case .sk(let e): next = e.firstPayload
            case .skf(let f): next = f.firstPayload
            default: next = i + 1 < payloads.count ? payloads[i + 1].type : .none
            }
            let start = out.count
            out.append(next.rawValue)
            if case .unknown(let u) = payload, u.critical {
                out.append(0x80)
            } else {
                out.append(0)
            }
            out.append(contentsOf: [0, 0])
            encodeBody(payload, into: &out)
            out.patchUInt16(out.count - start, at: start + 2)
        }
        return out
    }

    /// The body of one payload, without the generic header. The AUTH computation needs
    /// this for the ID payload (RFC 7296 section 2.15, RestOfInitIDPayload).
    public static func encodeBody(_ payload: Payload) -> [UInt8] {
        var out = [UInt8]()
        encodeBody(payload, into: &out)
        return out
    }

    static func encodeBody(_ payload: Payload, into out: inout [UInt8]) {
        switch payload {
        case .sa(let p): p.encodeBody(into: &out)
        case .ke(let p): p.encodeBody(into: &out)
        case .idi(let p), .idr(let p): p.encodeBody(into: &out)
        case .cert(let p): p.encodeBody(into: &out)
        case .certreq(let p): p.encodeBody(into: &out)
        case .auth(let p): p.encodeBody(into: &out)
        case .nonce(let p): p.encodeBody(into: &out)
        case .notify(let p): p.encodeBody(into: &out)
        case .delete(let p): p.encodeBody(into: &out)
        case .vendorID(let p): p.encodeBody(into: &out)
        case .tsi(let p), .tsr(let p): p.encodeBody(into: &out)
        case .sk(let p): p.encodeBody(into: &out)
        case .skf(let p): p.encodeBody(into: &out)
        case .cp(let p): p.encodeBody(into: &out)
        case .eap(let p): p.encodeBody(into: &out)
        case .unknown(let p): out.append(contentsOf: p.body)
        }
    }
}
