import BTNSAuth
import Foundation
import IKEv2

/// Where a reload reads the configuration, and the command-line values that override
/// the file (`iked --socket`, `--pin-store`, `--log-level`), applied again on reload.
struct ReloadSource: Sendable {
    var path: String
    var socketPath: String?
    var pinStorePath: String?
    var logLevel: LogLevel?

    func load() throws(ConfigError) -> DaemonConfig {
        var c = try DaemonConfig.load(path: path)
        if let socketPath { c.socketPath = socketPath }
        if let pinStorePath { c.pinStorePath = pinStorePath }
        if let logLevel { c.logLevel = logLevel }
        return c
    }
}

/// `ikectl reload`, SIGHUP and `ikectl terminate --unauthorized`; on the engine queue.
///
/// A reload is all or nothing: a file with any error is refused with every FILE:LINE
/// error and the running configuration stays. Otherwise the new connections (the PAD)
/// and policies (the SPD) take effect at once; SAs the new PAD no longer authorizes
/// are reported and keep running until the operator deletes them, so a reload never
/// cuts traffic by surprise.
extension DaemonRuntime {
    func reload(_ request: ControlRequest) -> ControlResponse {
        reload(deleteUnauthorized: request.deleteUnauthorized ?? false)
    }

    /// The one reload path, for ikectl and SIGHUP alike.
    func reload(deleteUnauthorized: Bool) -> ControlResponse {
        guard let source = reloadSource else {
            return .failure("iked was started without a configuration file; nothing to reload")
        }
        var new: DaemonConfig
        do {
            new = try source.load()
        } catch {
            let n = error.errorCount
            logger.log(.error, "reload of \(source.path) refused (\(n) error\(n == 1 ? "" : "s")); "
                + "the running configuration stays:\n" + error.description)
            return .failure(error.description + "\n\(source.path): \(n) error"
                + "\(n == 1 ? "" : "s"); the running configuration is kept")
        }
        if pins == nil, new.connections.contains(where: { $0.remoteAuth.isBTNS }) {
            return .failure("the new configuration has remote-auth btns connections but the "
                + "pin store is not open; restart iked to use them")
        }
        let restart = keepFixedSettings(&new)
        let unauthorized = engine.replaceConnections(new.connections)
        config = new
        decider.replace(new.spd)
        var deleted = 0
        if deleteUnauthorized && !unauthorized.isEmpty {
            deleted = unauthorized.count
            perform(engine.deleteUnauthorized(now: Self.now()))
        }
        let report = ReloadReport(
            connections: new.connections.count, policies: new.spd.entries.count,
            warnings: new.warnings.map(\.description), restartNeeded: restart,
            unauthorized: unauthorized, deleted: deleted)
        log(report, path: source.path)
        return ControlResponse(ok: true, message: "reloaded \(source.path)", reload: report)
    }

    /// SIGHUP: the same reload, reported in the log only.
    func reloadOnSignal() {
        logger.log(.notice, "SIGHUP: reloading the configuration")
        let r = reload(deleteUnauthorized: false)
        if !r.ok { logger.log(.error, "SIGHUP reload failed: \(r.error ?? "?")") }
    }

    /// `ikectl terminate --unauthorized`: deletes the SAs the last reload marked.
    func terminateUnauthorized() -> ControlResponse {
        let marked = engine.snapshots().filter { $0.unauthorized != nil }
        guard !marked.isEmpty else {
            return .failure("no IKE SA is marked unauthorized ('ikectl reload' lists them)")
        }
        logger.log(.notice, "deleting \(marked.count) unauthorized IKE SA(s) on request of ikectl")
        perform(engine.deleteUnauthorized(now: Self.now()))
        return ControlResponse(ok: true, message: "deleting \(marked.count) unauthorized IKE SA"
            + "\(marked.count == 1 ? "" : "s")", sas: marked)
    }

    /// Settings bound at start (sockets, pin store) or fixed in the engine keep their
    /// running value; each changed one is named, with both values.
    ///
    /// TODO: the engine takes `EngineSettings` at creation only, so retransmission,
    /// cookie, half-open, DPD and rekey settings also need a restart; an engine setter
    /// would let them apply to new SAs at once.
    private func keepFixedSettings(_ new: inout DaemonConfig) -> [String] {
        var out: [String] = []
        func keep<T: Equatable>(_ name: String, _ path: WritableKeyPath<DaemonConfig, T>,
                                _ show: (T) -> String) {
            guard new[keyPath: path] != config[keyPath: path] else { return }
            out.append("restart needed for \(name) (running: \(show(config[keyPath: path])), "
                + "file: \(show(new[keyPath: path])))")
            new[keyPath: path] = config[keyPath: path]
        }
        func list(_ a: [IPAddress]) -> String {
            a.isEmpty ? "all" : a.map(\.description).joined(separator: " ")
        }
        keep("listen", \.listen, list)
        keep("ike-port", \.settings.ikePort) { "\($0)" }
        keep("natt-port", \.settings.nattPort) { "\($0)" }
        keep("socket", \.socketPath) { $0 }
        keep("pin-store", \.pinStorePath) { $0 }
        keep("log-level", \.logLevel) { "\($0)" }
        keep("retransmit-base", \.settings.retransmitBase) { Self.seconds($0) }
        keep("retransmit-tries", \.settings.retransmitTries) { "\($0)" }
        keep("cookie-threshold", \.settings.cookieThreshold) { "\($0)" }
        keep("max-half-open", \.settings.maxHalfOpen) { "\($0)" }
        keep("half-open-timeout", \.settings.halfOpenTimeout) { Self.seconds($0) }
        keep("dpd-delay", \.settings.dpdDelay) { Self.seconds($0) }
        keep("ike-rekey-time", \.settings.ikeRekeyTime) { Self.seconds($0) }
        keep("child-rekey-time", \.settings.childRekeyTime) { Self.seconds($0) }
        return out
    }

    private func log(_ r: ReloadReport, path: String) {
        logger.log(.notice, "configuration reloaded from \(path): \(r.connections) "
            + "connection\(r.connections == 1 ? "" : "s"), \(r.policies) "
            + "polic\(r.policies == 1 ? "y" : "ies")")
        for w in r.warnings { logger.log(.warning, w) }
        for x in r.restartNeeded { logger.log(.warning, x) }
        for sa in r.unauthorized {
            let what = r.deleted > 0 ? "deleting" : "kept until deleted"
            logger.log(LogRecord(.warning, "IKE SA of '\(sa.connection)' is no longer "
                + "authorized (\(sa.unauthorized ?? "?")); \(what)",
                spi: "\(sa.spiI)_\(sa.spiR)", peer: sa.peerKeyFingerprint))
        }
    }
}
