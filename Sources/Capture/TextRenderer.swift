import IKEv2

/// Renders a `FrameReport` as a readable block in the spirit of tcpdump and tshark: a
/// summary line, then indented detail lines, then one line per problem.
///
///     frame 3 192.168.1.2:500 > 192.168.1.14:500 IKE_AUTH request #1 [I]
///         spi 0158b8fb90b7623d/13514610cea16160 [ SK { IDi N(INITIAL_CONTACT) ... } ]
///
/// (on one line), followed by proposals with transform names, notify names, ID values,
/// TS ranges, the decrypted inner chain and the ICV verdict.
public enum TextRenderer {
    public static func render(_ r: FrameReport) -> String {
        var lines = [summary(r)]
        if let ike = r.ike, let payloads = ike.payloads {
            for p in payloads { details(p, indent: "    ", into: &lines) }
        }
        if let d = r.decrypted { decrypted(d, into: &lines) }
        if let e = r.decryptError { lines.append("    not decrypted: \(e)") }
        for note in r.notes { lines.append("    (\(note))") }
        for e in r.errors { lines.append("frame \(r.number): \(e)") }
        return lines.joined(separator: "\n")
    }

    static func summary(_ r: FrameReport) -> String {
        var s = "frame \(r.number)"
        if let src = r.source, let dst = r.destination {
            s += " " + endpoint(src, r.sourcePort) + " > " + endpoint(dst, r.destinationPort)
        }
        switch r.kind {
        case .ike:
            if r.nonESPMarker { s += " NAT-T" }
            guard let ike = r.ike else { return s + " IKE (truncated)" }
            guard ike.majorVersion == 2 else {
                return s + " IKEv\(ike.majorVersion) exchange \(ike.exchangeType) spi "
                    + "\(spiHex(ike.spiI))/\(spiHex(ike.spiR)) (not decoded)"
            }
            s += " \(ExchangeType(rawValue: ike.exchangeType))"
            s += ike.isResponse ? " response" : " request"
            s += " #\(ike.messageID)" + (ike.isInitiator ? " [I]" : " [R]")
            s += " spi \(spiHex(ike.spiI))/\(spiHex(ike.spiR))"
            let chain = (ike.payloads ?? []).map { chainItem($0, r.decrypted) }
            s += " [ " + chain.joined(separator: " ") + (chain.isEmpty ? "]" : " ]")
        case .espInUDP:
            s += " ESP spi 0x" + String(r.espSPI ?? 0, radix: 16) + " seq \(r.espSequence ?? 0)"
            s += " length \(r.udpPayloadLength ?? 0)"
        case .natKeepalive: s += " NAT keepalive"
        case .ipFragment: s += " IP fragment"
        case .other: s += " not IKE"
        case .malformed: s += " malformed"
        }
        return s
    }

    private static func endpoint(_ address: String, _ port: UInt16?) -> String {
        guard let port else { return address }
        return address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)"
    }

    /// `N(COOKIE)`, `SA`, `SK { IDi AUTH }`, with `?` after a payload that did not decode.
    private static func chainItem(_ p: PayloadReport, _ d: DecryptionReport?) -> String {
        var s = short(p)
        if p.type == PayloadType.sk.rawValue || p.type == PayloadType.skf.rawValue,
           let d, d.innerPlaintext != nil {
            let inner = (d.reassembledPayloads ?? (d.fragment == nil ? d.innerPayloads : []))
                .map(short)
            if d.fragment == nil || d.reassembledPayloads != nil {
                s += inner.isEmpty ? " { }" : " { " + inner.joined(separator: " ") + " }"
            }
        }
        return s
    }

    private static func short(_ p: PayloadReport) -> String {
        var s: String
        switch p.decoded {
        case .notify(let n)?: s = "N(\(NotifyNames.name(n.type)))"
        case .delete(let d)?: s = "D(\(d.protocolID))"
        case .skf(let f)?: s = "SKF(\(f.fragmentNumber)/\(f.totalFragments))"
        default: s = PayloadType(rawValue: p.type).description
        }
        if p.critical, p.decoded == nil || PayloadNames.name(p.type).hasPrefix("Unknown") {
            s += "!"
        }
        if p.error != nil { s += "?" }
        return s
    }

    // MARK: - Detail lines

    static func details(_ p: PayloadReport, indent: String, into lines: inout [String]) {
        let head = "\(indent)\(PayloadNames.name(p.type)) (\(p.length) octets"
            + (p.critical ? ", critical)" : ")")
        if let error = p.error {
            lines.append("\(head): \(error)")
            return
        }
        guard let decoded = p.decoded else { return lines.append(head) }
        switch decoded {
        case .sa(let sa):
            lines.append(head)
            for prop in sa.proposals {
                let spi = prop.spi.isEmpty ? "" : " spi \(prop.spi.hex)"
                let transforms = prop.transforms.map { t in
                    TransformNames.name(type: t.type.rawValue, id: t.id)
                        + (t.keyLength.map { "-\($0)" } ?? "")
                }
                lines.append("\(indent)    proposal #\(prop.number) \(prop.protocolID)\(spi): "
                    + transforms.joined(separator: ", "))
            }
        case .ke(let ke):
            let group = TransformNames.name(type: 4, id: ke.group)
            lines.append("\(head): group \(ke.group) (\(group)), \(ke.data.count) octets")
        case .idi(let id), .idr(let id):
            lines.append("\(head): \(id.displayString)")
        case .cert(let c):
            lines.append("\(head): \(c.encoding), \(c.data.count) octets")
        case .certreq(let c):
            lines.append("\(head): \(c.encoding), \(c.authority.count) octets of authorities")
        case .auth(let a):
            lines.append("\(head): \(a.method), \(a.data.count) octets \(a.data.hex)")
        case .nonce(let n):
            lines.append("\(head): \(n.data.count) octets \(n.data.hex)")
        case .notify(let n):
            let spi = n.spi.isEmpty ? "" : " \(n.protocolID) spi \(n.spi.hex)"
            let data = n.data.isEmpty ? "" : " data \(n.data.hex)"
            lines.append("\(head): \(NotifyNames.name(n.type)) (\(n.type.rawValue))\(spi)\(data)")
        case .delete(let d):
            let spis = d.spis.map(\.hex).joined(separator: " ")
            lines.append("\(head): \(d.protocolID), \(d.spis.count) SPIs \(spis)")
        case .vendorID(let v):
            lines.append("\(head): \(v.data.hex)")
        case .tsi(let ts), .tsr(let ts):
            lines.append("\(head): " + ts.selectors.map(\.displayString).joined(separator: ", "))
        case .cp(let cp):
            let kinds = [1: "CFG_REQUEST", 2: "CFG_REPLY", 3: "CFG_SET", 4: "CFG_ACK"]
            let attrs = cp.attributes.map { "\($0.type)" }.joined(separator: " ")
            lines.append("\(head): \(kinds[Int(cp.cfgType)] ?? "type \(cp.cfgType)") "
                + "attributes \(attrs)")
        case .eap(let e):
            lines.append("\(head): \(e.message.count) octets")
        case .sk(let sk):
            lines.append("\(head): first inner payload \(sk.firstPayload), "
                + "\(sk.body.count) octets protected")
        case .skf(let f):
            lines.append("\(head): fragment \(f.fragmentNumber) of \(f.totalFragments)")
        case .unknown(let u):
            lines.append("\(head): \(u.body.count) octets not decoded")
        }
    }

    private static func decrypted(_ d: DecryptionReport, into lines: inout [String]) {
        let icv = d.icvValid.map { $0 ? "ICV ok" : "ICV BAD" } ?? "ICV not checked"
        var head = "    decrypted (\(icv)) iv \(d.iv.hex)"
        if let pad = d.padLength, let padding = d.padding {
            head += " pad length \(pad)" + (padding.isEmpty ? "" : " padding \(padding.hex)")
        }
        if let f = d.fragment { head += " fragment \(f.number)/\(f.total)" }
        lines.append(head + ":")
        if d.innerPlaintext == nil { lines.append("        (no plaintext)") }
        if d.fragment == nil {
            for p in d.innerPayloads { details(p, indent: "        ", into: &lines) }
        }
        if let whole = d.reassembledPayloads {
            lines.append("    reassembled message:")
            for p in whole { details(p, indent: "        ", into: &lines) }
        }
    }
}
