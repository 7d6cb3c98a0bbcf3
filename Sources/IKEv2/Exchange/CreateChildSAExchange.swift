/// CREATE_CHILD_SA (RFC 7296 sections 1.3, 2.8, 2.17, 2.18), both roles:
///
///     new child:   SK { SA, Ni, [KEi], TSi, TSr }             --> <-- SK { SA, Nr, [KEr], TSi, TSr }
///     rekey child: SK { N(REKEY_SA), SA, Ni, [KEi], TSi, TSr } --> <-- as above
///     rekey IKE:   SK { SA, Ni, KEi }                          --> <-- SK { SA, Nr, KEr }
///
/// Every child SA, new or rekeyed, goes through walk 2 like the first one.
extension IKEEngine {
    // MARK: initiator

    /// Rekeys our IKE SA or one child SA of the named connection now (`ikectl rekey`).
    public func rekey(connection name: String, ike: Bool, now: Double) -> [EngineAction] {
        guard var sa = sas.values.first(where: {
            $0.connectionName == name && $0.state == .established
        }) else {
            return [.log(LogRecord(.info, "rekey \(name): no established IKE SA"))]
        }
        guard sa.pending == nil else {
            return [log(.info, "rekey deferred: an exchange is in progress", sa)]
        }
        let actions = ike || sa.children.isEmpty
            ? startIKERekey(&sa, now: now) : startChildRekey(&sa, childIndex: 0, now: now)
        store(sa)
        return actions
    }

    /// Lifetimes of SAs we initiated (called from `tick`).
    func rekeyIfDue(_ sa: inout IKESA, now: Double) -> [EngineAction] {
        guard sa.isInitiator, sa.state == .established, sa.pending == nil,
              sa.pendingCreate == nil, now >= sa.rekeyNotBefore else { return [] }
        if settings.ikeRekeyTime > 0, let up = sa.establishedAt,
           now - up >= settings.ikeRekeyTime {
            return startIKERekey(&sa, now: now)
        }
        if settings.childRekeyTime > 0,
           let i = sa.children.firstIndex(where: { now - $0.createdAt >= settings.childRekeyTime }) {
            return startChildRekey(&sa, childIndex: i, now: now)
        }
        return []
    }

    func startChildRekey(_ sa: inout IKESA, childIndex i: Int, now: Double) -> [EngineAction] {
        let conn = sa.config
        let old = sa.children[i]
        let spiIn = newChildSPI()
        let ni = SecureRandom.bytes(32)
        let kex = conn.espProposals.first?.dh.first.flatMap { try? KeyExchanges.make(group: $0) }

        var oldSPI: [UInt8] = []
        oldSPI.appendBigEndian(old.spiIn)
        var spi: [UInt8] = []
        spi.appendBigEndian(spiIn)
        var payloads: [Payload] = [.notify(NotifyPayload(type: .rekeySA, protocolID: .esp,
                                                         spi: oldSPI))]
        if old.mode == .transport {
            payloads.append(.notify(NotifyPayload(type: .useTransportMode)))
        }
        payloads += [.sa(ProposalSelection.saPayload(conn.espProposals, protocolID: .esp, spi: spi)),
                     .nonce(NoncePayload(data: ni))]
        if let kex { payloads.append(.ke(KEPayload(group: kex.group, data: kex.publicValue))) }
        payloads += [.tsi(TSPayload(selectors: old.localTS)), .tsr(TSPayload(selectors: old.remoteTS))]
        sa.pendingCreate = .rekeyChild(oldSpiIn: old.spiIn, spiIn: spiIn, ni: ni, kex: kex)
        return [log(.info, "rekeying child SA \(hex32(old.spiIn))", sa)]
            + sendRequest(&sa, .createChildSA, payloads, now: now)
    }

    func startIKERekey(_ sa: inout IKESA, now: Double) -> [EngineAction] {
        let conn = sa.config
        guard let group = sa.chosen?.dh, let kex = try? KeyExchanges.make(group: group) else {
            return [log(.error, "cannot rekey: no key exchange for the IKE SA's group", sa)]
        }
        let newSpiI = newSPI()
        let ni = SecureRandom.bytes(32)
        var spi: [UInt8] = []
        spi.appendBigEndian(newSpiI)
        let payloads: [Payload] = [
            .sa(ProposalSelection.saPayload(conn.ikeProposals, protocolID: .ike, spi: spi)),
            .nonce(NoncePayload(data: ni)),
            .ke(KEPayload(group: group, data: kex.publicValue)),
        ]
        sa.pendingCreate = .rekeyIKE(newSpiI: newSpiI, ni: ni, kex: kex)
        return [log(.info, "rekeying the IKE SA", sa)]
            + sendRequest(&sa, .createChildSA, payloads, now: now)
    }

    func handleCreateChildResponse(_ sa: inout IKESA, _ m: Message, _ d: Datagram, now: Double)
        -> [EngineAction]
    {
        let payloads: [Payload]
        switch openProtected(&sa, m, d, now: now) {
        case .success(let p): payloads = p
        case .failure(let e): return [log(.debug, "CREATE_CHILD_SA response dropped: \(e)", sa)]
        }
        sa.pending = nil
        guard let pendingCreate = sa.pendingCreate else { return [] }
        sa.pendingCreate = nil
        let inner = Message(header: m.header, payloads: payloads)
        if let error = inner.notifies.first(where: { $0.type.isError }) {
            // section 2.25: TEMPORARY_FAILURE means "try again a little later"
            sa.rekeyNotBefore = now + (error.type == .temporaryFailure ? 10 : 300)
            return [log(.info, "CREATE_CHILD_SA refused: \(error.type)", sa)]
        }
        let got = ExchangePayloads(payloads)
        guard let nonce = got.nonce else {
            return [log(.info, "CREATE_CHILD_SA response without Nr", sa)]
        }
        do {
            switch pendingCreate {
            case .rekeyIKE(let newSpiI, let ni, let kex):
                return try finishIKERekey(&sa, inner, ni: ni, nr: nonce.data, kex: kex,
                                          newSpiI: newSpiI, now: now)
            case .rekeyChild(let oldSpiIn, let spiIn, let ni, let kex):
                var actions = try addChild(&sa, inner, spiIn: spiIn, ni: ni, nr: nonce.data,
                                           kex: kex, now: now)
                // make before break: the new pair is up, the old one goes (section 2.8)
                if let i = sa.children.firstIndex(where: { $0.spiIn == oldSpiIn }) {
                    sa.children.remove(at: i)
                    var spi: [UInt8] = []
                    spi.appendBigEndian(oldSpiIn)
                    actions.append(log(.info, "deleting rekeyed child SA \(hex32(oldSpiIn))", sa))
                    actions += sendRequest(&sa, .informational, [.delete(DeletePayload(
                        protocolID: .esp, spiSize: 4, spis: [spi]))], now: now)
                }
                return actions
            case .newChild(let spiIn, let ni, let kex):
                return try addChild(&sa, inner, spiIn: spiIn, ni: ni, nr: nonce.data, kex: kex,
                                    now: now)
            }
        } catch {
            sa.rekeyNotBefore = now + 300
            return [log(.info, "CREATE_CHILD_SA response unusable: \(error)", sa)]
        }
    }

    private func addChild(_ sa: inout IKESA, _ m: Message, spiIn: UInt32, ni: [UInt8],
                          nr: [UInt8], kex: (any KeyExchange)?, now: Double) throws
        -> [EngineAction]
    {
        let conn = sa.config
        var gir: SecretBytes?
        if let kex {
            guard let ke = ExchangePayloads(m.payloads).ke, ke.group == kex.group else {
                throw ExchangeFailure(nil, "no KEr of group \(kex.group)")
            }
            gir = try kex.sharedSecret(peerPublicValue: ke.data)
        }
        let child = try acceptChildResponse(sa, m, conn, now: now, spiIn: spiIn,
                                            keyInput: ChildKeyInput(ni: ni, nr: nr, sharedSecret: gir))
        sa.children.append(child)
        return keylogLines(sa, child) + [log(.notice, "child SA \(child.name) up: \(child.chosen), "
                                             + "in \(hex32(child.spiIn)) out \(hex32(child.spiOut))", sa)]
    }

    private func finishIKERekey(_ sa: inout IKESA, _ m: Message, ni: [UInt8], nr: [UInt8],
                                kex: any KeyExchange, newSpiI: UInt64, now: Double) throws
        -> [EngineAction]
    {
        let conn = sa.config
        let got = ExchangePayloads(m.payloads)
        guard let saPayload = got.sa, saPayload.proposals.count == 1,
              saPayload.proposals[0].spi.count == 8, let ke = got.ke,
              let chosen = ProposalSelection.validateResponse(
                saPayload.proposals[0], configured: conn.ikeProposals, protocolID: .ike),
              chosen.dh == kex.group, ke.group == kex.group else {
            throw ExchangeFailure(nil, "responder's IKE rekey proposal is not one of ours")
        }
        let p = saPayload.proposals[0].spi
        let newSpiR = p[...].readUInt64(at: p.startIndex)
        let gir = try kex.sharedSecret(peerPublicValue: ke.data)
        var new = try rekeyedSA(from: sa, role: .initiator, spiI: newSpiI, spiR: newSpiR,
                                chosen: chosen, gir: gir, ni: ni, nr: nr, now: now)
        new.children = sa.children
        sa.children = []
        sas[new.ourSPI] = new

        // the old IKE SA goes (section 2.18)
        var actions = [log(.notice, "IKE SA rekeyed: now \(new.spiText)", sa)] + keylogIKE(new)
        actions += sendRequest(&sa, .informational, [.delete(DeletePayload(
            protocolID: .ike, spiSize: 0, spis: []))], now: now)
        sa.state = .deleting
        return actions
    }

    /// A new IKE SA replacing `old` (section 2.18): SKEYSEED = prf(SK_d (old), g^ir (new)
    /// | Ni | Nr) with the old SA's PRF, then the seven keys with the new PRF and SPIs.
    func rekeyedSA(from old: IKESA, role: IKESA.Role, spiI: UInt64, spiR: UInt64,
                   chosen: ChosenProposal, gir: SecretBytes, ni: [UInt8], nr: [UInt8],
                   now: Double) throws -> IKESA {
        guard let oldPRF = old.prf, let oldKeys = old.keys, let prfID = chosen.prf else {
            throw ExchangeFailure(nil, "old IKE SA has no keys")
        }
        let prf = try PRF(id: prfID)
        let suite = try EncryptionSuite(encr: chosen.encr.id, keyBits: chosen.encr.keyBits,
                                        integ: chosen.integ)
        let skeyseed = KeyDerivation.rekeySkeyseed(prf: oldPRF, oldSkD: oldKeys.skD,
                                                   sharedSecret: gir, ni: ni, nr: nr)
        let keys = KeyDerivation.ikeSAKeys(
            prf: prf, skeyseed: skeyseed, ni: ni, nr: nr, spiI: spiI, spiR: spiR,
            encrKeyLength: suite.encrKeyLength, integKeyLength: suite.integKeyLength)
        var new = IKESA(role: role, connectionIndex: old.connectionIndex, config: old.config,
                        connectionName: old.connectionName, spiI: spiI, spiR: spiR,
                        state: .established, local: old.local, remote: old.remote, now: now)
        new.ni = ni
        new.nr = nr
        new.chosen = chosen
        new.prf = prf
        new.keys = keys
        new.protection = try SKProtection(suite: suite, keys: keys,
                                          isOriginalInitiator: role == .initiator)
        new.localID = old.localID
        new.remoteID = old.remoteID
        new.peerKey = old.peerKey
        new.peerIsBTNS = old.peerIsBTNS
        new.peerAuthMethod = old.peerAuthMethod
        new.natLocal = old.natLocal
        new.natPeer = old.natPeer
        new.templateName = old.templateName
        new.establishedAt = now
        return new
    }

    // MARK: responder

    func handleCreateChildRequest(_ sa: inout IKESA, _ m: Message, _ d: Datagram, now: Double)
        -> [EngineAction]
    {
        let payloads: [Payload]
        switch openRequest(&sa, m, d, now: now) {
        case .success(let p): payloads = p
        case .failure(let answer): return answer.actions
        }
        let inner = Message(header: m.header, payloads: payloads)
        let got = ExchangePayloads(payloads)
        guard let offer = got.sa, let nonce = got.nonce, let first = offer.proposals.first else {
            return sendProtectedError(&sa, m, d, .invalidSyntax)
        }
        let conn = sa.config

        // collisions (section 2.25): one rekey at a time
        if case .rekeyIKE? = sa.pendingCreate {
            return sendProtectedError(&sa, m, d, .temporaryFailure)
        }
        if first.protocolID == .ike {
            guard sa.pendingCreate == nil else {
                return sendProtectedError(&sa, m, d, .temporaryFailure)
            }
            return respondIKERekey(&sa, inner, d, offer: offer, ni: nonce.data, now: now)
        }

        // rekey of an existing child SA, named by the SPI the peer receives on
        var rekeyed: Int?
        if let n = inner.notify(.rekeySA) {
            guard n.spi.count == 4,
                  let i = sa.children.firstIndex(where: {
                      $0.spiOut == n.spi[...].readUInt32(at: n.spi.startIndex)
                  }) else {
                return sendProtectedError(&sa, m, d, .childSANotFound)
            }
            rekeyed = i
        }

        // PFS: the KE group must be the chosen proposal's (section 1.3.1)
        let chosen = ProposalSelection.select(offered: offer.proposals,
                                              configured: conn.espProposals, protocolID: .esp,
                                              preferDH: got.ke?.group, pfs: true)
        if let chosen, let group = chosen.dh, got.ke?.group != group {
            var data: [UInt8] = []
            data.appendBigEndian(group)
            return sendProtectedError(&sa, m, d, .invalidKEPayload, data: data)
        }
        let nr = SecureRandom.bytes(32)
        var gir: SecretBytes?
        var kePayload: Payload?
        if let chosen, let group = chosen.dh, let ke = got.ke {
            do {
                let kex = try KeyExchanges.make(group: group)
                gir = try kex.sharedSecret(peerPublicValue: ke.data)
                kePayload = .ke(KEPayload(group: group, data: kex.publicValue))
            } catch {
                return sendProtectedError(&sa, m, d, .invalidSyntax)
            }
        }

        switch negotiateChild(&sa, inner, conn, now: now,
                              keyInput: ChildKeyInput(ni: nonce.data, nr: nr, sharedSecret: gir),
                              pfs: true) {
        case .failure(let e):
            return [log(.info, "CREATE_CHILD_SA refused: \(e)", sa)]
                + sendResponse(&sa, .createChildSA, id: m.header.messageID,
                               [.notify(NotifyPayload(type: e.notify ?? .noProposalChosen,
                                                      data: e.data))], to: d)
        case .success(let (child, initialPayloads)):
            var childPayloads = initialPayloads
            sa.children.append(child)
            // SA, Nr, [KEr], TSi, TSr
            let saAt = childPayloads.firstIndex { $0.type == .sa }.map { $0 + 1 } ?? 0
            childPayloads.insert(contentsOf: [.nonce(NoncePayload(data: nr))] + (kePayload.map { [$0] } ?? []),
                                 at: saAt)
            var actions = keylogLines(sa, child)
            actions.append(log(.notice, (rekeyed != nil ? "child SA rekeyed by peer: " : "child SA ")
                               + "\(child.name) up: \(child.chosen), in \(hex32(child.spiIn)) out "
                               + "\(hex32(child.spiOut)), \(child.remoteTS.map(\.displayString))", sa))
            actions += sendResponse(&sa, .createChildSA, id: m.header.messageID, childPayloads, to: d)
            return actions
        }
    }

    private func respondIKERekey(_ sa: inout IKESA, _ m: Message, _ d: Datagram,
                                 offer: SAPayload, ni: [UInt8], now: Double) -> [EngineAction] {
        let conn = sa.config
        let ke = ExchangePayloads(m.payloads).ke
        guard let chosen = ProposalSelection.select(offered: offer.proposals,
                                                    configured: conn.ikeProposals,
                                                    protocolID: .ike, preferDH: ke?.group),
              let group = chosen.dh,
              let peerSPI = offer.proposals.first(where: { $0.number == chosen.number })?.spi,
              peerSPI.count == 8 else {
            return sendProtectedError(&sa, m, d, .noProposalChosen)
        }
        guard let ke, ke.group == group else {
            var data: [UInt8] = []
            data.appendBigEndian(group)
            return sendProtectedError(&sa, m, d, .invalidKEPayload, data: data)
        }
        let nr = SecureRandom.bytes(32)
        let newSpiR = newSPI()
        let new: IKESA
        let kePublic: [UInt8]
        do {
            let kex = try KeyExchanges.make(group: group)
            kePublic = kex.publicValue
            let gir = try kex.sharedSecret(peerPublicValue: ke.data)
            var n = try rekeyedSA(from: sa, role: .responder,
                                  spiI: peerSPI[...].readUInt64(at: peerSPI.startIndex),
                                  spiR: newSpiR, chosen: chosen, gir: gir, ni: ni, nr: nr, now: now)
            n.children = sa.children
            new = n
        } catch {
            return sendProtectedError(&sa, m, d, .noProposalChosen)
        }
        var spi: [UInt8] = []
        spi.appendBigEndian(newSpiR)
        sa.children = []
        sas[new.ourSPI] = new
        var actions = [log(.notice, "IKE SA rekeyed by peer: now \(new.spiText)", sa)] + keylogIKE(new)
        actions += sendResponse(&sa, .createChildSA, id: m.header.messageID, [
            .sa(SAPayload(proposals: [chosen.proposal(spi: spi)])),
            .nonce(NoncePayload(data: nr)),
            .ke(KEPayload(group: group, data: kePublic)),
        ], to: d)
        return actions
    }
}
