import IKEv2

/// Renders a `FrameReport` as one JSON object in the schema of the vectors'
/// `captures/*/expected.json` frames (see shared/vectors/README.md): lowercase hex,
/// "version": "2.0", numbers for types and IDs, payloads with their decoded fields.
///
/// Beyond that schema, and only when there is something to say: `errors` (the one-line
/// problems), `notes`, `decrypt_error`, `icv_checked: false` for unchecked ICVs,
/// `fragment`, `reassembled_payloads`, `selectors` in TS payloads, `spi` in Notify.
public enum JSONRenderer {
    public static func render(_ r: FrameReport) -> JSONValue {
        var o = JSONObject()
        o.add("frame", r.number)
        o.add("src", r.source)
        o.add("dst", r.destination)
        o.add("udp_sport", r.sourcePort.map(Int.init))
        o.add("udp_dport", r.destinationPort.map(Int.init))
        if r.nonESPMarker { o.add("non_esp_marker", true) }
        o.add("kind", r.kind.rawValue)
        o.add("esp_spi", r.espSPI.map { hex32($0) })
        o.add("esp_seq", r.espSequence.map(Int.init))
        o.add("udp_payload_len", r.udpPayloadLength)
        if r.reassembledFromFragments { o.add("ip_reassembled", true) }
        if let ike = r.ike { o.add("ike", render(ike)) }
        if let d = r.decrypted { o.add("decrypted", render(d)) }
        o.add("decrypt_error", r.decryptError)
        if !r.errors.isEmpty { o.add("errors", .array(r.errors.map { .string($0) })) }
        if !r.notes.isEmpty { o.add("notes", .array(r.notes.map { .string($0) })) }
        return o.value
    }

    static func render(_ ike: IKEReport) -> JSONValue {
        var o = JSONObject()
        o.add("ispi", spiHex(ike.spiI))
        o.add("rspi", spiHex(ike.spiR))
        o.add("next_payload", Int(ike.nextPayload))
        o.add("version", "\(ike.majorVersion).\(ike.minorVersion)")
        o.add("exchange_type", Int(ike.exchangeType))
        o.add("flags", Int(ike.flags))
        o.add("message_id", Int(ike.messageID))
        o.add("length", Int(ike.length))
        o.add("udp_ike_bytes", ike.udpIKEBytes)
        if let payloads = ike.payloads { o.add("payloads", .array(payloads.map(render))) }
        return o.value
    }

    static func render(_ d: DecryptionReport) -> JSONValue {
        var o = JSONObject()
        if let valid = d.icvValid { o.add("icv_valid", valid) } else { o.add("icv_checked", false) }
        o.add("iv", hex: d.iv)
        o.add("pad_length", d.padLength)
        o.add("padding", hex: d.padding)
        o.add("inner_first_payload", Int(d.innerFirstPayload))
        o.add("inner_plaintext", hex: d.innerPlaintext)
        if let f = d.fragment {
            var fo = JSONObject()
            fo.add("number", Int(f.number))
            fo.add("total", Int(f.total))
            o.add("fragment", fo.value)
        } else if d.innerPlaintext != nil {
            o.add("inner_payloads", .array(d.innerPayloads.map(render)))
        }
        if let whole = d.reassembledPayloads {
            o.add("reassembled_payloads", .array(whole.map(render)))
        }
        return o.value
    }

    static func render(_ p: PayloadReport) -> JSONValue {
        var o = JSONObject()
        o.add("type", Int(p.type))
        o.add("name", PayloadNames.name(p.type))
        o.add("length", p.length)
        if p.critical { o.add("critical", true) }
        if let decoded = p.decoded {
            fields(of: decoded, into: &o)
        } else if let idType = p.truncatedIDType {
            o.add("id_type", Int(idType))
            o.add("id_data", "")
        }
        o.add("error", p.error)
        return o.value
    }

    /// The per-type fields of expected.json (README "Files common to all captures").
    private static func fields(of payload: Payload, into o: inout JSONObject) {
        switch payload {
        case .sa(let sa):
            o.add("proposals", .array(sa.proposals.map(render)))
        case .ke(let ke):
            o.add("dh_group", Int(ke.group))
            o.add("ke_data_len", ke.data.count)
        case .idi(let id), .idr(let id):
            o.add("id_type", Int(id.type.rawValue))
            o.add("id_data", hex: id.data)
        case .cert(let c):
            o.add("encoding", Int(c.encoding.rawValue))
            o.add("data_len", c.data.count)
        case .certreq(let c):
            o.add("encoding", Int(c.encoding.rawValue))
            o.add("data_len", c.authority.count)
        case .auth(let a):
            o.add("auth_method", Int(a.method.rawValue))
            o.add("auth_data", hex: a.data)
        case .nonce(let n):
            o.add("nonce", hex: n.data)
        case .notify(let n):
            o.add("protocol_id", Int(n.protocolID.rawValue))
            o.add("spi_size", n.spi.count)
            if !n.spi.isEmpty { o.add("spi", hex: n.spi) }
            o.add("notify_type", Int(n.type.rawValue))
            o.add("data", hex: n.data)
        case .delete(let d):
            o.add("protocol_id", Int(d.protocolID.rawValue))
            o.add("spi_size", Int(d.spiSize))
            o.add("num_spi", d.spis.count)
            if !d.spis.isEmpty { o.add("spis", .array(d.spis.map { .string($0.hex) })) }
        case .vendorID(let v):
            o.add("vendor_id", hex: v.data)
        case .tsi(let ts), .tsr(let ts):
            o.add("ts_count", ts.selectors.count)
            o.add("selectors", .array(ts.selectors.map(render)))
        case .cp(let cp):
            o.add("cfg_type", Int(cp.cfgType))
            o.add("attributes", .array(cp.attributes.map { .int(Int($0.type)) }))
        case .eap(let eap):
            o.add("eap_len", eap.message.count)
        case .skf(let f):
            o.add("fragment_number", Int(f.fragmentNumber))
            o.add("total_fragments", Int(f.totalFragments))
        case .sk, .unknown:
            break
        }
    }

    private static func render(_ p: Proposal) -> JSONValue {
        var o = JSONObject()
        o.add("number", Int(p.number))
        o.add("protocol_id", Int(p.protocolID.rawValue))
        o.add("spi", hex: p.spi)
        o.add("transforms", .array(p.transforms.map { t in
            var to = JSONObject()
            to.add("type", Int(t.type.rawValue))
            to.add("id", Int(t.id))
            to.add("key_length", t.keyLength.map(Int.init))
            return to.value
        }))
        return o.value
    }

    private static func render(_ ts: TrafficSelector) -> JSONValue {
        var o = JSONObject()
        o.add("ts_type", Int(ts.type.rawValue))
        o.add("ip_protocol", Int(ts.ipProtocol))
        o.add("start_port", Int(ts.startPort))
        o.add("end_port", Int(ts.endPort))
        o.add("start_address", IPPacket.text(ts.startAddress))
        o.add("end_address", IPPacket.text(ts.endAddress))
        return o.value
    }

    private static func hex32(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 8 - s.count) + s
    }
}
