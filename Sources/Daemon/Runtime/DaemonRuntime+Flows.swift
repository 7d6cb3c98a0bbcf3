import BTNSAuth
import IKEv2

/// `ikectl flow`, `flows`, `spd` and `rekey`; runs on the engine queue.
extension DaemonRuntime {
    /// An `ikectl flow` waiting for the decision on its flow.
    struct FlowWaiter {
        var id: Int
        var deadline: Double
        var reply: ControlServer.Reply
    }

    /// Handles one flow as if its first packet were seen (RFC 4301 section 5.1).
    ///
    /// TODO: only `ikectl flow` calls this; the kernel's XFRM ACQUIRE will take the same
    /// path once iked has a data path. Until then the decision is recorded and logged,
    /// and no packet is really passed or dropped.
    func flow(_ request: ControlRequest, reply: @escaping ControlServer.Reply) {
        guard let spec = request.flow else { return reply(.failure("flow: no flow given")) }
        let flow: Flow
        do { flow = try spec.flow() } catch { return reply(.failure(error.message)) }
        let now = Self.now()
        switch decider.handle(flow, now: now, sas: engine.snapshots(),
                              connections: config.connections) {
        case .decided(let r):
            logDecision(r)
            reply(ControlResponse(ok: true, flows: [r]))
        case .initiate(let r, let name, let instance, let remote, let localTS, let remoteTS):
            let timeout = max(1, request.timeout ?? Self.defaultInitiateTimeout)
            // Registered before calling the engine: it may finish within this very call.
            flowWaiters.append(FlowWaiter(id: r.id, deadline: now + timeout, reply: reply))
            logger.log(.info, "flow \(r.flow): policy '\(r.policy ?? "")' initiates "
                + "'\(instance)' for \(localTS.map(\.displayString)) === "
                + "\(remoteTS.map(\.displayString))")
            if let remote {
                perform(engine.initiate(connection: name, remoteAddress: remote,
                                        localTS: localTS, remoteTS: remoteTS, now: now))
            } else {
                perform(engine.initiate(connection: name, now: now))
            }
        }
    }

    /// `.initiateFinished`: decide the flows waiting for `name` and answer their ikectl.
    func flowsFinished(_ name: String, success: Bool, message: String) {
        let decided = decider.finished(instance: name, success: success, message: message,
                                       sas: engine.snapshots(), now: Self.now())
        answer(decided)
    }

    /// Called every tick: flows the engine never finished, and ikectl waits that ran out.
    func flowsTick(now: Double) {
        answer(decider.expire(now: now))
        let late = flowWaiters.filter { $0.deadline <= now }
        guard !late.isEmpty else { return }
        flowWaiters.removeAll { $0.deadline <= now }
        for w in late {
            // Still pending: answer with the record as it stands; `ikectl flows` shows
            // the decision once it is made.
            let r = decider.record(w.id)
            w.reply(ControlResponse(ok: true, flows: r.map { [$0] } ?? []))
        }
    }

    private func answer(_ decided: [FlowRecord]) {
        for r in decided {
            logDecision(r)
            let mine = flowWaiters.filter { $0.id == r.id }
            flowWaiters.removeAll { $0.id == r.id }
            for w in mine { w.reply(ControlResponse(ok: true, flows: [r])) }
        }
    }

    private func logDecision(_ r: FlowRecord) {
        let level: LogLevel = r.decision == .protected ? .info : .notice
        logger.log(level, "flow \(r.flow): \(r.decision.rawValue): \(r.reason)")
    }

    func flowsList() -> ControlResponse {
        ControlResponse(ok: true, flows: decider.records)
    }

    func spdList() -> ControlResponse {
        ControlResponse(ok: true, spd: decider.spd.entries.map(SPDEntryInfo.init))
    }

    /// `ikectl rekey NAME [--ike]`: starts CREATE_CHILD_SA now (RFC 7296 sections 1.3.2,
    /// 1.3.3); the answer does not wait for it to finish (`ikectl list-sas` shows the
    /// new SPIs).
    func rekey(_ request: ControlRequest, reply: @escaping ControlServer.Reply) {
        guard let name = request.name, !name.isEmpty else {
            return reply(.failure("no connection name given"))
        }
        let ike = request.ike ?? false
        guard let sa = engine.snapshots().first(where: {
            $0.connection == name && $0.state == "ESTABLISHED"
        }) else {
            return reply(.failure("connection '\(name)' has no established IKE SA to rekey"))
        }
        logger.log(.info, "rekeying \(ike ? "the IKE SA" : "a child SA") of '\(name)' on "
            + "request of ikectl")
        perform(engine.rekey(connection: name, ike: ike, now: Self.now()))
        let what = ike || sa.children.isEmpty ? "IKE SA \(sa.spiI)_i \(sa.spiR)_r"
            : "child SA \(sa.children[0].spiIn)"
        // TODO: wait for the CREATE_CHILD_SA outcome as `initiate` does; until then
        // the answer says the rekey was started, and the log says how it ended.
        reply(ControlResponse(ok: true, message: "rekey of \(what) of '\(name)' started; "
            + "the iked log shows the outcome, ikectl list-sas the new SPIs"))
    }
}
