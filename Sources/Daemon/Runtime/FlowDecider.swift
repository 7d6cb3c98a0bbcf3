import BTNSAuth
import IKEv2

/// Decides what happens to flows and remembers the decisions: the SPD lookup of RFC
/// 4301 section 5.1 for a flow's first packet, plus IKE initiation when a protecting
/// entry has no child SA yet.
///
/// It never calls the engine: `handle` says what to initiate and the caller feeds
/// `.initiateFinished` back through `finished`, so tests can drive it with any engine.
///
/// TODO: flows come only from `ikectl flow` today. Once a data path exists, the
/// kernel's XFRM ACQUIRE (and a packet that matches no SA) must call `handle` the same
/// way; until then no packet is actually passed, protected or dropped, and a decision
/// is only recorded.
final class FlowDecider {
    /// Decisions kept for `ikectl flows`; the oldest decided ones go first.
    static let capacity = 1024
    /// A flow waiting longer than this for its connection is decided as a failure,
    /// should the engine never report the initiation finished.
    static let pendingLimit = 120.0

    private(set) var spd: SPD
    private(set) var records: [FlowRecord] = []
    private var nextID = 1
    /// Record ids waiting for `.initiateFinished` of a connection (instance) name.
    private var waiting: [String: [Int]] = [:]
    /// The SPD entry each waiting record was matched with.
    private var entries: [Int: SPDEntry] = [:]
    private var flows: [Int: Flow] = [:]

    /// What the caller must do for a flow.
    enum Step: Equatable {
        /// Decided already.
        case decided(FlowRecord)
        /// Start `connection` (as a template toward `remoteAddress` when set) and report
        /// its `.initiateFinished` for `instance`; the record is pending until then.
        case initiate(FlowRecord, connection: String, instance: String,
                      remoteAddress: IPAddress?, localTS: [TrafficSelector],
                      remoteTS: [TrafficSelector])
    }

    init(spd: SPD) {
        self.spd = spd
    }

    /// A reload: new flows follow the new SPD; flows already pending keep the entry
    /// they matched.
    func replace(_ spd: SPD) {
        self.spd = spd
    }

    func record(_ id: Int) -> FlowRecord? {
        records.last { $0.id == id }
    }

    /// The first packet of `flow` (RFC 4301 section 5.1): look up the SPD, then use an
    /// existing child SA or say what to initiate.
    func handle(_ flow: Flow, now: Double, sas: [IKESASnapshot],
                connections: [ConnectionConfig]) -> Step {
        let entry = spd.lookup(flow)
        var r = FlowRecord(id: nextID, flow: flow, entry: entry, time: now)
        nextID += 1
        guard let entry else {
            return .decided(store(decide(r, .discard, now, "no SPD entry matches; "
                + "discarded (RFC 4301 section 5.1)")))
        }
        switch entry.action {
        case .bypass:
            return .decided(store(decide(r, .bypass, now, "policy '\(entry.name)': bypass")))
        case .discard:
            return .decided(store(decide(r, .discard, now, "policy '\(entry.name)': discard")))
        case .protect, .bypassOrProtect:
            break
        }
        let name = entry.connection ?? ""
        if let hit = Self.protection(for: flow, entry: entry, sas: sas) {
            r.connection = hit.sa.connection
            r.childSPI = "\(hit.child.spiIn)/\(hit.child.spiOut)"
            return .decided(store(decide(r, .protected, now, "protected by child SA "
                + "\(hit.child.spiIn)/\(hit.child.spiOut) (\(hit.sa.connection))")))
        }
        guard let conn = connections.first(where: { $0.name == name }) else {
            return .decided(store(fail(r, entry, now, "connection '\(name)' is not configured")))
        }
        let ts = entry.childSelectors(for: flow)
        let instance = conn.remoteAddress == nil ? "\(name)@\(flow.dst)" : name
        r.connection = instance
        r.reason = "initiating '\(instance)'"
        r = store(r)
        waiting[instance, default: []].append(r.id)
        entries[r.id] = entry
        flows[r.id] = flow
        return .initiate(r, connection: name, instance: instance,
                         remoteAddress: conn.remoteAddress == nil ? flow.dst : nil,
                         localTS: ts.local, remoteTS: ts.remote)
    }

    /// `.initiateFinished` of `instance`: decides every flow waiting for it. Returns
    /// the decided records.
    func finished(instance: String, success: Bool, message: String, sas: [IKESASnapshot],
                  now: Double) -> [FlowRecord] {
        let ids = waiting.removeValue(forKey: instance) ?? []
        var out: [FlowRecord] = []
        for id in ids {
            guard let entry = entries.removeValue(forKey: id),
                  let flow = flows.removeValue(forKey: id),
                  var r = record(id) else { continue }
            if success, let hit = Self.protection(for: flow, entry: entry,
                                                  sas: sas.filter { $0.connection == instance }) {
                r.childSPI = "\(hit.child.spiIn)/\(hit.child.spiOut)"
                r = decide(r, .protected, now, "protected by child SA "
                    + "\(hit.child.spiIn)/\(hit.child.spiOut) (\(instance))")
            } else if success {
                r = fail(r, entry, now, Self.whyNotCovered(flow, entry: entry, instance: instance,
                                                           sas: sas))
            } else {
                r = fail(r, entry, now, message)
            }
            out.append(update(r))
        }
        return out
    }

    /// Flows pending for longer than `pendingLimit`, decided as failures.
    func expire(now: Double) -> [FlowRecord] {
        var out: [FlowRecord] = []
        for (instance, ids) in waiting {
            let old = ids.filter { (record($0)?.time ?? 0) + Self.pendingLimit <= now }
            guard !old.isEmpty else { continue }
            waiting[instance] = ids.filter { !old.contains($0) }
            if waiting[instance]?.isEmpty == true { waiting[instance] = nil }
            for id in old {
                guard let entry = entries.removeValue(forKey: id), var r = record(id) else {
                    continue
                }
                flows[id] = nil
                r = fail(r, entry, now, "timeout: '\(instance)' did not finish within "
                    + "\(Int(Self.pendingLimit)) s")
                out.append(update(r))
            }
        }
        return out
    }

    // MARK: - Decisions

    /// The failure outcome of a protecting entry: protect discards, bypass-or-protect
    /// falls back to the clear (RFC 5660 section 3.1: protection was optional).
    private func fail(_ r: FlowRecord, _ entry: SPDEntry, _ now: Double,
                      _ why: String) -> FlowRecord {
        if entry.action == .bypassOrProtect {
            return decide(r, .bypass, now, "policy '\(entry.name)': the peer could not "
                + "negotiate protection, sent in the clear (bypass-or-protect): \(why)")
        }
        return decide(r, .discard, now, "policy '\(entry.name)': no protection, discarded: \(why)")
    }

    private func decide(_ r: FlowRecord, _ d: FlowRecord.Decision, _ now: Double,
                        _ why: String) -> FlowRecord {
        var r = r
        r.decision = d
        r.reason = why
        r.decided = now
        return r
    }

    /// Appends a new record, evicting the oldest decided one beyond `capacity`.
    private func store(_ r: FlowRecord) -> FlowRecord {
        records.append(r)
        if records.count > Self.capacity {
            let i = records.firstIndex { $0.decision != .pending } ?? 0
            let gone = records.remove(at: i)
            entries[gone.id] = nil
            flows[gone.id] = nil
        }
        return r
    }

    private func update(_ r: FlowRecord) -> FlowRecord {
        if let i = records.lastIndex(where: { $0.id == r.id }) { records[i] = r }
        return r
    }

    // MARK: - Which child SA protects a flow

    /// A child SA that may carry `flow` under `entry`: an established IKE SA of the
    /// entry's connection (or one of its template instances), still authorized by the
    /// PAD, whose peer is authenticated unless the entry has BTNS_OK (RFC 5386
    /// section 2), with a child whose selectors cover the flow. Requiring the entry's
    /// connection is a choice: that connection defines the protection the entry asks
    /// for (RFC 4301 section 4.4.1), so an SA of another connection does not count.
    static func protection(for flow: Flow, entry: SPDEntry, sas: [IKESASnapshot])
        -> (sa: IKESASnapshot, child: ChildSASnapshot)? {
        guard let name = entry.connection else { return nil }
        for sa in sas where sa.state == "ESTABLISHED" && sa.unauthorized == nil
            && (sa.connection == name || sa.connection.hasPrefix(name + "@"))
            && (entry.btnsOK || !sa.btns) {
            for child in sa.children where covers(child, flow) { return (sa, child) }
        }
        return nil
    }

    static func covers(_ child: ChildSASnapshot, _ flow: Flow) -> Bool {
        let local = child.localTS.compactMap(SelectorText.parse)
        let remote = child.remoteTS.compactMap(SelectorText.parse)
        return flow.isCovered(local: local, remote: remote)
    }

    /// The initiation succeeded but no usable child SA covers the flow: say why.
    private static func whyNotCovered(_ flow: Flow, entry: SPDEntry, instance: String,
                                      sas: [IKESASnapshot]) -> String {
        let mine = sas.filter { $0.connection == instance }
        if !entry.btnsOK, let sa = mine.first(where: { sa in
            sa.btns && sa.children.contains { covers($0, flow) }
        }) {
            return "the peer of '\(instance)' was accepted only as a BTNS peer (key "
                + "\(sa.peerKeyFingerprint ?? "?")) and policy '\(entry.name)' has btns no "
                + "(RFC 5386 section 2)"
        }
        let have = mine.flatMap(\.children).map {
            "\($0.localTS.joined(separator: ",")) === \($0.remoteTS.joined(separator: ","))"
        }
        return "no child SA of '\(instance)' covers the flow (it has: "
            + (have.isEmpty ? "none" : have.joined(separator: "; ")) + ")"
    }
}
