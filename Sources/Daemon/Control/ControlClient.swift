import Foundation
import Glibc

/// ikectl's end of the control socket.
public struct ControlClient: Sendable {
    public var path: String

    public init(path: String) {
        self.path = path
    }

    /// Sends one request and waits up to `timeout` seconds for its response.
    public func send(_ request: ControlRequest,
                     timeout: Double = 10) throws(DaemonError) -> ControlResponse {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw DaemonError("cannot create socket: \(UnixSocket.errorText(errno))") }
        defer { close(fd) }
        var st = stat()
        if stat(path, &st) == 0, st.st_mode & S_IFMT != S_IFSOCK {
            let what = st.st_mode & S_IFMT == S_IFDIR ? "a directory" : "not a socket"
            throw DaemonError("\(path) is \(what); --socket PATH must name iked's control "
                + "socket (see 'socket' in its configuration)")
        }
        if UnixSocket.connect(fd, path) != 0 {
            let code = errno
            var hint = " — is iked running? (--socket PATH)"
            if code == EACCES { hint = " — run ikectl as the user iked runs as (root?)" }
            throw DaemonError("cannot connect to \(path): \(UnixSocket.errorText(code))\(hint)")
        }
        var tv = timeval(tv_sec: Int(timeout.rounded(.up)), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        guard UnixSocket.writeAll(fd, ControlCodec.encodeLine(request)) else {
            throw DaemonError("cannot send to \(path): \(UnixSocket.errorText(errno))")
        }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while !buffer.contains(0x0A) {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                throw DaemonError("no answer from iked within \(Int(timeout)) s")
            }
            if n <= 0 { throw DaemonError("iked closed the control connection without answering") }
            buffer += chunk[0..<n]
        }
        let line = Array(buffer[..<buffer.firstIndex(of: 0x0A)!])
        do {
            return try ControlCodec.decode(ControlResponse.self, from: line)
        } catch {
            throw DaemonError("unreadable answer on \(path); is it an iked control socket, "
                + "and are iked and ikectl the same version?")
        }
    }
}
