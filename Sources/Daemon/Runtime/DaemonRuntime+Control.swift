import IKEv2

/// Answers to control requests; runs on the engine queue.
extension DaemonRuntime {
    static let defaultInitiateTimeout = 30.0

    func handle(_ request: ControlRequest, reply: @escaping ControlServer.Reply) {
        switch request.command {
        case .connections:
            reply(ControlResponse(ok: true, connections: config.connections.map(ConnectionInfo.init)))
        case .listSAs:
            reply(ControlResponse(ok: true, sas: engine.snapshots()))
        case .initiate:
            initiate(request, reply: reply)
        case .terminate:
            terminate(request, reply: reply)
        case .pinsList:
            reply(pinsList())
        case .pinsForget:
            reply(pinsForget(request.id))
        case .pad, .explain, .pinsShow, .pinsApprove:
            reply(handlePAD(request))
        case .flow:
            flow(request, reply: reply)
        case .flows:
            reply(flowsList())
        case .spd:
            reply(spdList())
        case .reload:
            reply(reload(request))
        case .rekey:
            rekey(request, reply: reply)
        }
    }

    /// nil when `name` is a configured connection, otherwise the error to send.
    func unknownConnection(_ name: String?) -> ControlResponse? {
        guard let name, !name.isEmpty else {
            return .failure("no connection name given")
        }
        guard config.connection(named: name) == nil else { return nil }
        let known = config.connections.map(\.name)
        return .failure("unknown connection '\(name)'; configured: "
            + (known.isEmpty ? "none" : known.joined(separator: ", ")))
    }

    private func initiate(_ request: ControlRequest, reply: @escaping ControlServer.Reply) {
        if let error = unknownConnection(request.name) { return reply(error) }
        let name = request.name!
        guard config.connection(named: name)?.remoteAddress != nil else {
            return reply(.failure("connection '\(name)' has no remote-address, so it can only "
                + "respond; initiate from the peer instead"))
        }
        let timeout = max(1, request.timeout ?? Self.defaultInitiateTimeout)
        let now = Self.now()
        // Registered before calling the engine: it may finish within this very call.
        waiters.append(InitiateWaiter(connection: name, timeout: timeout, deadline: now + timeout,
                                 reply: reply))
        logger.log(.info, "initiating '\(name)' on request of ikectl")
        perform(engine.initiate(connection: name, now: now))
    }

    private func terminate(_ request: ControlRequest, reply: @escaping ControlServer.Reply) {
        if request.unauthorized == true { return reply(terminateUnauthorized()) }
        // Template instances (NAME@ADDRESS) are not configured but may be terminated.
        let isInstance = engine.snapshots().contains { $0.connection == request.name }
        if !isInstance, let error = unknownConnection(request.name) { return reply(error) }
        let name = request.name!
        let count = engine.snapshots().filter { $0.connection == name }.count
        guard count > 0 else {
            return reply(.failure("connection '\(name)' has no IKE SA to terminate"))
        }
        perform(engine.terminate(connection: name, now: Self.now()))
        reply(ControlResponse(ok: true, message: "deleting \(count) IKE SA\(count == 1 ? "" : "s") "
            + "of '\(name)'"))
    }

    private func pinsList() -> ControlResponse {
        guard let pins = pins else { return .failure("the pin store is not open") }
        do {
            return ControlResponse(ok: true, pins: try pins.list())
        } catch {
            return .failure("\(error)")
        }
    }

    private func pinsForget(_ idText: String?) -> ControlResponse {
        guard let idText, let id = IDPayload(text: idText) else {
            return .failure("'\(idText ?? "")' is not an identity (e.g. fqdn:host.example, "
                + "keyid:HEX)")
        }
        guard let pins = pins else { return .failure("the pin store is not open") }
        do {
            if try pins.forget(id) {
                logger.log(.notice, "pin of \(id.displayString) forgotten on request of ikectl")
                return ControlResponse(ok: true, message: "forgot the pin of \(id.displayString)")
            }
            return .failure("no pin for \(id.displayString)")
        } catch {
            return .failure("\(error)")
        }
    }
}
