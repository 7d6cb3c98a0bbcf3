/// A new configuration for a running engine (`ikectl reload`, SIGHUP).
///
/// New SAs follow the new connections at once. Existing SAs are re-bound to their
/// connection by name and checked against the new PAD as if they were negotiated
/// now (walk 1 for the peer, walk 2 for each child SA's selectors). Those the new PAD
/// would refuse keep running, marked, until the operator deletes them: a reload never
/// tears down traffic by surprise.
extension IKEEngine {
    /// Installs `newConnections` and returns the SAs they no longer authorize.
    public func replaceConnections(_ newConnections: [ConnectionConfig]) -> [IKESASnapshot] {
        connections = newConnections
        var refused: [IKESASnapshot] = []
        for spi in Array(sas.keys) {
            guard var sa = sas[spi] else { continue }
            let reason = reauthorize(&sa)
            sa.unauthorized = reason
            sas[spi] = sa
            if reason != nil { refused.append(snapshot(sa)) }
        }
        return refused
    }

    /// Why the current PAD would refuse this SA, or nil when it still authorizes it.
    private func reauthorize(_ sa: inout IKESA) -> String? {
        guard let index = connections.firstIndex(where: { $0.name == sa.templateName }) else {
            sa.connectionIndex = -1
            return "connection '\(sa.templateName)' is gone"
        }
        sa.connectionIndex = index
        let conn = connections[index]
        guard let peer = sa.remoteID else { return nil }  // not authenticated yet

        // walk 1 again: a responder's peer must still land on this entry
        if sa.role == .responder {
            let match = policy.walk1(peerID: peer, presentedKey: sa.peerKey, connections: connections)
            guard match?.connectionIndex == index else {
                return "walk 1 now puts \(peer.displayString) "
                    + (match.map { "in '\(connections[$0.connectionIndex].name)'" } ?? "in no entry")
            }
        } else if !conn.remoteID.matches(peer) {
            return "remote-id no longer matches \(peer.displayString)"
        }
        switch conn.remoteAuth {
        case .btns where !sa.peerIsBTNS:
            return "the entry now demands BTNS, the peer authenticated otherwise"
        case .psk where sa.peerAuthMethod != "psk",
             .publicKeys where sa.peerIsBTNS || sa.peerAuthMethod == "psk":
            return "the entry now demands \(conn.remoteAuth.summary)"
        case .publicKeys(let keys) where !keys.contains(where: { $0 == sa.peerKey }):
            return "the peer's key \(sa.peerKey?.fingerprint ?? "?") is no longer configured"
        default:
            break
        }

        // walk 2 again for every child SA the peer asked for. Child SAs we initiated carry
        // the selectors our own connection names for the peer, which walk 2 does not
        // judge at initiation either (RFC 5386 walk 2 guards what a peer claims).
        for child in sa.children where sa.role == .responder {
            let allowed = policy.walk2(peerTS: child.remoteTS, connectionIndex: index,
                                       peerIsBTNS: sa.peerIsBTNS, connections: connections)
            let covered = child.remoteTS.allSatisfy { ts in
                allowed.contains { TrafficSelectorMath.covers($0, ts) }
            }
            if !covered {
                return "walk 2 no longer allows child SA \(hex32(child.spiIn)) "
                    + "\(child.remoteTS.map(\.displayString))"
            }
        }
        return nil
    }

    /// Deletes the IKE SAs the last reload marked as no longer authorized.
    public func deleteUnauthorized(now: Double) -> [EngineAction] {
        var actions: [EngineAction] = []
        for spi in Array(sas.keys) where sas[spi]?.unauthorized != nil {
            actions += terminate(spi: spi, now: now)
        }
        return actions
    }
}
