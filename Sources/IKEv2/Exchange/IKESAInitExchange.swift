/// IKE_SA_INIT, both roles (RFC 7296 sections 1.2, 2.6, 2.10, 2.14, 2.23):
///
///     HDR, SAi1, KEi, Ni, N(NAT_D...), N(SIGNATURE_HASH_ALGORITHMS)  -->
///                           <--  HDR, SAr1, KEr, Nr, N(NAT_D...), N(SIG...)
extension IKEEngine {
    /// Hash algorithms we can verify with method 14 (RFC 7427 section 4; 5 is RFC 8420).
    static let signatureHashes: [UInt16] = [2, 3, 4, 5]

    func signatureHashNotify() -> Payload {
        var data: [UInt8] = []
        for h in Self.signatureHashes { data.appendBigEndian(h) }
        return .notify(NotifyPayload(type: .signatureHashAlgorithms, data: data))
    }

    // MARK: initiator

    func startInitiator(connectionIndex: Int, instance: ConnectionConfig? = nil, now: Double)
        -> [EngineAction]
    {
        let conn = instance ?? connections[connectionIndex]
        guard let remoteAddress = conn.remoteAddress else {
            return [.initiateFinished(connection: conn.name, success: false,
                                      message: "connection '\(conn.name)' has no remote-address")]
        }
        let wildcard: IPAddress = remoteAddress.isV4 ? .v4([0, 0, 0, 0]) : .v6([UInt8](repeating: 0, count: 16))
        // Without local-address, the address the host routes from: hashing the wildcard
        // into NAT_D would make the peer see a NAT that is not there.
        let source = conn.localAddress ?? sourceAddress?(remoteAddress) ?? wildcard
        let local = Endpoint(address: source, port: settings.ikePort)
        let remote = Endpoint(address: remoteAddress, port: conn.remotePort)
        var sa = IKESA(role: .initiator, connectionIndex: connectionIndex, config: conn,
                       connectionName: conn.name,
                       spiI: newSPI(), spiR: 0, state: .initSent, local: local, remote: remote,
                       now: now)
        guard let group = conn.ikeProposals.first?.dh.first else {
            return [.initiateFinished(connection: conn.name, success: false,
                                      message: "connection '\(conn.name)' has no IKE DH group")]
        }
        sa.templateName = connections[connectionIndex].name
        sas[sa.spiI] = sa
        var actions = [log(.info, "initiating to \(remote)", sa)]
        actions += sendInitRequest(&sa, group: group, now: now)
        store(sa)
        return actions
    }

    /// (Re)sends IKE_SA_INIT with a fresh KE of `group` (again after INVALID_KE_PAYLOAD
    /// or COOKIE, section 2.6 and 1.2).
    func sendInitRequest(_ sa: inout IKESA, group: UInt16, now: Double) -> [EngineAction] {
        let conn = sa.config
        let ke: any KeyExchange
        do {
            ke = try KeyExchanges.make(group: group)
        } catch {
            sa.state = .deleting
            return [.initiateFinished(connection: conn.name, success: false,
                                      message: "DH group \(group): \(error)")]
        }
        sa.keyExchange = ke
        if sa.ni.isEmpty { sa.ni = SecureRandom.bytes(32) }
        sa.nextRequestID = 0
        var payloads: [Payload] = []
        if let cookie = sa.cookie {
            payloads.append(.notify(NotifyPayload(type: .cookie, data: cookie)))
        }
        payloads += [
            .sa(ProposalSelection.saPayload(conn.ikeProposals, protocolID: .ike, spi: [])),
            .ke(KEPayload(group: group, data: ke.publicValue)),
            .nonce(NoncePayload(data: sa.ni)),
        ]
        payloads += NATDetection.notifies(spiI: sa.spiI, spiR: 0, local: sa.local, remote: sa.remote)
        payloads.append(signatureHashNotify())
        return sendRequest(&sa, .ikeSAInit, payloads, now: now)
    }

    func handleInitResponse(_ sa: inout IKESA, _ m: Message, _ d: Datagram, now: Double)
        -> [EngineAction]
    {
        let conn = sa.config

        // retry cases: INVALID_KE_PAYLOAD and COOKIE (sections 1.2, 2.6)
        if let n = m.notify(.invalidKEPayload) {
            guard n.data.count == 2 else { return fail(&sa, "malformed INVALID_KE_PAYLOAD") }
            let group = UInt16(n.data[0]) << 8 | UInt16(n.data[1])
            guard conn.ikeProposals.contains(where: { $0.dh.contains(group) }),
                  group != sa.keyExchange?.group else {
                return fail(&sa, "INVALID_KE_PAYLOAD: peer wants DH group \(group), "
                            + "which we did not offer")
            }
            sa.pending = nil
            return [log(.info, "peer asked for DH group \(group) (INVALID_KE_PAYLOAD), retrying", sa)]
                + sendInitRequest(&sa, group: group, now: now)
        }
        if let n = m.notify(.cookie), sa.cookie == nil {
            sa.cookie = n.data
            sa.pending = nil
            return [log(.info, "peer sent a COOKIE, retrying", sa)]
                + sendInitRequest(&sa, group: sa.keyExchange?.group ?? 0, now: now)
        }
        if let error = m.notifies.first(where: { $0.type.isError }) {
            var reason = "\(error.type)"
            if error.type == .noProposalChosen {
                reason += ": peer accepted none of our IKE proposals ["
                    + conn.ikeProposals.map(\.description).joined(separator: ", ") + "]"
                if let theirs = m.notify(Self.acceptedProposalsNotify) {
                    reason += "; peer accepts [" + String(decoding: theirs.data, as: UTF8.self) + "]"
                }
            }
            return fail(&sa, reason)
        }

        // pick out SAr1, KEr, Nr
        let got = ExchangePayloads(m.payloads)
        let (saPayload, ke, nonce) = (got.sa, got.ke, got.nonce)
        guard let saPayload, saPayload.proposals.count == 1, let ke, let nonce,
              m.header.spiR != 0 else {
            return fail(&sa, "IKE_SA_INIT response lacks SA, KE, Nonce or SPIr")
        }
        guard let chosen = ProposalSelection.validateResponse(
            saPayload.proposals[0], configured: conn.ikeProposals, protocolID: .ike),
              chosen.dh == ke.group, let kex = sa.keyExchange, kex.group == ke.group else {
            return fail(&sa, "responder chose a proposal we did not offer: "
                        + ProposalSpec.describe(saPayload.proposals[0]))
        }
        sa.spiR = m.header.spiR
        sa.nr = nonce.data
        sa.initResponse = d.bytes
        sa.peerAcceptedSignatureHashes = Self.hashes(in: m)
        sa.peerCertReqEncodings = Self.certReqEncodings(m.payloads)

        // derive keys (section 2.14)
        do {
            try deriveIKEKeys(&sa, chosen: chosen, kex: kex, peerKE: ke.data)
        } catch {
            return fail(&sa, "key derivation: \(error)")
        }

        // NAT detection (section 2.23): move to the NAT-T port when a NAT is seen.
        // the response's hashes cover the SPIs as in its header, SPIr included
        if let nat = NATDetection.evaluate(m, spiI: sa.spiI, spiR: sa.spiR, local: sa.local,
                                           remote: sa.remote) {
            sa.natLocal = nat.localBehindNAT
            sa.natPeer = nat.peerBehindNAT
        }
        var actions = keylogIKE(sa)
        actions += [log(.info, "IKE_SA_INIT done: \(chosen)"
                           + (sa.natDetected ? ", NAT detected, moving to port \(conn.remoteNATTPort)" : ""), sa)]
        if sa.natDetected {
            sa.local.port = settings.nattPort
            sa.remote.port = conn.remoteNATTPort
        }
        sa.pending = nil
        actions += sendAuthRequest(&sa, now: now)
        return actions
    }

    // MARK: responder

    func respondToInit(_ m: Message, _ d: Datagram, now: Double) -> [EngineAction] {
        let key = HalfOpenKey(spiI: m.header.spiI, remote: d.remote)
        if let spi = halfOpen[key], let sa = sas[spi], let last = sa.lastResponse, last.id == 0 {
            return [.send(Datagram(bytes: last.bytes, local: d.local, remote: d.remote)),
                    log(.debug, "retransmitted IKE_SA_INIT request: same response", sa)]
        }
        guard m.header.messageID == 0 else {
            return [debug("IKE_SA_INIT request with message ID \(m.header.messageID) dropped")]
        }
        guard m.header.spiI != 0 else {
            // section 3.1: SPIi MUST NOT be zero
            return [debug("IKE_SA_INIT from \(d.remote) with SPIi 0 dropped")]
        }
        if let demand = demandCookie(m, d) { return demand }
        guard halfOpen.count < settings.maxHalfOpen else {
            return [debug("\(halfOpen.count) half-open IKE SAs: IKE_SA_INIT from \(d.remote) "
                          + "dropped")]
        }

        // connections that may answer on this address pair
        let candidates = connections.indices.filter { i in
            let c = connections[i]
            return (c.localAddress == nil || c.localAddress == d.local.address)
                && (c.remoteAddress == nil || c.remoteAddress == d.remote.address)
        }
        guard let firstCandidate = candidates.first else {
            return [debug("IKE_SA_INIT from \(d.remote) to \(d.local): no connection for "
                          + "this address pair"),
                    plainInitError(m.header, d, NotifyPayload(type: .noProposalChosen))]
        }
        var ourProposals: [ProposalSpec] = []
        for i in candidates {
            for p in connections[i].ikeProposals where !ourProposals.contains(p) {
                ourProposals.append(p)
            }
        }

        let got = ExchangePayloads(m.payloads)
        let (saPayload, ke, nonce) = (got.sa, got.ke, got.nonce)
        guard let saPayload, let ke, let nonce else {
            return [debug("IKE_SA_INIT from \(d.remote) lacks SA, KE or Nonce: dropped")]
        }

        // pick a proposal (section 2.7)
        guard let chosen = ProposalSelection.select(
            offered: saPayload.proposals, configured: ourProposals, protocolID: .ike,
            preferDH: ke.group), let group = chosen.dh else {
            let offered = saPayload.proposals.map(ProposalSpec.describe).joined(separator: ", ")
            let ours = ourProposals.map(\.description).joined(separator: ", ")
            return [.log(LogRecord(.info, "IKE_SA_INIT from \(d.remote): NO_PROPOSAL_CHOSEN; "
                                   + "peer offered [\(offered)], we accept [\(ours)]",
                                   spi: IKESA.spiText(m.header.spiI, 0))),
                    plainInitError(m.header, d, NotifyPayload(type: .noProposalChosen),
                                   NotifyPayload(type: Self.acceptedProposalsNotify,
                                                 data: Array(ours.utf8)))]
        }
        guard ke.group == group else {
            var data: [UInt8] = []
            data.appendBigEndian(group)
            return [.log(LogRecord(.info, "IKE_SA_INIT from \(d.remote): KE group \(ke.group), "
                                   + "asking for \(group) (INVALID_KE_PAYLOAD)",
                                   spi: IKESA.spiText(m.header.spiI, 0))),
                    plainInitError(m.header, d, NotifyPayload(type: .invalidKEPayload, data: data))]
        }

        var sa = IKESA(role: .responder, connectionIndex: firstCandidate,
                       config: connections[firstCandidate], connectionName: Self.unidentified, spiI: m.header.spiI,
                       spiR: newSPI(), state: .initResponded, local: d.local, remote: d.remote,
                       now: now)
        sa.ni = nonce.data
        sa.nr = SecureRandom.bytes(32)
        sa.initRequest = d.bytes
        sa.peerAcceptedSignatureHashes = Self.hashes(in: m)
        let kePublic: [UInt8]
        do {
            let kex = try KeyExchanges.make(group: group)
            kePublic = kex.publicValue
            try deriveIKEKeys(&sa, chosen: chosen, kex: kex, peerKE: ke.data)
        } catch {
            return [.log(LogRecord(.info, "IKE_SA_INIT from \(d.remote): \(error)",
                                   spi: IKESA.spiText(m.header.spiI, 0))),
                    plainInitError(m.header, d, NotifyPayload(type: .noProposalChosen))]
        }
        if let nat = NATDetection.evaluate(m, spiI: sa.spiI, spiR: 0, local: d.local, remote: d.remote) {
            sa.natLocal = nat.localBehindNAT
            sa.natPeer = nat.peerBehindNAT
        }

        var payloads: [Payload] = [
            .sa(SAPayload(proposals: [chosen.proposal(spi: [])])),
            .ke(KEPayload(group: group, data: kePublic)),
            .nonce(NoncePayload(data: sa.nr)),
        ]
        payloads += NATDetection.notifies(spiI: sa.spiI, spiR: sa.spiR, local: d.local, remote: d.remote)
        payloads.append(signatureHashNotify())
        sas[sa.spiR] = sa
        halfOpen[key] = sa.spiR
        var actions = keylogIKE(sa)
        actions += sendResponse(&sa, .ikeSAInit, id: 0, payloads, to: d)
        actions.append(log(.info, "IKE_SA_INIT from \(d.remote): \(chosen)"
                           + (sa.natDetected ? ", NAT detected" : ""), sa))
        store(sa)
        return actions
    }

    /// Under load, a request must echo the COOKIE we computed for it before we spend a
    /// DH computation or any state on it (section 2.6). nil: go ahead.
    func demandCookie(_ m: Message, _ d: Datagram) -> [EngineAction]? {
        let halfOpenCount = halfOpen.count
        guard halfOpenCount >= settings.cookieThreshold,
              let nonce = ExchangePayloads(m.payloads).nonce else { return nil }

        // Cookie = <VersionIDofSecret> | Hash(Ni | IPi | SPIi | <secret>)
        var input = nonce.data + d.remote.address.bytes
        input.appendBigEndian(m.header.spiI)
        input += cookieSecret.revealed()
        let expected: [UInt8] = [0] + Digest.sha256(input).prefix(16)
        if case .notify(let n)? = m.payloads.first, n.type == .cookie, n.data == expected {
            return nil
        }
        return [debug("\(halfOpenCount) half-open IKE SAs: asking \(d.remote) for a COOKIE"),
                plainInitError(m.header, d, NotifyPayload(type: .cookie, data: expected))]
    }

    // MARK: shared

    /// SKEYSEED and the seven keys (section 2.14), and SK protection for this SA.
    func deriveIKEKeys(_ sa: inout IKESA, chosen: ChosenProposal, kex: any KeyExchange,
                       peerKE: [UInt8]) throws {
        guard let prfID = chosen.prf else { throw ExchangeFailure(nil, "no PRF chosen") }
        let prf = try PRF(id: prfID)
        let suite = try EncryptionSuite(encr: chosen.encr.id, keyBits: chosen.encr.keyBits,
                                        integ: chosen.integ)
        let gir = try kex.sharedSecret(peerPublicValue: peerKE)
        let skeyseed = KeyDerivation.skeyseed(prf: prf, ni: sa.ni, nr: sa.nr, sharedSecret: gir)
        let keys = KeyDerivation.ikeSAKeys(
            prf: prf, skeyseed: skeyseed, ni: sa.ni, nr: sa.nr, spiI: sa.spiI, spiR: sa.spiR,
            encrKeyLength: suite.encrKeyLength, integKeyLength: suite.integKeyLength)
        sa.prf = prf
        sa.keys = keys
        sa.chosen = chosen
        sa.protection = try SKProtection(suite: suite, keys: keys, isOriginalInitiator: sa.isInitiator)
        sa.keyExchange = nil
    }

    /// The `ikev2_decryption_table` line of an SA, as soon as its keys exist, so that
    /// even an exchange that then fails authentication can be decrypted.
    func keylogIKE(_ sa: IKESA) -> [EngineAction] {
        guard keylog, let keys = sa.keys, let chosen = sa.chosen,
              let line = KeylogFormat.ikeLine(spiI: sa.spiI, spiR: sa.spiR, chosen: chosen,
                                              keys: keys) else { return [] }
        return [.keylog(KeylogEntry(table: .ikev2DecryptionTable, line: line))]
    }

    /// Name of a responder's IKE SA until walk 1 has found its connection.
    static let unidentified = "(unidentified)"

    /// Private-use status notify an iked responder may add to NO_PROPOSAL_CHOSEN, naming
    /// what it accepts, so the operator of the initiator sees both sides.
    static let acceptedProposalsNotify = NotifyType(rawValue: 40960)

    static func hashes(in m: Message) -> [UInt16] {
        guard let n = m.notify(.signatureHashAlgorithms) else { return [] }
        return stride(from: 0, to: n.data.count - 1, by: 2).map {
            UInt16(n.data[$0]) << 8 | UInt16(n.data[$0 + 1])
        }
    }

    /// The initiation failed before the IKE SA came up: report and forget it.
    func fail(_ sa: inout IKESA, _ reason: String) -> [EngineAction] {
        sa.pending = nil
        sa.state = .deleting
        var actions = [log(.info, "failed: \(reason)", sa)]
        if sa.isInitiator {
            actions.append(.initiateFinished(connection: sa.connectionName, success: false,
                                             message: reason))
        }
        return actions
    }
}
