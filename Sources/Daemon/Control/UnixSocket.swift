import Glibc

/// Unix domain stream socket helpers shared by the control server and client.
enum UnixSocket {
    /// `sockaddr_un` for `path`; nil when the path does not fit (108 octets on Linux).
    static func address(_ path: String) -> (sockaddr_un, socklen_t)? {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        guard !bytes.isEmpty, bytes.count < capacity else { return nil }
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: bytes) }
        let len = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count + 1
        return (addr, socklen_t(len))
    }

    static func connect(_ fd: Int32, _ path: String) -> Int32 {
        guard case (var addr, let len)? = address(path) else {
            errno = ENAMETOOLONG
            return -1
        }
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, len) }
        }
    }

    static func bind(_ fd: Int32, _ path: String) -> Int32 {
        guard case (var addr, let len)? = address(path) else {
            errno = ENAMETOOLONG
            return -1
        }
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, len) }
        }
    }

    /// Writes all of `bytes`; false when the peer went away or timed out.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes {
                send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }
}
