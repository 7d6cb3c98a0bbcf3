import Dispatch
import Foundation
import Glibc
import IKEv2

/// The daemon's end of the control socket: accepts ikectl connections, reads one JSON
/// request per line and writes one JSON response per line.
///
/// Socket I/O runs on its own serial queue so that a slow client never stalls the
/// engine; `handler` is called on that queue and may answer later from any queue.
final class ControlServer: @unchecked Sendable {
    typealias Reply = @Sendable (ControlResponse) -> Void
    typealias Handler = @Sendable (ControlRequest, @escaping Reply) -> Void
    typealias Log = @Sendable (LogLevel, String) -> Void

    let path: String
    private let queue = DispatchQueue(label: "latchkey.control")
    private let handler: Handler
    private var listenFD: Int32 = -1
    private var acceptSource: DispatchSourceRead?
    private var clients: [Int32: Client] = [:]
    private let maxClients: Int
    private let onLog: Log
    /// Seconds a client may stay connected without sending a complete request.
    private let idleTimeout: Double
    private var idleTimer: DispatchSourceTimer?
    /// accept() failed for lack of descriptors; the accept source is suspended.
    private var acceptPaused = false
    private var acceptWarned = false
    private var limitWarned = false
    static let acceptBackoff = 0.1

    /// Concurrent ikectl connections served; more are answered with an error and closed.
    static let defaultMaxClients = 64
    static let defaultIdleTimeout = 60.0

    /// Open client connections (for tests and diagnostics).
    var clientCount: Int { queue.sync { clients.count } }

    /// Creates the socket (mode 0600, parent directory 0700 when created).
    init(path: String, maxClients: Int = ControlServer.defaultMaxClients,
         idleTimeout: Double = ControlServer.defaultIdleTimeout,
         onLog: @escaping Log = { _, _ in },
         handler: @escaping Handler) throws(DaemonError) {
        self.path = path
        self.handler = handler
        self.maxClients = max(1, maxClients)
        self.idleTimeout = idleTimeout
        self.onLog = onLog
        try prepareDirectory()
        try removeStaleSocket()
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
                        | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else {
            throw DaemonError("cannot create control socket: \(UnixSocket.errorText(errno))")
        }
        // Only the daemon's user may talk to it: the socket can tear down every SA.
        let old = umask(0o177)
        let rc = UnixSocket.bind(fd, path)
        let code = errno
        umask(old)
        guard rc == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw DaemonError("cannot create control socket \(path): \(UnixSocket.errorText(code))"
                + " (--socket PATH)")
        }
        listenFD = fd
    }

    func start() {
        let source = DispatchSource.makeReadSource(fileDescriptor: listenFD, queue: queue)
        source.setEventHandler { [weak self] in self?.acceptClient() }
        source.resume()
        acceptSource = source
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let every = max(0.05, min(5, idleTimeout / 4))
        timer.schedule(deadline: .now() + every, repeating: every)
        timer.setEventHandler { [weak self] in self?.sweepIdle() }
        timer.resume()
        idleTimer = timer
    }

    /// Closes everything and removes the socket file.
    func stop() {
        queue.sync {
            idleTimer?.cancel()
            idleTimer = nil
            if let source = acceptSource {
                // A suspended source must be resumed before it can finish cancelling.
                if acceptPaused { acceptPaused = false; source.resume() }
                source.cancel()
            }
            acceptSource = nil
            for c in clients.values {
                c.pending = 0
                hangUp(c)
            }
            if listenFD >= 0 { close(listenFD) }
            listenFD = -1
        }
        unlink(path)
    }

    // MARK: - Setup

    private func prepareDirectory() throws(DaemonError) {
        let dir = (path as NSString).deletingLastPathComponent
        guard !dir.isEmpty, !FileManager.default.fileExists(atPath: dir) else { return }
        do {
            try FileManager.default.createDirectory(
                atPath: dir, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } catch {
            throw DaemonError("cannot create directory \(dir) for the control socket: "
                + "\(error.localizedDescription) (--socket PATH)")
        }
    }

    /// A socket file left by a crashed iked is removed; a live one means a second daemon.
    private func removeStaleSocket() throws(DaemonError) {
        guard access(path, F_OK) == 0 else { return }
        let probe = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(probe) }
        if UnixSocket.connect(probe, path) == 0 {
            throw DaemonError("another iked is already listening on \(path); stop it or use "
                + "--socket PATH")
        }
        unlink(path)
    }

    // MARK: - Clients

    /// One ikectl connection; touched only on `queue`.
    ///
    /// The descriptor is closed only in the read source's cancel handler and only once
    /// no answer is pending, so libdispatch never watches a descriptor number that was
    /// closed and handed to the next client.
    private final class Client: @unchecked Sendable {
        let fd: Int32
        var source: DispatchSourceRead?
        var buffer: [UInt8] = []
        var pending = 0
        /// The peer hung up, an error occurred, or we stopped serving it.
        var eof = false
        /// The read source's cancel handler ran: libdispatch no longer uses `fd`.
        var sourceDone = false
        var closed = false
        /// Last time a complete request arrived or an answer was written.
        var lastActivity: Double
        init(fd: Int32, now: Double) {
            self.fd = fd
            self.lastActivity = now
        }
    }

    private static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    private func acceptClient() {
        let fd = accept(listenFD, nil, nil)
        guard fd >= 0 else {
            let code = errno
            switch code {
            case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                // The pending connection stays queued and keeps the listening socket
                // readable; accepting again at once would spin. Pause, then retry.
                if !acceptPaused { pauseAccepting(code) }
            default:
                // EAGAIN, EINTR, ECONNABORTED, ...: nothing to do; the source fires again.
                break
            }
            return
        }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        if acceptWarned {
            acceptWarned = false
            onLog(.notice, "control socket accepts connections again")
        }
        // Bounded blocking writes: a client that stops reading is dropped after 2 s.
        var tv = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        if clients.count >= maxClients {
            _ = UnixSocket.writeAll(fd, ControlCodec.encodeLine(ControlResponse.failure(
                "too many ikectl clients connected to iked (\(maxClients)); try again later")))
            close(fd)
            if !limitWarned {
                limitWarned = true
                onLog(.warning, "control socket: \(maxClients) clients connected; refusing more")
            }
            return
        }
        limitWarned = false
        let client = Client(fd: fd, now: Self.now())
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        // Both handlers are released once the source is cancelled (`hangUp`).
        source.setEventHandler { [weak self] in self?.read(client) }
        source.setCancelHandler { [self] in
            client.sourceDone = true
            finishIfIdle(client)
        }
        client.source = source
        clients[fd] = client
        source.resume()
    }

    /// Out of descriptors (or memory): warn once, stop watching the listening socket
    /// for a moment, then resume.
    private func pauseAccepting(_ code: Int32) {
        guard let source = acceptSource else { return }
        if !acceptWarned {
            acceptWarned = true
            onLog(.warning, "control socket: cannot accept ikectl connections: "
                + "\(UnixSocket.errorText(code)); retrying every "
                + "\(Int(Self.acceptBackoff * 1000)) ms (open control clients: \(clients.count))")
        }
        acceptPaused = true
        source.suspend()
        queue.asyncAfter(deadline: .now() + Self.acceptBackoff) { [weak self] in
            guard let self, self.acceptPaused else { return }
            self.acceptPaused = false
            self.acceptSource?.resume()
        }
    }

    private func read(_ c: Client) {
        guard !c.eof else { return }
        // Drain everything available: the read source may not fire again for data and
        // a hang-up that arrived together, so stopping early would miss the EOF.
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes {
                recv(c.fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT))
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return }
            if n <= 0 {
                hangUp(c)
                return
            }
            c.buffer += chunk[0..<n]
            while let nl = c.buffer.firstIndex(of: 0x0A) {
                let line = Array(c.buffer[..<nl])
                c.buffer.removeSubrange(...nl)
                c.lastActivity = Self.now()
                dispatch(line, from: c)
                if c.eof { return }
            }
            if c.buffer.count > ControlCodec.maxRequestLine {
                respond(c, .failure("request line too long"))
                hangUp(c)
                return
            }
        }
    }

    /// Stops reading from `c`; its descriptor is closed once pending answers are written.
    private func hangUp(_ c: Client) {
        c.eof = true
        if let source = c.source {
            c.source = nil
            source.cancel()
        }
        finishIfIdle(c)
    }

    private func dispatch(_ line: [UInt8], from c: Client) {
        switch ControlCodec.decodeRequest(line) {
        case .failure(let e):
            respond(c, .failure(e.message))
        case .success(let request):
            c.pending += 1
            handler(request) { [weak self] response in
                guard let self else { return }
                self.queue.async {
                    c.pending -= 1
                    self.respond(c, response)
                    self.finishIfIdle(c)
                }
            }
        }
    }

    private func respond(_ c: Client, _ response: ControlResponse) {
        guard !c.closed else { return }
        c.lastActivity = Self.now()
        if !UnixSocket.writeAll(c.fd, ControlCodec.encodeLine(response)) {
            hangUp(c)
        }
    }

    /// Closes a client once it has hung up, its read source is gone, and every answer
    /// it waits for was written.
    private func finishIfIdle(_ c: Client) {
        guard c.eof, c.sourceDone, c.pending == 0, !c.closed else { return }
        c.closed = true
        if clients[c.fd] === c { clients[c.fd] = nil }
        close(c.fd)
    }

    /// Drops clients that sent no complete request for `idleTimeout` seconds and wait
    /// for no answer, so idle connections cannot hold every slot.
    private func sweepIdle() {
        let limit = Self.now() - idleTimeout
        for c in clients.values where c.pending == 0 && !c.eof && c.lastActivity < limit {
            respond(c, .failure("idle for \(Int(idleTimeout)) s without a complete request; "
                + "closing"))
            hangUp(c)
        }
    }
}
