/// Choosing one transform of each type from a peer's SA payload (RFC 7296 sections
/// 2.7 and 3.3.6), and checking that a responder's choice is one we offered.
struct ChosenProposal: Hashable, Sendable, CustomStringConvertible {
    var number: UInt8
    var protocolID: ProtocolID
    var encr: ProposalSpec.Encr
    /// IntegID.none for AEAD ciphers.
    var integ: UInt16
    /// IKE only.
    var prf: UInt16?
    /// IKE: the key exchange method; ESP: nil (no PFS in IKE_AUTH).
    var dh: UInt16?
    /// ESP only.
    var esn: UInt16?

    /// The single-transform proposal to send back, carrying our SPI.
    func proposal(spi: [UInt8]) -> Proposal {
        let spec = ProposalSpec(encr: [encr], integ: integ == IntegID.none ? [] : [integ],
                                prf: prf.map { [$0] } ?? [], dh: dh.map { [$0] } ?? [],
                                esn: esn.map { [$0] } ?? [])
        return Proposal(number: number, protocolID: protocolID, spi: spi,
                        transforms: spec.transforms)
    }

    var description: String {
        ProposalSpec(encr: [encr], integ: integ == IntegID.none ? [] : [integ],
                     prf: prf.map { [$0] } ?? [], dh: dh.map { [$0] } ?? [],
                     esn: esn == ESNID.yes ? [ESNID.yes] : []).description
    }
}

enum ProposalSelection {
    /// Responder: the first of the peer's proposals (its preference order) that one of
    /// our configured proposals accepts. For IKE, `preferDH` (the group of the KE
    /// payload) is chosen when the proposal allows it, saving an INVALID_KE_PAYLOAD.
    /// `pfs`: a CREATE_CHILD_SA for a child SA, where a DH transform means a KE payload
    /// (section 1.3.1); in IKE_AUTH there is none and DH transforms are ignored.
    static func select(offered: [Proposal], configured: [ProposalSpec],
                       protocolID: ProtocolID, preferDH: UInt16? = nil,
                       pfs: Bool = false) -> ChosenProposal? {
        for p in offered where p.protocolID == protocolID {
            for spec in configured {
                if let c = match(p, spec, preferDH: preferDH, pfs: pfs) { return c }
            }
        }
        return nil
    }

    /// Initiator: the responder must return exactly one transform per type, all from one
    /// of our proposals (section 3.3.6). nil when it did not.
    static func validateResponse(_ p: Proposal, configured: [ProposalSpec],
                                 protocolID: ProtocolID, pfs: Bool = false) -> ChosenProposal? {
        guard p.protocolID == protocolID else { return nil }
        var seen = Set<UInt8>()
        for t in p.transforms where t.type != .dh || protocolID == .ike || pfs {
            guard seen.insert(t.type.rawValue).inserted else { return nil }
        }
        for spec in configured {
            if let c = match(p, spec, preferDH: nil, pfs: pfs) { return c }
        }
        return nil
    }

    private static func match(_ p: Proposal, _ spec: ProposalSpec, preferDH: UInt16?,
                              pfs: Bool) -> ChosenProposal?
    {
        let isIKE = p.protocolID == .ike
        let of = { (type: TransformType) in p.transforms.filter { $0.type == type } }

        // encryption, with its key length attribute
        guard let encr = of(.encr).lazy.map({ ProposalSpec.Encr(id: $0.id, keyBits: $0.keyLength) })
            .first(where: { spec.encr.contains($0) })
        else { return nil }

        // integrity: none for AEAD (RFC 5282 section 8), required otherwise
        let offeredInteg = of(.integ).map(\.id).filter { $0 != IntegID.none }
        var integ = IntegID.none
        if ProposalSpec.aeadIDs.contains(encr.id) {
            guard offeredInteg.isEmpty else { return nil }
        } else {
            guard let i = offeredInteg.first(where: { spec.integ.contains($0) }) else { return nil }
            integ = i
        }

        var prf: UInt16? = nil
        var dh: UInt16? = nil
        var esn: UInt16? = nil
        if isIKE {
            guard let f = of(.prf).map(\.id).first(where: { spec.prf.contains($0) }) else {
                return nil
            }
            prf = f
            let groups = of(.dh).map(\.id).filter { spec.dh.contains($0) }
            guard let first = groups.first else { return nil }
            dh = preferDH.flatMap { groups.contains($0) ? $0 : nil } ?? first
        } else {
            if pfs {
                let groups = of(.dh).map(\.id).filter { $0 != DHGroup.none }
                if spec.dh.isEmpty {
                    // we want no PFS: the proposal must allow doing without
                    guard groups.isEmpty || of(.dh).contains(where: { $0.id == DHGroup.none })
                    else { return nil }
                } else {
                    let ok = groups.filter { spec.dh.contains($0) }
                    guard let first = ok.first else { return nil }
                    dh = preferDH.flatMap { ok.contains($0) ? $0 : nil } ?? first
                }
            }
            // No KE payload in IKE_AUTH, so a DH transform there is ignored (section 1.2).
            let offeredESN = of(.esn).map(\.id)
            let allowed = spec.esn.isEmpty ? [ESNID.no] : spec.esn
            if offeredESN.isEmpty {
                guard allowed.contains(ESNID.no) else { return nil }
            } else {
                guard let e = offeredESN.first(where: { allowed.contains($0) }) else { return nil }
                esn = e
            }
        }
        return ChosenProposal(number: p.number, protocolID: p.protocolID, encr: encr,
                              integ: integ, prf: prf, dh: dh, esn: esn)
    }

    /// Our configured proposals as an SA payload (numbers from 1, section 3.3.1).
    static func saPayload(_ specs: [ProposalSpec], protocolID: ProtocolID, spi: [UInt8])
        -> SAPayload
    {
        SAPayload(proposals: specs.enumerated().map { i, spec in
            Proposal(number: UInt8(truncatingIfNeeded: i + 1), protocolID: protocolID,
                     spi: spi, transforms: spec.transforms)
        })
    }
}
