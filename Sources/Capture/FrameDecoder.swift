import IKEv2

/// Decodes captured frames one after the other, down the layers: link (`LinkLayer`),
/// IP (`IPPacket`, with `IPv4Reassembly`), UDP (`UDPDatagram`), IKE header and payload
/// chain (`PayloadWalker`), and, given keys, the SK and SKF payloads (`SKDecryptor`).
///
/// State carried between frames: IP fragments waiting for the rest of their datagram,
/// and decrypted SKF fragments waiting for the rest of their message (RFC 7383
/// section 2.6). Nothing here traps on any input: every problem becomes an error line
/// in the frame's report.
public struct FrameDecoder {
    private let decryptor: SKDecryptor?
    private var ipFragments = IPv4Reassembly()
    private var skfFragments: [SKFKey: SKFMessage] = [:]

    private struct SKFKey: Hashable {
        var spiI: UInt64
        var spiR: UInt64
        var messageID: UInt32
        var flags: UInt8
    }

    private struct SKFMessage {
        var total: UInt16
        var firstPayload: UInt8 = 0
        var plaintexts: [UInt16: [UInt8]] = [:]
    }

    /// Fragments beyond this count are not collected (RFC 7383 allows up to 65535).
    static let maximumSKFFragments = 1024

    public init(keys: KeyTable? = nil) {
        decryptor = keys.map { SKDecryptor(table: $0) }
    }

    /// Decodes all frames of a capture in order.
    public static func decode(_ contents: CaptureContents, keys: KeyTable? = nil) -> [FrameReport] {
        var decoder = FrameDecoder(keys: keys)
        return contents.packets.map { decoder.decode($0) }
    }

    public mutating func decode(_ packet: CapturedPacket) -> FrameReport {
        var report = FrameReport(number: packet.number, kind: .other)
        let network: LinkLayer.Network
        switch LinkLayer.network(linkType: packet.linkType, frame: packet.data) {
        case .success(let n): network = n
        case .failure(.notIP(let why)):
            report.notes.append("not IP: \(why)")
            return report
        case .failure(.truncated(let what)):
            return malformed(report, "\(what) truncated")
        }
        let ip: IPPacket
        switch IPPacket.parse(network) {
        case .success(let p): ip = p
        case .failure(.malformed(let why)): return malformed(report, why)
        }
        report.source = IPPacket.text(ip.source)
        report.destination = IPPacket.text(ip.destination)
        var transport = ip.payload
        if let f = ip.fragment {
            switch ipFragments.add(ip) {
            case .incomplete:
                report.kind = .ipFragment
                report.notes.append("IP fragment id \(f.identification) offset \(f.offset)"
                    + (f.moreFragments ? ", more follow" : ", last"))
                return report
            case .invalid(let why):
                return malformed(report, "IP fragment: \(why)")
            case .complete(let datagram):
                transport = datagram[...]
                report.reassembledFromFragments = true
            }
        }
        guard ip.proto == IPPacket.udp else {
            report.notes.append("IP protocol \(ip.proto), not UDP")
            return report
        }
        guard let udp = UDPDatagram.parse(transport) else {
            return malformed(report, "UDP header truncated (\(transport.count) octets)")
        }
        report.sourcePort = udp.sourcePort
        report.destinationPort = udp.destinationPort
        if udp.truncated {
            report.errors.append("UDP payload truncated: the capture holds "
                + "\(udp.payload.count) octets of it")
        }
        switch udp.content {
        case .notIKE:
            report.notes.append("UDP, not on port 500 or 4500")
        case .natKeepalive:
            report.kind = .natKeepalive
        case .esp(let spi, let sequence):
            report.kind = .espInUDP
            report.espSPI = spi
            report.espSequence = sequence
            report.udpPayloadLength = udp.payload.count
        case .malformed(let why):
            return malformed(report, why)
        case .ike(let message, let marker):
            report.kind = .ike
            report.nonESPMarker = marker
            decodeIKE(message, into: &report)
        }
        return report
    }

    private func malformed(_ report: FrameReport, _ why: String) -> FrameReport {
        var r = report
        r.kind = .malformed
        r.errors.append(why)
        return r
    }

    // MARK: - IKE

    private mutating func decodeIKE(_ bytes: ArraySlice<UInt8>, into report: inout FrameReport) {
        let b = bytes.startIndex
        guard bytes.count >= IKEHeader.size, let length = bytes.be32(at: b + 24),
              let messageID = bytes.be32(at: b + 20)
        else {
            report.errors.append("malformed IKE at offset 0: invalidLength: header needs "
                + "28 octets, have \(bytes.count)")
            return
        }
        let spi = { (i: Int) in UInt64(bytes.be32(at: i)!) << 32 | UInt64(bytes.be32(at: i + 4)!) }
        var ike = IKEReport(
            spiI: spi(b), spiR: spi(b + 8), nextPayload: bytes[b + 16],
            majorVersion: bytes[b + 17] >> 4, minorVersion: bytes[b + 17] & 0x0f,
            exchangeType: bytes[b + 18], flags: bytes[b + 19], messageID: messageID,
            length: length, udpIKEBytes: bytes.count)
        defer { report.ike = ike }
        guard ike.majorVersion == 2 else {
            if ike.majorVersion == 1 {
                report.notes.append("IKEv1 (ISAKMP) message: payloads not decoded")
            } else {
                report.errors.append("malformed IKE at offset 17: invalidMajorVersion: "
                    + "major version \(ike.majorVersion)")
            }
            return
        }
        var end = bytes.endIndex
        if Int(length) != bytes.count {
            report.errors.append("malformed IKE at offset 24: invalidLength: header says "
                + "\(length) octets, datagram has \(bytes.count)")
            if Int(length) >= IKEHeader.size, Int(length) < bytes.count { end = b + Int(length) }
        }
        let walk = PayloadWalker.walk(bytes[(b + IKEHeader.size)..<end], first: ike.nextPayload,
                                      origin: IKEHeader.size, what: "IKE")
        ike.payloads = walk.payloads
        report.errors += walk.errors
        guard let decryptor, let last = walk.payloads.last, last.error == nil else { return }
        let isSK = last.type == PayloadType.sk.rawValue
        guard isSK || last.type == PayloadType.skf.rawValue else { return }
        let opened = decryptor.open(
            message: Array(bytes[b..<end]), skOffset: last.offset, isFragment: !isSK,
            spiI: ike.spiI, spiR: ike.spiR, fromOriginalInitiator: ike.isInitiator)
        switch opened {
        case .failure(let why):
            report.decryptError = why.description
        case .success(let o):
            report.decrypted = decrypted(o, payload: last, ike: ike, report: &report)
        }
    }

    /// Splits the decrypted body into plaintext, padding and pad length, and decodes the
    /// inner chain (for SKF: once every fragment of the message has been seen).
    private mutating func decrypted(_ o: SKDecryptor.Opened, payload: PayloadReport,
                                    ike: IKEReport,
                                    report: inout FrameReport) -> DecryptionReport {
        var d = DecryptionReport(icvValid: o.icvChecked ? o.inspection.icvValid : nil,
                                 iv: o.inspection.iv, innerFirstPayload: payload.nextPayload)
        guard let body = o.inspection.decryptedBody else {
            report.errors.append("ICV check failed: AEAD gives no plaintext")
            return d
        }
        if o.icvChecked, !o.inspection.icvValid {
            report.errors.append("ICV check failed (plaintext shown anyway)")
        }
        let padLength = Int(body[body.count - 1])
        guard padLength < body.count else {
            report.errors.append("decrypted: pad length \(padLength) exceeds the "
                + "\(body.count - 1) octets before it")
            return d
        }
        let plainEnd = body.count - 1 - padLength
        d.padLength = padLength
        d.padding = Array(body[plainEnd..<(body.count - 1)])
        let plaintext = Array(body[0..<plainEnd])
        d.innerPlaintext = plaintext
        guard case .skf(let fragment)? = payload.decoded else {
            let inner = PayloadWalker.walk(plaintext[...], first: payload.nextPayload, origin: 0,
                                           what: "inner payloads")
            d.innerPayloads = inner.payloads
            report.errors += inner.errors
            return d
        }
        d.fragment = (fragment.fragmentNumber, fragment.totalFragments)
        if let chain = collect(fragment, plaintext: plaintext, ike: ike, report: &report) {
            d.reassembledPayloads = chain.payloads
            report.errors += chain.errors
        }
        return d
    }

    /// Keeps one decrypted SKF fragment; returns the inner chain once all are there.
    private mutating func collect(_ f: EncryptedFragmentPayload, plaintext: [UInt8],
                                  ike: IKEReport,
                                  report: inout FrameReport) -> PayloadWalker.Walk? {
        guard f.fragmentNumber >= 1, f.fragmentNumber <= f.totalFragments,
              Int(f.totalFragments) <= Self.maximumSKFFragments
        else {
            report.errors.append("SKF fragment \(f.fragmentNumber) of \(f.totalFragments) "
                + "is out of range")
            return nil
        }
        let key = SKFKey(spiI: ike.spiI, spiR: ike.spiR, messageID: ike.messageID,
                         flags: ike.flags & 0x28)
        var message = skfFragments[key] ?? SKFMessage(total: f.totalFragments)
        if message.total != f.totalFragments {
            // RFC 7383 section 2.6: a new Total Fragments restarts the collection.
            message = SKFMessage(total: f.totalFragments)
        }
        if f.fragmentNumber == 1 { message.firstPayload = f.firstPayload.rawValue }
        message.plaintexts[f.fragmentNumber] = plaintext
        guard message.plaintexts.count == Int(message.total) else {
            skfFragments[key] = message
            return nil
        }
        skfFragments[key] = nil
        let whole = (1...message.total).flatMap { message.plaintexts[$0] ?? [] }
        return PayloadWalker.walk(whole[...], first: message.firstPayload, origin: 0,
                                  what: "reassembled inner payloads")
    }
}
