import IKEv2

/// `ikectl pad`, `explain`, `pins show` and `pins approve`; runs on the engine queue.
extension DaemonRuntime {
    func handlePAD(_ request: ControlRequest) -> ControlResponse {
        PADRequests.respond(request, connections: config.connections, pins: pins?.store) {
            [logger] message in logger.log(.notice, message + " (ikectl pins approve)")
        }
    }
}
