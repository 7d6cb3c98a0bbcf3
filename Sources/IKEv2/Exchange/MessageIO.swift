/// Building, protecting, sending and retransmitting messages of one IKE SA
/// (RFC 7296 sections 2.1, 2.2 and 3.14).
extension IKEEngine {
    /// Header of a message on `sa`; the codec or SK protection fills in the length.
    func header(_ sa: IKESA, _ exchange: ExchangeType, response: Bool, id: UInt32) -> IKEHeader {
        IKEHeader(spiI: sa.spiI, spiR: sa.spiR, exchangeType: exchange,
                  isInitiator: sa.isInitiator, isResponse: response, messageID: id)
    }

    /// Encodes the message: plain for IKE_SA_INIT, inside SK for every other exchange.
    func encode(_ sa: IKESA, _ h: IKEHeader, _ payloads: [Payload]) throws -> [UInt8] {
        if h.exchangeType == .ikeSAInit {
            return MessageCodec.encode(Message(header: h, payloads: payloads))
        }
        guard let protection = sa.protection else {
            throw ExchangeFailure(nil, "no keys to protect \(h.exchangeType)")
        }
        let inner = MessageCodec.encodePayloads(payloads)
        return try protection.seal(header: h, firstPayload: payloads.first?.type ?? .none,
                                   plaintext: inner)
    }

    /// Sends a new request and arms its retransmission (section 2.1).
    func sendRequest(_ sa: inout IKESA, _ exchange: ExchangeType, _ payloads: [Payload],
                     now: Double) -> [EngineAction] {
        let id = sa.nextRequestID
        let bytes: [UInt8]
        do {
            bytes = try encode(sa, header(sa, exchange, response: false, id: id), payloads)
        } catch {
            return [log(.error, "cannot build \(exchange) request: \(error)", sa)]
        }
        sa.nextRequestID &+= 1
        if exchange == .ikeSAInit { sa.initRequest = bytes }
        sa.pending = IKESA.PendingRequest(
            messageID: id, exchange: exchange, bytes: bytes, local: sa.local, remote: sa.remote,
            nextSend: now + settings.retransmitBase, interval: settings.retransmitBase,
            triesLeft: settings.retransmitTries)
        return [.send(Datagram(bytes: bytes, local: sa.local, remote: sa.remote)),
                log(.debug, "sent \(exchange) request \(id) to \(sa.remote)", sa)]
    }

    /// Answers the peer's request `id` and remembers the bytes for retransmits.
    func sendResponse(_ sa: inout IKESA, _ exchange: ExchangeType, id: UInt32,
                      _ payloads: [Payload], to d: Datagram) -> [EngineAction] {
        let bytes: [UInt8]
        do {
            bytes = try encode(sa, header(sa, exchange, response: true, id: id), payloads)
        } catch {
            return [log(.error, "cannot build \(exchange) response: \(error)", sa)]
        }
        if exchange == .ikeSAInit { sa.initResponse = bytes }
        sa.lastResponse = (id, bytes, d.local, d.remote)
        sa.expectedPeerRequestID = id &+ 1
        return [.send(Datagram(bytes: bytes, local: d.local, remote: d.remote))]
    }

    /// The inner payloads of a protected message, after its ICV checked out.
    /// nil (and a debug line) when it did not: such a message is dropped silently
    /// (section 2.21.2).
    func openProtected(_ sa: inout IKESA, _ message: Message, _ d: Datagram, now: Double)
        -> Result<[Payload], ExchangeFailure>
    {
        guard let protection = sa.protection else {
            return .failure(ExchangeFailure(nil, "protected message before keys exist"))
        }
        guard case .sk(let sk)? = message.payloads.last else {
            if case .skf? = message.payloads.last {
                // TODO: reassemble SKF fragments (RFC 7383); we do not announce
                // IKEV2_FRAGMENTATION_SUPPORTED, so peers should not send them.
                return .failure(ExchangeFailure(nil, "SKF fragment received; not supported"))
            }
            return .failure(ExchangeFailure(nil, "\(message.header.exchangeType) without SK"))
        }
        let skOffset = d.bytes.count - 4 - sk.body.count
        let plaintext: [UInt8]
        do {
            plaintext = try protection.open(message: d.bytes, skOffset: skOffset)
        } catch {
            return .failure(ExchangeFailure(nil, "SK payload rejected: \(error)"))
        }
        // authentic: the peer is alive (liveness checks count from here)
        sa.lastHeard = now
        do {
            return .success(try MessageCodec.decodePayloads(plaintext[...],
                                                           firstPayload: sk.firstPayload))
        } catch let e as WireError {
            // Authenticated but malformed: the peer gets the notify (section 2.21.2).
            let notify: NotifyType = e.code == .unsupportedCriticalPayload
                ? .unsupportedCriticalPayload : .invalidSyntax
            let data = e.payloadType.map { [$0] } ?? []
            return .failure(ExchangeFailure(notify, "inner payloads: \(e)", data: data))
        } catch {
            return .failure(ExchangeFailure(.invalidSyntax, "inner payloads: \(error)"))
        }
    }

    /// A message whose header could not be read: dropped; a request from a newer major
    /// version gets INVALID_MAJOR_VERSION (section 2.5).
    func rejectHeader(_ d: Datagram, _ error: WireError) -> [EngineAction] {
        var actions = [debug("dropped datagram from \(d.remote): \(error)")]
        guard error.code == .invalidMajorVersion, d.bytes.count >= IKEHeader.size else {
            return actions
        }
        let raw = d.bytes[...]
        let isResponse = raw[raw.startIndex + 19] & 0x20 != 0
        guard !isResponse else { return actions }
        let h = IKEHeader(spiI: raw.readUInt64(at: 0), spiR: raw.readUInt64(at: 8),
                          exchangeType: ExchangeType(rawValue: raw[18]),
                          isInitiator: raw[19] & 0x08 == 0, isResponse: true,
                          messageID: raw.readUInt32(at: 20))
        let reply = Message(header: h, payloads: [.notify(NotifyPayload(type: .invalidMajorVersion))])
        actions.append(.send(Datagram(bytes: MessageCodec.encode(reply), local: d.local,
                                      remote: d.remote)))
        return actions
    }

    /// An unprotected message the codec refused. An IKE_SA_INIT request with an unknown
    /// critical payload gets UNSUPPORTED_CRITICAL_PAYLOAD (section 2.5); anything else
    /// is dropped, since unauthenticated error answers invite forgery (section 2.21).
    func rejectUnprotected(_ d: Datagram, header h: IKEHeader, error: Error) -> [EngineAction] {
        if let e = error as? WireError, e.code == .unsupportedCriticalPayload,
           h.exchangeType == .ikeSAInit, !h.isResponse
        {
            return [debug("IKE_SA_INIT from \(d.remote): \(e); answering "
                          + "UNSUPPORTED_CRITICAL_PAYLOAD"),
                    plainInitError(h, d, NotifyPayload(
                        type: .unsupportedCriticalPayload, data: e.payloadType.map { [$0] } ?? []))]
        }
        return [debug("dropped \(h.exchangeType) from \(d.remote): \(error)")]
    }

    /// An IKE_SA_INIT error response that creates no state (sections 1.2, 2.6).
    func plainInitError(_ request: IKEHeader, _ d: Datagram, _ notifies: NotifyPayload...)
        -> EngineAction
    {
        let h = IKEHeader(spiI: request.spiI, spiR: 0, exchangeType: .ikeSAInit,
                          isInitiator: false, isResponse: true, messageID: request.messageID)
        let bytes = MessageCodec.encode(Message(header: h, payloads: notifies.map { .notify($0) }))
        return .send(Datagram(bytes: bytes, local: d.local, remote: d.remote))
    }

    /// Our request was never answered (section 2.4): the IKE SA is abandoned.
    func timedOut(_ sa: inout IKESA, _ p: IKESA.PendingRequest) -> [EngineAction] {
        sa.pending = nil
        let seconds = Int((p.nextSend - sa.createdAt).rounded())
        var actions = [log(.info, "no answer to \(p.exchange) request \(p.messageID) from "
                           + "\(p.remote) after \(settings.retransmitTries) retransmissions", sa)]
        if sa.isInitiator && sa.establishedAt == nil {
            actions.append(.initiateFinished(
                connection: sa.connectionName, success: false,
                message: "timeout: no \(p.exchange) response from \(p.remote) "
                    + "after \(settings.retransmitTries + 1) transmissions (~\(seconds) s)"))
        }
        sa.state = .deleting
        return actions
    }

    /// What `ikectl list-sas` shows of one IKE SA.
    func snapshot(_ sa: IKESA) -> IKESASnapshot {
        let children = sa.children.map { c in
            ChildSASnapshot(
                name: c.name, protocolName: "ESP", mode: c.mode.rawValue,
                spiIn: hex32(c.spiIn), spiOut: hex32(c.spiOut),
                encr: ProposalSpec.name(encr: c.chosen.encr),
                integ: c.chosen.integ == IntegID.none ? nil : ProposalSpec.name(integ: c.chosen.integ),
                esn: c.chosen.esn == ESNID.yes, udpEncapsulation: c.udpEncapsulation,
                localTS: c.localTS.map(\.displayString), remoteTS: c.remoteTS.map(\.displayString),
                // TODO: child SAs are not installed into a data path yet; NEGOTIATED says
                // so, and becomes INSTALLED once the kernel or userspace ESP has them.
                state: "NEGOTIATED")
        }
        return IKESASnapshot(
            connection: sa.connectionName, spiI: hex64(sa.spiI), spiR: hex64(sa.spiR),
            role: sa.role.rawValue, state: sa.state.rawValue,
            local: "\(sa.local)", remote: "\(sa.remote)",
            localID: sa.localID?.displayString ?? "", remoteID: sa.remoteID?.displayString ?? "",
            proposal: sa.chosen?.description ?? "", authMethod: sa.peerAuthMethod,
            btns: sa.peerIsBTNS, peerKeyFingerprint: sa.peerKey?.fingerprint,
            natDetected: sa.natDetected, established: sa.establishedAt, children: children,
            unauthorized: sa.unauthorized)
    }
}

/// Why an exchange step failed, and the notify (if any) the peer should get.
struct ExchangeFailure: Error, CustomStringConvertible {
    var notify: NotifyType?
    var reason: String
    var data: [UInt8]

    init(_ notify: NotifyType?, _ reason: String, data: [UInt8] = []) {
        self.notify = notify
        self.reason = reason
        self.data = data
    }

    var description: String {
        notify.map { "\($0): \(reason)" } ?? reason
    }
}
