import CShim
import Dispatch
import Glibc

/// A socket could not be set up; the message says which address and what to do.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// IKE over UDP on the IKE port and the NAT-T port (RFC 7296 section 2.23, RFC 3948).
///
/// Every socket reports the local address a datagram arrived on (IP_PKTINFO /
/// IPV6_RECVPKTINFO): the NAT detection hashes cover it, and replies must leave from it
/// even when the socket is bound to a wildcard address. Read sources and all callbacks
/// run on `queue`; `send` must be called on it too.
public final class UDPTransport: @unchecked Sendable {
    public typealias Receive = @Sendable (Datagram) -> Void
    public typealias Log = @Sendable (LogRecord) -> Void

    private struct Socket {
        var fd: Int32
        var local: Endpoint
        var wildcard: Bool
        var natt: Bool
    }

    public let queue: DispatchQueue
    /// Actual ports (differ from the requested ones only when 0 asked for any port).
    public private(set) var ikePort: UInt16
    public private(set) var nattPort: UInt16
    private var sockets: [Socket] = []
    private var sources: [DispatchSourceRead] = []
    private let onReceive: Receive
    private let onLog: Log
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 8)
    private let control = UnsafeMutableRawBufferPointer.allocate(byteCount: 256, alignment: 8)

    /// Binds `addresses` (or 0.0.0.0 and :: when empty) on both ports.
    public init(addresses: [IPAddress], ikePort: UInt16, nattPort: UInt16,
                queue: DispatchQueue, onReceive: @escaping Receive,
                onLog: @escaping Log) throws(TransportError) {
        self.queue = queue
        self.ikePort = ikePort
        self.nattPort = nattPort
        self.onReceive = onReceive
        self.onLog = onLog
        let wildcard = addresses.isEmpty
        let targets = wildcard ? [IPAddress.v4([0, 0, 0, 0]), .v6([UInt8](repeating: 0, count: 16))]
            : addresses
        do {
            for address in targets {
                for natt in [false, true] {
                    let port = natt ? self.nattPort : self.ikePort
                    let s: Socket
                    do {
                        s = try Self.open(address, port: port, wildcard: wildcard, natt: natt)
                    } catch let e as Errno where wildcard && !address.isV4 && e.code == EAFNOSUPPORT {
                        onLog(LogRecord(.warning, "IPv6 is not available; listening on IPv4 only"))
                        break
                    }
                    if port == 0 {
                        if natt { self.nattPort = s.local.port } else { self.ikePort = s.local.port }
                    }
                    sockets.append(s)
                }
            }
        } catch let e as Errno {
            close()
            throw TransportError(e.message)
        } catch {
            close()
            throw TransportError("\(error)")
        }
    }

    deinit {
        close()
        buffer.deallocate()
        control.deallocate()
    }

    /// Local endpoints bound, for logs.
    public var endpoints: [Endpoint] { sockets.map(\.local) }

    /// Starts delivering datagrams to `onReceive` on `queue`.
    public func start() {
        for s in sockets {
            let source = DispatchSource.makeReadSource(fileDescriptor: s.fd, queue: queue)
            source.setEventHandler { [weak self] in self?.drain(s) }
            source.resume()
            sources.append(source)
        }
    }

    /// Closes every socket. Call on `queue` (or before `start`).
    public func close() {
        for source in sources { source.cancel() }
        sources.removeAll()
        for s in sockets { Glibc.close(s.fd) }
        sockets.removeAll()
    }

    /// Sends one IKE message from the socket bound to `datagram.local`'s port, adding the
    /// non-ESP marker on the NAT-T port. Returns false (and logs) on failure.
    @discardableResult
    public func send(_ datagram: Datagram) -> Bool {
        let v4 = datagram.remote.address.isV4
        var candidates = sockets.filter { $0.local.port == datagram.local.port
            && $0.local.address.isV4 == v4 }
        if candidates.isEmpty {
            candidates = sockets.filter { $0.local.port == ikePort && $0.local.address.isV4 == v4 }
        }
        guard let socket = candidates.first(where: {
            !$0.wildcard && $0.local.address == datagram.local.address
        }) ?? candidates.first(where: \.wildcard) ?? candidates.first else {
            onLog(LogRecord(.error, "no socket to send from \(datagram.local) to "
                + "\(datagram.remote) (is the address in 'listen'?)"))
            return false
        }
        let bytes = socket.natt ? NATTFraming.frameForNATT(datagram.bytes) : datagram.bytes
        let source = datagram.local.address
        let setSource = socket.wildcard && !source.bytes.allSatisfy { $0 == 0 }
        let sent = Self.sendmsg(socket.fd, bytes: bytes, to: datagram.remote,
                                from: setSource ? source : nil)
        if sent < 0 {
            let err = Errno(errno, "")
            onLog(LogRecord(.warning, "send \(socket.local) -> \(datagram.remote) failed: "
                + err.reason))
            return false
        }
        onLog(LogRecord(.trace, "sent \(bytes.count) octets \(socket.local) -> \(datagram.remote)"))
        return true
    }

    // MARK: - Receiving

    private func drain(_ s: Socket) {
        while let (count, from, to) = receiveOne(s) {
            var bytes = Array(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            let local = Endpoint(address: to ?? s.local.address, port: s.local.port)
            if s.natt {
                switch NATTFraming.classify4500(bytes[...]) {
                case .ike(let ike):
                    bytes = Array(ike)
                case .keepalive:
                    onLog(LogRecord(.trace, "NAT keepalive from \(from)"))
                    continue
                case .esp:
                    // TODO: ESP-in-UDP goes nowhere until the userspace data path exists.
                    onLog(LogRecord(.debug, "dropping \(count)-octet ESP-in-UDP packet from "
                        + "\(from): no ESP data path yet"))
                    continue
                case .malformed:
                    onLog(LogRecord(.debug, "dropping \(count)-octet datagram on the NAT-T port "
                        + "from \(from): neither IKE, ESP nor a keepalive"))
                    continue
                }
            }
            onReceive(Datagram(bytes: bytes, local: local, remote: from))
        }
    }

    /// One datagram: its length, sender and the local address it was sent to.
    private func receiveOne(_ s: Socket) -> (Int, Endpoint, IPAddress?)? {
        var from = sockaddr_storage()
        var to: IPAddress?
        let n: Int = withUnsafeMutablePointer(to: &from) { fromPtr in
            var iov = iovec(iov_base: buffer.baseAddress, iov_len: buffer.count)
            return withUnsafeMutablePointer(to: &iov) { iovPtr in
                var msg = msghdr()
                msg.msg_name = UnsafeMutableRawPointer(fromPtr)
                msg.msg_namelen = socklen_t(MemoryLayout<sockaddr_storage>.size)
                msg.msg_iov = iovPtr
                msg.msg_iovlen = 1
                msg.msg_control = control.baseAddress
                msg.msg_controllen = control.count
                let n = recvmsg(s.fd, &msg, Int32(MSG_DONTWAIT))
                if n >= 0 { to = Self.destination(&msg) }
                return n
            }
        }
        if n < 0 {
            if errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
                onLog(LogRecord(.warning, "receive on \(s.local) failed: \(Errno(errno, "").reason)"))
            }
            return nil
        }
        guard let sender = SocketAddress.endpoint(from) else { return nil }
        if n == buffer.count {
            onLog(LogRecord(.warning, "dropping oversized datagram from \(sender)"))
            return nil
        }
        return (n, sender, to)
    }

    /// The destination address from an IP_PKTINFO / IPV6_PKTINFO control message.
    private static func destination(_ msg: inout msghdr) -> IPAddress? {
        var c = shim_CMSG_FIRSTHDR(&msg)
        while let cmsg = c {
            let data = UnsafeRawPointer(shim_CMSG_DATA(cmsg)!)
            if cmsg.pointee.cmsg_level == Int32(IPPROTO_IP)
                && cmsg.pointee.cmsg_type == Int32(IP_PKTINFO) {
                let info = data.loadUnaligned(as: in_pktinfo.self)
                return IPAddress(bytes: withUnsafeBytes(of: info.ipi_addr) { Array($0) })
            }
            if cmsg.pointee.cmsg_level == Int32(IPPROTO_IPV6)
                && cmsg.pointee.cmsg_type == Int32(IPV6_PKTINFO) {
                let info = data.loadUnaligned(as: shim_in6_pktinfo.self)
                return IPAddress(bytes: withUnsafeBytes(of: info.ipi6_addr) { Array($0) })
            }
            c = shim_CMSG_NXTHDR(&msg, cmsg)
        }
        return nil
    }

    // MARK: - Sending

    private static func sendmsg(_ fd: Int32, bytes: [UInt8], to: Endpoint,
                                from: IPAddress?) -> Int {
        var (dest, destLen) = SocketAddress.make(to)
        let space = shim_CMSG_SPACE(MemoryLayout<shim_in6_pktinfo>.size)
        let ctrl = UnsafeMutableRawBufferPointer.allocate(byteCount: space, alignment: 8)
        defer { ctrl.deallocate() }
        ctrl.initializeMemory(as: UInt8.self, repeating: 0)
        return bytes.withUnsafeBytes { payload in
            withUnsafeMutablePointer(to: &dest) { destPtr in
                var iov = iovec(iov_base: UnsafeMutableRawPointer(mutating: payload.baseAddress),
                                iov_len: payload.count)
                return withUnsafeMutablePointer(to: &iov) { iovPtr in
                    var msg = msghdr()
                    msg.msg_name = UnsafeMutableRawPointer(destPtr)
                    msg.msg_namelen = destLen
                    msg.msg_iov = iovPtr
                    msg.msg_iovlen = 1
                    if let from {
                        msg.msg_control = ctrl.baseAddress
                        msg.msg_controllen = space
                        let c = shim_CMSG_FIRSTHDR(&msg)!
                        let data = UnsafeMutableRawPointer(shim_CMSG_DATA(c)!)
                        if from.isV4 {
                            c.pointee.cmsg_level = Int32(IPPROTO_IP)
                            c.pointee.cmsg_type = Int32(IP_PKTINFO)
                            c.pointee.cmsg_len = shim_CMSG_LEN(MemoryLayout<in_pktinfo>.size)
                            var info = in_pktinfo()
                            withUnsafeMutableBytes(of: &info.ipi_spec_dst) {
                                $0.copyBytes(from: from.bytes)
                            }
                            data.copyMemory(from: &info, byteCount: MemoryLayout<in_pktinfo>.size)
                            msg.msg_controllen = shim_CMSG_SPACE(MemoryLayout<in_pktinfo>.size)
                        } else {
                            c.pointee.cmsg_level = Int32(IPPROTO_IPV6)
                            c.pointee.cmsg_type = Int32(IPV6_PKTINFO)
                            c.pointee.cmsg_len = shim_CMSG_LEN(MemoryLayout<shim_in6_pktinfo>.size)
                            var info = shim_in6_pktinfo()
                            withUnsafeMutableBytes(of: &info.ipi6_addr) {
                                $0.copyBytes(from: from.bytes)
                            }
                            data.copyMemory(from: &info,
                                            byteCount: MemoryLayout<shim_in6_pktinfo>.size)
                        }
                    }
                    return Glibc.sendmsg(fd, &msg, Int32(MSG_DONTWAIT))
                }
            }
        }
    }

    // MARK: - Setup

    private static func open(_ address: IPAddress, port: UInt16, wildcard: Bool,
                             natt: Bool) throws -> Socket {
        let family = address.isV4 ? AF_INET : AF_INET6
        let fd = socket(family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Errno(errno, "cannot open a UDP socket for \(address)") }
        var on: Int32 = 1
        let size = socklen_t(MemoryLayout<Int32>.size)
        let ok: Int32
        if address.isV4 {
            ok = setsockopt(fd, Int32(IPPROTO_IP), IP_PKTINFO, &on, size)
        } else {
            // Separate v4 and v6 sockets, so :: must not also claim the v4 port.
            _ = setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &on, size)
            ok = setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_RECVPKTINFO, &on, size)
        }
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        let endpoint = Endpoint(address: address, port: port)
        guard ok == 0 else {
            let e = Errno(errno, "cannot enable packet info on \(endpoint)")
            Glibc.close(fd)
            throw e
        }
        var (sa, len) = SocketAddress.make(endpoint)
        let rc = withUnsafePointer(to: &sa) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) }
        }
        guard rc == 0 else {
            let code = errno
            Glibc.close(fd)
            var hint = ""
            switch code {
            case EACCES: hint = " — run as root or set ike-port/natt-port above 1024"
            case EADDRINUSE: hint = " — another IKE daemon (charon? iked?) is using the port"
            case EADDRNOTAVAIL: hint = " — the address is not configured on this host ('listen')"
            default: break
            }
            throw Errno(code, "cannot bind \(endpoint)", hint: hint)
        }
        var bound = sockaddr_storage()
        var boundLen = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &boundLen) }
        }
        let actual = SocketAddress.endpoint(bound) ?? endpoint
        return Socket(fd: fd, local: actual, wildcard: wildcard, natt: natt)
    }
}

/// An errno with the operation that failed: "cannot bind 10.99.0.1:500: Permission denied".
struct Errno: Error {
    var code: Int32
    var context: String
    var hint: String = ""

    init(_ code: Int32, _ context: String, hint: String = "") {
        self.code = code
        self.context = context
        self.hint = hint
    }

    var reason: String { String(cString: strerror(code)) }
    var message: String { "\(context): \(reason)\(hint)" }
}

/// Conversions between `Endpoint` and the C socket address structures.
public enum SocketAddress {
    public static func make(_ e: Endpoint) -> (sockaddr_storage, socklen_t) {
        var ss = sockaddr_storage()
        switch e.address {
        case .v4(let b):
            withUnsafeMutablePointer(to: &ss) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                    sin.pointee.sin_family = sa_family_t(AF_INET)
                    sin.pointee.sin_port = e.port.bigEndian
                    withUnsafeMutableBytes(of: &sin.pointee.sin_addr) { $0.copyBytes(from: b) }
                }
            }
            return (ss, socklen_t(MemoryLayout<sockaddr_in>.size))
        case .v6(let b):
            withUnsafeMutablePointer(to: &ss) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
                    sin6.pointee.sin6_family = sa_family_t(AF_INET6)
                    sin6.pointee.sin6_port = e.port.bigEndian
                    withUnsafeMutableBytes(of: &sin6.pointee.sin6_addr) { $0.copyBytes(from: b) }
                }
            }
            return (ss, socklen_t(MemoryLayout<sockaddr_in6>.size))
        }
    }

    public static func endpoint(_ ss: sockaddr_storage) -> Endpoint? {
        var ss = ss
        return withUnsafePointer(to: &ss) { p -> Endpoint? in
            switch Int32(p.pointee.ss_family) {
            case AF_INET:
                return p.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                    let b = withUnsafeBytes(of: sin.pointee.sin_addr) { Array($0) }
                    return Endpoint(address: .v4(b), port: UInt16(bigEndian: sin.pointee.sin_port))
                }
            case AF_INET6:
                return p.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
                    let b = withUnsafeBytes(of: sin6.pointee.sin6_addr) { Array($0) }
                    return Endpoint(address: .v6(b), port: UInt16(bigEndian: sin6.pointee.sin6_port))
                }
            default:
                return nil
            }
        }
    }
}
