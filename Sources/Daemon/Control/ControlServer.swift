import Dispatch
import Foundation
import Glibc

/// The daemon's end of the control socket: accepts ikectl connections, reads one JSON
/// request per line and writes one JSON response per line.
///
/// Socket I/O runs on its own serial queue so that a slow client never stalls the
/// engine; `handler` is called on that queue and may answer later from any queue.
final class ControlServer: @unchecked Sendable {
    typealias Reply = @Sendable (ControlResponse) -> Void
    typealias Handler = @Sendable (ControlRequest, @escaping Reply) -> Void

    let path: String
    private let queue = DispatchQueue(label: "latchkey.control")
    private let handler: Handler
    private var listenFD: Int32 = -1
    private var acceptSource: DispatchSourceRead?
    private var clients: [Int32: Client] = [:]

    /// Creates the socket (mode 0600, parent directory 0700 when created).
    init(path: String, handler: @escaping Handler) throws(DaemonError) {
        self.path = path
        self.handler = handler
        try prepareDirectory()
        try removeStaleSocket()
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
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
    }

    /// Closes everything and removes the socket file.
    func stop() {
        queue.sync {
            acceptSource?.cancel()
            acceptSource = nil
            for c in clients.values { c.source?.cancel() }
            clients.removeAll()
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
    private final class Client: @unchecked Sendable {
        let fd: Int32
        var source: DispatchSourceRead?
        var buffer: [UInt8] = []
        var pending = 0
        var eof = false
        init(fd: Int32) { self.fd = fd }
    }

    private func acceptClient() {
        let fd = accept(listenFD, nil, nil)
        guard fd >= 0 else { return }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        // Bounded blocking writes: a client that stops reading is dropped after 2 s.
        var tv = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let client = Client(fd: fd)
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [weak self] in self?.read(client) }
        client.source = source
        clients[fd] = client
        source.resume()
    }

    private func read(_ c: Client) {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let n = chunk.withUnsafeMutableBytes { recv(c.fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        if n < 0 && (errno == EAGAIN || errno == EINTR) { return }
        if n <= 0 {
            c.eof = true
            c.source?.cancel()
            finishIfIdle(c)
            return
        }
        c.buffer += chunk[0..<n]
        while let nl = c.buffer.firstIndex(of: 0x0A) {
            let line = Array(c.buffer[..<nl])
            c.buffer.removeSubrange(...nl)
            dispatch(line, from: c)
        }
        if c.buffer.count > ControlCodec.maxRequestLine {
            respond(c, .failure("request line too long"))
            c.eof = true
            c.source?.cancel()
            finishIfIdle(c)
        }
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
        guard clients[c.fd] === c else { return }
        if !UnixSocket.writeAll(c.fd, ControlCodec.encodeLine(response)) {
            c.eof = true
            c.source?.cancel()
        }
    }

    /// Closes a client once it has hung up and every answer it waits for was written.
    private func finishIfIdle(_ c: Client) {
        guard c.eof, c.pending == 0, clients[c.fd] === c else { return }
        clients[c.fd] = nil
        close(c.fd)
    }
}
