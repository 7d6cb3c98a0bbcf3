/// Routing a message of an existing IKE SA to the exchange step that expects it
/// (RFC 7296 sections 2.1 to 2.3: message IDs, retransmits, one request at a time).
extension IKEEngine {
    func handleResponse(_ sa: inout IKESA, _ m: Message, _ d: Datagram, now: Double)
        -> [EngineAction]
    {
        guard let pending = sa.pending, pending.messageID == m.header.messageID,
              pending.exchange == m.header.exchangeType else {
            return [log(.debug, "unexpected \(m.shortSummary) dropped", sa)]
        }
        switch (sa.state, m.header.exchangeType) {
        case (.initSent, .ikeSAInit):
            return handleInitResponse(&sa, m, d, now: now)
        case (.authSent, .ikeAuth):
            return handleAuthResponse(&sa, m, d, now: now)
        case (.established, .createChildSA), (.deleting, .createChildSA):
            return handleCreateChildResponse(&sa, m, d, now: now)
        case (.deleting, .informational), (.established, .informational):
            guard case .success = openProtected(&sa, m, d, now: now) else {
                return [log(.debug, "INFORMATIONAL response failed its integrity check", sa)]
            }
            sa.pending = nil
            return [log(.info, "peer acknowledged INFORMATIONAL \(m.header.messageID)", sa)]
        default:
            return [log(.debug, "\(m.shortSummary) in state \(sa.state.rawValue) dropped", sa)]
        }
    }

    func handleRequest(_ sa: inout IKESA, _ m: Message, _ d: Datagram, now: Double)
        -> [EngineAction]
    {
        let id = m.header.messageID
        // a retransmitted request gets the same bytes again (section 2.1)
        if let last = sa.lastResponse, last.id == id {
            return [.send(Datagram(bytes: last.bytes, local: d.local, remote: d.remote)),
                    log(.debug, "retransmitted request \(id): same response", sa)]
        }
        guard id == sa.expectedPeerRequestID else {
            return [log(.debug, "request \(id) outside the window (expected "
                        + "\(sa.expectedPeerRequestID)) dropped", sa)]
        }
        switch (sa.state, m.header.exchangeType) {
        case (.initResponded, .ikeAuth):
            return handleAuthRequest(&sa, m, d, now: now)
        case (.established, .informational), (.deleting, .informational):
            return handleInformational(&sa, m, d, now: now)
        case (.established, .createChildSA):
            return handleCreateChildRequest(&sa, m, d, now: now)
        default:
            return [log(.debug, "\(m.shortSummary) in state \(sa.state.rawValue) dropped", sa)]
        }
    }

    /// INFORMATIONAL requests (section 1.4): Delete payloads and liveness checks.
    func handleInformational(_ sa: inout IKESA, _ m: Message, _ d: Datagram, now: Double)
        -> [EngineAction]
    {
        let payloads: [Payload]
        switch openRequest(&sa, m, d, now: now) {
        case .success(let p): payloads = p
        case .failure(let answer): return answer.actions
        }
        var response: [Payload] = []
        var actions: [EngineAction] = []
        var deleteIKE = false
        for p in payloads {
            guard case .delete(let del) = p else { continue }
            if del.protocolID == .ike {
                deleteIKE = true
            } else if del.protocolID == .esp {
                // answer with the SPIs of our halves of the deleted pairs (section 1.4.1)
                var ours: [[UInt8]] = []
                for spi in del.spis where spi.count == 4 {
                    let out = spi[...].readUInt32(at: spi.startIndex)
                    if let i = sa.children.firstIndex(where: { $0.spiOut == out }) {
                        var b: [UInt8] = []
                        b.appendBigEndian(sa.children[i].spiIn)
                        ours.append(b)
                        actions.append(log(.notice, "child SA \(sa.children[i].name) "
                                           + "\(hex32(sa.children[i].spiIn)) deleted by peer", sa))
                        sa.children.remove(at: i)
                    }
                }
                if !ours.isEmpty {
                    response.append(.delete(DeletePayload(protocolID: .esp, spiSize: 4, spis: ours)))
                }
            }
        }
        if deleteIKE {
            response = []
            actions.append(log(.notice, "IKE SA deleted by peer", sa))
        }
        actions += sendResponse(&sa, .informational, id: m.header.messageID, response, to: d)
        if deleteIKE {
            sa.state = .deleting
            sa.pending = nil
        }
        return actions
    }

    /// What to do instead of processing a request whose SK payload did not open.
    struct RequestRefusal: Error {
        var actions: [EngineAction]
    }

    /// Opens a protected request. A forged or damaged one is dropped quietly; an
    /// authentic but malformed one gets the notify the RFC asks for (section 2.21.2).
    func openRequest(_ sa: inout IKESA, _ m: Message, _ d: Datagram, now: Double)
        -> Result<[Payload], RequestRefusal>
    {
        switch openProtected(&sa, m, d, now: now) {
        case .success(let p):
            return .success(p)
        case .failure(let e):
            guard let notify = e.notify else {
                return .failure(RequestRefusal(actions: [
                    log(.debug, "\(m.header.exchangeType) request dropped: \(e)", sa)]))
            }
            return .failure(RequestRefusal(
                actions: sendProtectedError(&sa, m, d, notify, data: e.data)))
        }
    }

    func sendProtectedError(_ sa: inout IKESA, _ m: Message, _ d: Datagram, _ type: NotifyType,
                            data: [UInt8] = []) -> [EngineAction] {
        [log(.info, "answering \(m.header.exchangeType) request with \(type)", sa)]
            + sendResponse(&sa, m.header.exchangeType, id: m.header.messageID,
                           [.notify(NotifyPayload(type: type, data: data))], to: d)
    }
}

/// Liveness checks (RFC 7296 section 1.4: an empty INFORMATIONAL request must be
/// answered): a peer silent for `dpdDelay` seconds is asked, and an unanswered check
/// ends the IKE SA through the usual retransmission timeout.
extension IKEEngine {
    func checkLiveness(_ sa: inout IKESA, now: Double) -> [EngineAction] {
        guard settings.dpdDelay > 0, sa.state == .established, sa.pending == nil,
              now - sa.lastHeard >= settings.dpdDelay else { return [] }
        sa.lastHeard = now
        return [log(.debug, "peer quiet for \(Int(settings.dpdDelay)) s: liveness check", sa)]
            + sendRequest(&sa, .informational, [], now: now)
    }
}
