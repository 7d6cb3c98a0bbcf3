/// IKE_AUTH with the first child SA, both roles (RFC 7296 sections 1.2, 2.15, 2.9;
/// RFC 7427; RFC 7670; RFC 5386 walks through `AuthorizationPolicy`):
///
///     HDR, SK { IDi, [CERT], [N(INITIAL_CONTACT)], [IDr], AUTH, SAi2, TSi, TSr }  -->
///                              <--  HDR, SK { IDr, [CERT], AUTH, SAr2, TSi, TSr }
extension IKEEngine {
    // MARK: initiator

    func sendAuthRequest(_ sa: inout IKESA, now: Double) -> [EngineAction] {
        let conn = sa.config
        guard let prf = sa.prf, let keys = sa.keys else { return fail(&sa, "no keys") }
        let idi = localID(conn, sa)
        sa.localID = idi

        // AUTH over InitiatorSignedOctets (section 2.15)
        let octets = AuthOctets.signedOctets(realMessage: sa.initRequest, peerNonce: sa.nr,
                                             prf: prf, skP: keys.skPi, id: idi)
        let auth: AuthPayload
        do {
            auth = try AuthOctets.makeAuth(credential: conn.localAuth, prf: prf, octets: octets)
        } catch {
            return fail(&sa, "cannot sign AUTH: \(error)")
        }

        let remoteTS = conn.remoteTS
        sa.offeredChildSPI = newChildSPI()
        var spi: [UInt8] = []
        spi.appendBigEndian(sa.offeredChildSPI)
        var payloads: [Payload] = [.idi(idi)]
        payloads += certPayloads(conn, sa)
        // only while we hold no other IKE SA with this peer, under any connection: the
        // peer would drop those (section 2.4)
        if !sas.values.contains(where: { $0.remote.address == sa.remote.address
                                          && $0.ourSPI != sa.ourSPI && $0.establishedAt != nil }) {
            payloads.append(.notify(NotifyPayload(type: .initialContact)))
        }
        if case .exact(let idr) = conn.remoteID { payloads.append(.idr(idr)) }
        payloads.append(.auth(auth))
        if conn.mode == .transport {
            payloads.append(.notify(NotifyPayload(type: .useTransportMode)))
        }
        payloads += [
            .sa(ProposalSelection.saPayload(conn.espProposals, protocolID: .esp, spi: spi)),
            .tsi(TSPayload(selectors: conn.localTS)),
            .tsr(TSPayload(selectors: remoteTS)),
        ]
        sa.state = .authSent
        return sendRequest(&sa, .ikeAuth, payloads, now: now)
    }

    func handleAuthResponse(_ sa: inout IKESA, _ m: Message, _ d: Datagram, now: Double)
        -> [EngineAction]
    {
        let conn = sa.config
        let payloads: [Payload]
        switch openProtected(&sa, m, d, now: now) {
        case .success(let p): payloads = p
        case .failure(let e): return [log(.debug, "IKE_AUTH response dropped: \(e)", sa)]
        }
        sa.pending = nil
        let inner = Message(header: m.header, payloads: payloads)

        let got = ExchangePayloads(inner.payloads)
        guard let idr = got.idr, let auth = got.auth else {
            let reason = inner.notifies.first { $0.type.isError }.map { "peer answered \($0.type)" }
                ?? "IKE_AUTH response without IDr and AUTH"
            return fail(&sa, reason)
        }

        // authenticate the responder (sections 2.15, 3.8)
        guard conn.remoteID.matches(idr) else {
            return fail(&sa, "responder identified as \(idr.displayString), expected \(conn.remoteID)")
        }
        sa.remoteID = idr
        let octets = AuthOctets.signedOctets(realMessage: sa.initResponse, peerNonce: sa.ni,
                                             prf: sa.prf!, skP: sa.keys!.skPr, id: idr)
        let presented = presentedKey(inner)
        switch verifyPeer(&sa, auth: auth, octets: octets, credential: conn.remoteAuth,
                          presented: presented, id: idr) {
        case .success: break
        case .failure(let e): return fail(&sa, "responder authentication failed: \(e.reason)")
        }

        sa.state = .established
        sa.establishedAt = now
        var actions = [log(.notice, "IKE SA established with \(idr.displayString) at \(sa.remote)"
                           + " (\(sa.peerAuthMethod))", sa)]

        // the first child SA, or why there is none (section 1.2: the IKE SA stays)
        if let error = inner.notifies.first(where: { $0.type.isError }) {
            actions.append(log(.info, "child SA refused: \(error.type)", sa))
            actions.append(.established(snapshot(sa)))
            actions.append(.initiateFinished(
                connection: conn.name, success: false,
                message: "IKE SA established, but the peer refused the child SA: "
                    + "\(error.type)" + childRefusalDetail(error, conn)))
            return actions
        }
        do {
            let child = try acceptChildResponse(sa, inner, conn, now: now)
            sa.children.append(child)
            actions += keylogLines(sa, child)
            actions.append(log(.notice, "child SA \(child.name) up: \(child.chosen), in "
                               + "\(hex32(child.spiIn)) out \(hex32(child.spiOut)), "
                               + "\(child.localTS.map(\.displayString)) === "
                               + "\(child.remoteTS.map(\.displayString))", sa))
            actions.append(.established(snapshot(sa)))
            actions.append(.initiateFinished(connection: conn.name, success: true,
                                             message: summary(sa)))
        } catch {
            actions.append(log(.info, "child SA unusable: \(error)", sa))
            actions.append(.established(snapshot(sa)))
            actions.append(.initiateFinished(connection: conn.name, success: false,
                                             message: "IKE SA established, child SA unusable: \(error)"))
        }
        return actions
    }

    func childRefusalDetail(_ n: NotifyPayload, _ conn: ConnectionConfig) -> String {
        switch n.type {
        case .noProposalChosen:
            var s = " (we offered ESP [" + conn.espProposals.map(\.description).joined(separator: ", ") + "]"
            if !n.data.isEmpty { s += "; peer accepts [\(String(decoding: n.data, as: UTF8.self))]" }
            return s + ")"
        case .tsUnacceptable:
            return " (we asked for \(conn.localTS.map(\.displayString)) === "
                + "\(conn.remoteTS.map(\.displayString)))"
        default:
            return ""
        }
    }

    /// SAr2, TSi and TSr of the response: one of our proposals, narrower selectors.
    func acceptChildResponse(_ sa: IKESA, _ m: Message, _ conn: ConnectionConfig, now: Double,
                             spiIn: UInt32? = nil, keyInput: ChildKeyInput? = nil) throws -> ChildSA {
        let input = keyInput ?? ChildKeyInput(ni: sa.ni, nr: sa.nr, sharedSecret: nil)
        let got = ExchangePayloads(m.payloads)
        let (saPayload, tsi, tsr) = (got.sa, got.tsi, got.tsr)
        guard let saPayload, saPayload.proposals.count == 1,
              let chosen = ProposalSelection.validateResponse(
                saPayload.proposals[0], configured: conn.espProposals, protocolID: .esp,
                pfs: keyInput?.sharedSecret != nil),
              saPayload.proposals[0].spi.count == 4 else {
            throw ExchangeFailure(nil, "responder's SAr2 is not one of our ESP proposals")
        }
        // section 2.9: the responder may only narrow what we proposed
        guard !tsi.isEmpty, !tsr.isEmpty,
              tsi.allSatisfy({ t in conn.localTS.contains { TrafficSelectorMath.covers($0, t) } }),
              tsr.allSatisfy({ t in conn.remoteTS.contains { TrafficSelectorMath.covers($0, t) } })
        else {
            throw ExchangeFailure(nil, "responder's traffic selectors are not within ours")
        }
        let spiOut = saPayload.proposals[0].spi[...].readUInt32(at: saPayload.proposals[0].spi.startIndex)
        let keys = try childKeys(sa, chosen, input)
        return ChildSA(name: conn.name, chosen: chosen, spiIn: spiIn ?? sa.offeredChildSPI,
                       spiOut: spiOut, keys: keys, localTS: tsi, remoteTS: tsr,
                       mode: m.notify(.useTransportMode) != nil ? .transport : .tunnel,
                       udpEncapsulation: sa.natDetected, createdAt: now)
    }

    // MARK: responder

    func handleAuthRequest(_ sa: inout IKESA, _ m: Message, _ d: Datagram, now: Double)
        -> [EngineAction]
    {
        let payloads: [Payload]
        switch openRequest(&sa, m, d, now: now) {
        case .success(let p): payloads = p
        case .failure(let answer): return answer.actions
        }
        // an authentic IKE_AUTH: the SA is no longer half-open (section 2.6)
        halfOpen[HalfOpenKey(spiI: sa.spiI, remote: sa.initRemote)] = nil
        // the peer may have moved to the NAT-T port (section 2.23)
        sa.local = d.local
        sa.remote = d.remote
        let inner = Message(header: m.header, payloads: payloads)

        switch authenticateInitiator(&sa, inner) {
        case .failure(let e):
            // a refused BTNS key change is what an operator must see (RFC 5386 section 4)
            let level: LogLevel = e.reason.contains("key change refused") ? .warning : .info
            var actions = [log(level, "IKE_AUTH refused with AUTHENTICATION_FAILED: \(e.reason)", sa)]
            actions += sendResponse(&sa, .ikeAuth, id: m.header.messageID,
                                    [.notify(NotifyPayload(type: .authenticationFailed))], to: d)
            sa.state = .deleting
            return actions
        case .success:
            break
        }
        let conn = sa.config
        sa.connectionName = conn.name
        sa.state = .established
        sa.establishedAt = now
        sa.peerCertReqEncodings = Self.certReqEncodings(inner.payloads)

        // our IDr, CERT and AUTH over ResponderSignedOctets (section 2.15)
        let idr = localID(conn, sa)
        sa.localID = idr
        let octets = AuthOctets.signedOctets(realMessage: sa.initResponse, peerNonce: sa.ni,
                                             prf: sa.prf!, skP: sa.keys!.skPr, id: idr)
        let auth: AuthPayload
        do {
            auth = try AuthOctets.makeAuth(credential: conn.localAuth, prf: sa.prf!, octets: octets)
        } catch {
            sa.state = .deleting
            return [log(.error, "cannot sign AUTH: \(error)", sa)]
                + sendResponse(&sa, .ikeAuth, id: m.header.messageID,
                               [.notify(NotifyPayload(type: .authenticationFailed))], to: d)
        }
        var response: [Payload] = [.idr(idr)]
        response += certPayloads(conn, sa)
        response.append(.auth(auth))

        var actions = [log(.notice, "IKE SA established with \(sa.remoteID!.displayString) at "
                           + "\(sa.remote) (\(sa.peerAuthMethod))", sa)]
        switch negotiateChild(&sa, inner, conn, now: now) {
        case .success(let (child, childPayloads)):
            sa.children.append(child)
            actions += keylogLines(sa, child)
            response += childPayloads
            actions.append(log(.notice, "child SA \(child.name) up: \(child.chosen), in "
                               + "\(hex32(child.spiIn)) out \(hex32(child.spiOut)), "
                               + "\(child.localTS.map(\.displayString)) === "
                               + "\(child.remoteTS.map(\.displayString))", sa))
        case .failure(let e):
            // The IKE SA is up without a child SA (section 1.2).
            actions.append(log(.info, "child SA refused: \(e)", sa))
            response.append(.notify(NotifyPayload(type: e.notify ?? .noProposalChosen, data: e.data)))
        }
        actions += sendResponse(&sa, .ikeAuth, id: m.header.messageID, response, to: d)
        actions.append(.established(snapshot(sa)))
        if inner.notify(.initialContact) != nil {
            actions += forgetOlderSAs(of: sa)
        }
        return actions
    }

    /// INITIAL_CONTACT (section 2.4): the peer has rebooted, so the other IKE SAs with
    /// the same identities are stale; they go without a Delete the peer cannot answer.
    func forgetOlderSAs(of sa: IKESA) -> [EngineAction] {
        var actions: [EngineAction] = []
        for (spi, old) in sas where spi != sa.ourSPI && old.state == .established
            && old.remoteID == sa.remoteID && old.localID == sa.localID
        {
            actions.append(log(.info, "INITIAL_CONTACT from \(sa.remoteID?.displayString ?? "?"): "
                               + "dropping the older IKE SA \(old.spiText)", old))
            actions += remove(spi)
        }
        return actions
    }

    /// Walk 1, AUTH verification and, for a BTNS peer, the pin (RFC 5386 section 2).
    func authenticateInitiator(_ sa: inout IKESA, _ m: Message) -> Result<Void, ExchangeFailure> {
        let got = ExchangePayloads(m.payloads)
        guard let idi = got.idi, let auth = got.auth else {
            return .failure(ExchangeFailure(.authenticationFailed, "no IDi or AUTH"))
        }
        sa.remoteID = idi

        // walk 1 over the PAD: which entry governs this ID
        let presented = presentedKey(m)
        guard let match = policy.walk1(peerID: idi, presentedKey: presented,
                                       connections: connections) else {
            return .failure(ExchangeFailure(.authenticationFailed,
                                            "no PAD entry matches \(idi.displayString)"))
        }
        let conn = connections[match.connectionIndex]
        sa.connectionName = conn.name
        sa.connectionIndex = match.connectionIndex
        sa.config = conn
        sa.templateName = conn.name

        let octets = AuthOctets.signedOctets(realMessage: sa.initRequest, peerNonce: sa.nr,
                                             prf: sa.prf!, skP: sa.keys!.skPi, id: idi)
        return verifyPeer(&sa, auth: auth, octets: octets, credential: conn.remoteAuth,
                          presented: presented, id: idi)
    }

    /// SAi2 against the connection's ESP proposals, TSi/TSr through walk 2.
    func negotiateChild(_ sa: inout IKESA, _ m: Message, _ conn: ConnectionConfig, now: Double,
                        keyInput: ChildKeyInput? = nil, pfs: Bool = false)
        -> Result<(ChildSA, [Payload]), ExchangeFailure>
    {
        let input = keyInput ?? ChildKeyInput(ni: sa.ni, nr: sa.nr, sharedSecret: nil)
        let got = ExchangePayloads(m.payloads)
        let (saPayload, tsi, tsr) = (got.sa, got.tsi, got.tsr)
        guard let saPayload else {
            return .failure(ExchangeFailure(.noProposalChosen, "no SAi2"))
        }
        guard let chosen = ProposalSelection.select(
            offered: saPayload.proposals, configured: conn.espProposals, protocolID: .esp,
            preferDH: ExchangePayloads(m.payloads).ke?.group, pfs: pfs),
              let peerSPI = saPayload.proposals.first(where: { $0.number == chosen.number })?.spi,
              peerSPI.count == 4 else {
            let offered = saPayload.proposals.map(ProposalSpec.describe).joined(separator: ", ")
            let ours = conn.espProposals.map(\.description).joined(separator: ", ")
            return .failure(ExchangeFailure(
                .noProposalChosen, "peer offered ESP [\(offered)], we accept [\(ours)]",
                data: Array(ours.utf8)))
        }

        // walk 2: the peer's side (TSi) through the PAD, ours (TSr) against local-ts
        let peerTS = policy.walk2(peerTS: tsi, connectionIndex: sa.connectionIndex,
                                  peerIsBTNS: sa.peerIsBTNS, connections: connections)
        let localTS = TrafficSelectorMath.narrow(requested: tsr, allowed: conn.localTS)
        guard !peerTS.isEmpty, !localTS.isEmpty else {
            return .failure(ExchangeFailure(
                .tsUnacceptable, "TSi \(tsi.map(\.displayString)) → \(peerTS.map(\.displayString)), "
                    + "TSr \(tsr.map(\.displayString)) → \(localTS.map(\.displayString))"
                    + (sa.peerIsBTNS ? " (BTNS peer: addresses of authenticated peers removed)" : "")))
        }
        let keys: ChildSAKeys
        do {
            keys = try childKeys(sa, chosen, input)
        } catch {
            return .failure(ExchangeFailure(.noProposalChosen, "child keys: \(error)"))
        }
        let spiIn = newChildSPI()
        var spi: [UInt8] = []
        spi.appendBigEndian(spiIn)
        let transport = m.notify(.useTransportMode) != nil && conn.mode == .transport
        let child = ChildSA(name: conn.name, chosen: chosen, spiIn: spiIn,
                            spiOut: peerSPI[...].readUInt32(at: peerSPI.startIndex), keys: keys,
                            localTS: localTS, remoteTS: peerTS,
                            mode: transport ? .transport : .tunnel, udpEncapsulation: sa.natDetected,
                            createdAt: now)
        var payloads: [Payload] = []
        if transport { payloads.append(.notify(NotifyPayload(type: .useTransportMode))) }
        payloads += [.sa(SAPayload(proposals: [chosen.proposal(spi: spi)])),
                     .tsi(TSPayload(selectors: peerTS)), .tsr(TSPayload(selectors: localTS))]
        return .success((child, payloads))
    }

    // MARK: shared

    /// Checks the peer's AUTH with what the PAD entry demands; a BTNS peer's key is
    /// then checked against its pin, or pinned on first use.
    func verifyPeer(_ sa: inout IKESA, auth: AuthPayload, octets: [UInt8],
                    credential: PeerCredential, presented: PublicKey?, id: IDPayload)
        -> Result<Void, ExchangeFailure>
    {
        switch credential {
        case .psk(let psk):
            guard AuthOctets.verifyPSK(auth, prf: sa.prf!, psk: psk, octets: octets) else {
                return .failure(ExchangeFailure(.authenticationFailed,
                                                "PSK AUTH of \(id.displayString) does not verify"))
            }
            sa.peerAuthMethod = "psk"
            return .success(())
        case .publicKeys(let keys):
            // RFC 7670: the key is the configured one; a CERT may say which.
            let order = presented.map { p in keys.filter { $0 == p } + keys.filter { $0 != p } } ?? keys
            guard let key = order.first(where: {
                SignatureAuth.verify(auth, octets: octets, with: $0)
            }) else {
                return .failure(ExchangeFailure(
                    .authenticationFailed, "signature of \(id.displayString) (method "
                        + "\(auth.method.rawValue)) verifies with none of the \(keys.count) "
                        + "configured key(s)"))
            }
            sa.peerKey = key
            sa.peerAuthMethod = "pubkey \(key.algorithm.rawValue)"
            return .success(())
        case .btns:
            guard let key = presented else {
                return .failure(ExchangeFailure(
                    .authenticationFailed, "BTNS peer \(id.displayString) sent no raw public key "
                        + "(CERT encoding 15 or 11)"))
            }
            guard SignatureAuth.verify(auth, octets: octets, with: key) else {
                return .failure(ExchangeFailure(
                    .authenticationFailed, "signature of BTNS peer \(id.displayString) does not "
                        + "verify with its own key \(key.fingerprint)"))
            }
            sa.peerKey = key
            switch policy.checkPin(peerID: id, key: key) {
            case .pinnedNow:
                sa.peerAuthMethod = "btns (new pin)"
            case .matches:
                sa.peerAuthMethod = "btns (pinned)"
            case .mismatch(let pinned):
                return .failure(ExchangeFailure(
                    .authenticationFailed, "BTNS key change refused for \(id.displayString): "
                        + "pinned \(pinned), presented \(key.fingerprint)"))
            case .failed(let why):
                return .failure(ExchangeFailure(.authenticationFailed, "pin store: \(why)"))
            }
            sa.peerIsBTNS = true
            return .success(())
        }
    }

    /// A raw public key from a CERT payload (RFC 7670 encoding 15; encoding 11, PKCS#1
    /// RSA, as RFC 5386 names it; OpenIKED's 201).
    func presentedKey(_ m: Message) -> PublicKey? {
        for p in m.payloads {
            guard case .cert(let c) = p else { continue }
            switch c.encoding {
            case .rawPublicKey, .openIKEDRawECDSA:
                // OpenIKED sends its raw ECDSA keys as a DER SubjectPublicKeyInfo under
                // the private-use encoding 201, the same bytes RFC 7670 puts under 15
                if let k = try? PublicKey(spkiDER: c.data) { return k }
            case .rawRSAKey:
                if let k = try? PublicKey(rawRSAPKCS1: c.data) { return k }
            default:
                continue
            }
        }
        return nil
    }

    /// Our raw public key as CERT encoding 15, when configured to send it.
    /// RFC 7670: CERT encoding 15 is for a peer that accepts raw keys. A peer that sent
    /// CERTREQs, none of them for encoding 15, is not sent one (OpenIKED, which asks for
    /// its own encoding 201, refuses 15); a peer that sent none gets it, since a BTNS
    /// peer may need the key and others ignore it.
    ///
    /// We send no CERTREQ for encoding 15 ourselves, although RFC 7670 suggests it:
    /// OpenIKED 7.2 stalls the exchange on a CERTREQ type it does not know ("ca_getreq:
    /// unknown cert type requested"), and the rule above works without it.
    func certPayloads(_ conn: ConnectionConfig, _ sa: IKESA) -> [Payload] {
        guard conn.sendCert, case .privateKey(let key) = conn.localAuth else { return [] }
        let requests = sa.peerCertReqEncodings
        guard requests.isEmpty || requests.contains(CertEncoding.rawPublicKey.rawValue) else {
            return []
        }
        return [.cert(CertPayload(encoding: .rawPublicKey, data: key.publicKey.spkiDER))]
    }

    static func certReqEncodings(_ payloads: [Payload]) -> Set<UInt8> {
        Set(payloads.compactMap { if case .certreq(let r) = $0 { r.encoding.rawValue } else { nil } })
    }

    /// Configured ID, else ID_KEY_ID of our key (what strongSwan uses without an ID),
    /// else our address.
    func localID(_ conn: ConnectionConfig, _ sa: IKESA) -> IDPayload {
        if let id = conn.localID { return id }
        if case .privateKey(let key) = conn.localAuth {
            return IDPayload(type: .keyID, data: key.publicKey.keyID)
        }
        let a = conn.localAddress ?? sa.local.address
        return IDPayload(type: a.isV4 ? .ipv4Addr : .ipv6Addr, data: a.bytes)
    }

    /// KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr) (section 2.17).
    func childKeys(_ sa: IKESA, _ chosen: ChosenProposal, _ input: ChildKeyInput) throws
        -> ChildSAKeys
    {
        let suite = try EncryptionSuite(encr: chosen.encr.id, keyBits: chosen.encr.keyBits,
                                        integ: chosen.integ)
        return KeyDerivation.childSAKeys(prf: sa.prf!, skD: sa.keys!.skD, ni: input.ni,
                                         nr: input.nr, sharedSecret: input.sharedSecret,
                                         encrKeyLength: suite.encrKeyLength,
                                         integKeyLength: suite.integKeyLength)
    }

    func newChildSPI() -> UInt32 {
        var spi: UInt32 = 0
        // SPIs 1-255 are reserved by IANA (RFC 4303 section 2.1).
        while spi < 256 { spi = SecureRandom.uint32() }
        return spi
    }

    /// One line for `ikectl initiate`: the details follow in its SA listing.
    func summary(_ sa: IKESA) -> String {
        let children = sa.children.count == 1 ? "1 child SA" : "\(sa.children.count) child SAs"
        return "\(sa.connectionName): IKE SA \(sa.spiText) and \(children) established with "
            + "\(sa.remoteID?.displayString ?? "?") at \(sa.remote)"
    }

    /// `esp_sa` lines of a new child SA, when `--keylog` is on.
    func keylogLines(_ sa: IKESA, _ child: ChildSA) -> [EngineAction] {
        guard keylog else { return [] }
        return KeylogFormat.espLines(child, local: sa.local.address, remote: sa.remote.address,
                                     isInitiator: sa.isInitiator).map { .keylog(KeylogEntry(table: .espSA, line: $0)) }
    }
}

