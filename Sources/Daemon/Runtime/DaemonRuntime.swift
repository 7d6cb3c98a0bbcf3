import Dispatch
import Foundation
import Glibc
import IKEv2
import BTNSAuth

/// Owns the engine and everything that feeds it. All engine calls and all mutable state
/// live on `queue`; the transport and control server deliver their events onto it.
final class DaemonRuntime: @unchecked Sendable {
    let queue = DispatchQueue(label: "latchkey.engine")
    /// Replaced by a successful reload (`DaemonRuntime+Reload.swift`).
    var config: DaemonConfig
    let logger: Logger
    let engine: IKEEngine
    let pins: Pins?
    private var transport: UDPTransport?
    private var control: ControlServer?
    /// `--keylog FILE`: IKE rows go to FILE, ESP rows to `esp_sa` beside it, so a
    /// folder holding FILE named `ikev2_decryption_table` is a Wireshark profile.
    private var keylog: FileHandle?
    private var espKeylog: FileHandle?
    private let keylogPath: String?
    private var timer: DispatchSourceTimer?
    private var signalSources: [any DispatchSourceSignal] = []
    var waiters: [InitiateWaiter] = []
    /// SPD decisions of flows (`ikectl flow`, `ikectl flows`).
    let decider: FlowDecider
    /// `ikectl flow` requests waiting for their flow's decision.
    var flowWaiters: [FlowWaiter] = []
    /// Where `ikectl reload` and SIGHUP read the configuration again; nil: no file.
    var reloadSource: ReloadSource?

    /// An `ikectl initiate` waiting for `.initiateFinished` of its connection.
    struct InitiateWaiter {
        var connection: String
        var timeout: Double
        var deadline: Double
        var reply: ControlServer.Reply
    }

    init(config: DaemonConfig, keylogPath: String?) throws(DaemonError) {
        self.config = config
        self.logger = Logger(level: config.logLevel)
        self.keylogPath = keylogPath
        self.decider = FlowDecider(spd: config.spd)
        let needsPins = config.connections.contains { $0.remoteAuth.isBTNS }
        var pins: Pins?
        do {
            pins = try Pins(path: config.pinStorePath)
        } catch {
            // A damaged store is never silently replaced or ignored: its pins are what
            // keeps a BTNS peer's key from changing unnoticed.
            if needsPins || error.kind == .corrupt {
                if error.kind == .corrupt { throw DaemonError("\(error)") }
                throw DaemonError("cannot open pin store \(error.detail) (BTNS connections "
                    + "need it; --pin-store PATH)")
            }
            logger.log(.warning, "pin store \(error.detail); unavailable, 'ikectl pins' "
                + "will not work")
        }
        self.pins = pins
        let logger = self.logger
        let policy = Policies.make(pins: pins) { id, why in
            logger.log(.error, "pin store failed while checking the key of BTNS peer "
                + "\(id.displayString), so it was refused: \(why)")
        }
        engine = IKEEngine(settings: config.settings, connections: config.connections,
                           policy: policy, keylog: keylogPath != nil)
        engine.sourceAddress = { routedSourceAddress(to: $0) }
    }

    static func now() -> Double { Date().timeIntervalSince1970 }

    /// Keeps a signal source alive for the life of the daemon.
    func retain(_ source: any DispatchSourceSignal) { queue.sync { signalSources.append(source) } }

    // MARK: - Startup and shutdown

    func start() throws(DaemonError) {
        if let keylogPath { try openKeylog(keylogPath) }
        do {
            transport = try UDPTransport(
                addresses: config.listen, ikePort: config.settings.ikePort,
                nattPort: config.settings.nattPort, queue: queue,
                onReceive: { [weak self] d in self?.received(d) },
                onLog: { [logger] r in logger.log(r) })
        } catch {
            throw DaemonError(error.message)
        }
        control = try ControlServer(path: config.socketPath,
                                    onLog: { [logger] level, text in logger.log(level, text) }
        ) { [weak self] request, reply in
            guard let self else { return }
            self.queue.async { self.handle(request, reply: reply) }
        }
        let names = config.connections.map(\.name).joined(separator: ", ")
        let bound = transport!.endpoints.map(\.description).joined(separator: " ")
        logger.log(.notice, "iked started: listening on \(bound); control socket "
            + "\(config.socketPath); connections: \(names.isEmpty ? "none" : names)")
        transport!.start()
        control!.start()
        let t = DispatchSource.makeTimerSource(queue: queue)
        t.schedule(deadline: .now() + .milliseconds(100), repeating: .milliseconds(100))
        t.setEventHandler { [weak self] in self?.tick() }
        t.resume()
        timer = t
    }

    /// Stops I/O and removes the control socket; call on `queue`.
    func shutdown(reason: String) {
        logger.log(.notice, "iked stopping (\(reason))")
        timer?.cancel()
        for w in waiters { w.reply(.failure("iked is shutting down")) }
        waiters.removeAll()
        for w in flowWaiters { w.reply(.failure("iked is shutting down")) }
        flowWaiters.removeAll()
        control?.stop()
        transport?.close()
        try? keylog?.close()
        try? espKeylog?.close()
    }

    private func openKeylog(_ path: String) throws(DaemonError) {
        func openAppend(_ p: String) throws(DaemonError) -> FileHandle {
            let fd = open(p, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                throw DaemonError("cannot open keylog \(p): \(String(cString: strerror(errno)))")
            }
            return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        }
        let espPath = ((path as NSString).deletingLastPathComponent as NSString)
            .appendingPathComponent("esp_sa")
        keylog = try openAppend(path)
        espKeylog = try openAppend(espPath)
        logger.log(.warning, "keylog is ON: IKE SA keys are written to \(path) and ESP keys to "
            + "\(espPath); anyone who can read them can decrypt captured traffic. "
            + "Use for debugging only.")
    }

    // MARK: - Events (all on `queue`)

    private func received(_ d: Datagram) {
        logger.log(.trace, "received \(d.bytes.count) octets \(d.remote) -> \(d.local)")
        perform(engine.receive(d, now: Self.now()))
    }

    private func tick() {
        let now = Self.now()
        perform(engine.tick(now: now))
        flowsTick(now: now)
        let expired = waiters.filter { $0.deadline <= now }
        guard !expired.isEmpty else { return }
        waiters.removeAll { $0.deadline <= now }
        for w in expired {
            w.reply(.failure("timed out after \(Self.seconds(w.timeout)) s waiting for "
                + "connection '\(w.connection)' to establish its IKE SA and child SA "
                + "(see the iked log; --timeout S)"))
        }
    }

    func perform(_ actions: [EngineAction]) {
        for action in actions {
            switch action {
            case .send(let d):
                transport?.send(d)
            case .log(let r):
                logger.log(r)
            case .established(let sa):
                logger.log(LogRecord(.notice, SAText.establishedLine(sa),
                                     spi: "\(sa.spiI)_\(sa.spiR)", peer: sa.peerKeyFingerprint))
            case .initiateFinished(let name, let success, let message):
                finishInitiate(name, success: success, message: message)
            case .deleted(let spiI, let spiR, let name):
                logger.log(LogRecord(.notice, "IKE SA of '\(name)' deleted", spi: "\(spiI)_\(spiR)"))
            case .keylog(let entry):
                let file = entry.table == .espSA ? espKeylog : keylog
                file?.write(Data((entry.line + "\n").utf8))
            }
        }
    }

    private func finishInitiate(_ name: String, success: Bool, message: String) {
        flowsFinished(name, success: success, message: message)
        let mine = waiters.filter { $0.connection == name }
        waiters.removeAll { $0.connection == name }
        let sas = engine.snapshots().filter { $0.connection == name }
        for w in mine {
            w.reply(success ? ControlResponse(ok: true, message: message, sas: sas)
                            : ControlResponse(ok: false, error: message, sas: sas))
        }
    }

    static func seconds(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(v)
    }
}

/// The source address the kernel would pick toward `remote`: a routing lookup through
/// connect(2) on a UDP socket, which sends nothing.
func routedSourceAddress(to remote: IPAddress) -> IPAddress? {
    let family = remote.isV4 ? AF_INET : AF_INET6
    let fd = socket(family, Int32(SOCK_DGRAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var storage = sockaddr_storage()
    var length: socklen_t
    if remote.isV4 {
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = UInt16(500).bigEndian
        withUnsafeMutableBytes(of: &sin.sin_addr) { $0.copyBytes(from: remote.bytes) }
        length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutableBytes(of: &storage) { dst in
            withUnsafeBytes(of: &sin) { dst.copyMemory(from: $0) }
        }
    } else {
        var sin6 = sockaddr_in6()
        sin6.sin6_family = sa_family_t(AF_INET6)
        sin6.sin6_port = UInt16(500).bigEndian
        withUnsafeMutableBytes(of: &sin6.sin6_addr) { $0.copyBytes(from: remote.bytes) }
        length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        withUnsafeMutableBytes(of: &storage) { dst in
            withUnsafeBytes(of: &sin6) { dst.copyMemory(from: $0) }
        }
    }
    let connected = withUnsafePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) }
    }
    guard connected == 0 else { return nil }
    var local = sockaddr_storage()
    var localLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
    let named = withUnsafeMutablePointer(to: &local) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &localLength) }
    }
    guard named == 0 else { return nil }
    return withUnsafeBytes(of: &local) { raw in
        if remote.isV4 {
            let sin = raw.load(as: sockaddr_in.self)
            return IPAddress(bytes: withUnsafeBytes(of: sin.sin_addr) { Array($0) })
        }
        let sin6 = raw.load(as: sockaddr_in6.self)
        return IPAddress(bytes: withUnsafeBytes(of: sin6.sin6_addr) { Array($0) })
    }
}
