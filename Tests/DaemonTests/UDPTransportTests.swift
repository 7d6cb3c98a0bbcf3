import Dispatch
import Foundation
import Glibc
import IKEv2
import Synchronization
import Testing

/// Collects what the transport delivers (callbacks arrive on the transport's queue).
private final class Inbox: Sendable {
    let items = Mutex<[Datagram]>([])
    func add(_ d: Datagram) { items.withLock { $0.append(d) } }

    /// Waits up to 2 s for `count` datagrams.
    func wait(for count: Int) -> [Datagram] {
        for _ in 0..<200 {
            let now = items.withLock { $0 }
            if now.count >= count { return now }
            usleep(10_000)
        }
        return items.withLock { $0 }
    }
}

/// A plain UDP socket standing in for the peer.
private struct Peer {
    let fd: Int32
    let endpoint: Endpoint

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        self.fd = fd
        var (sa, len) = SocketAddress.make(Endpoint(address: IPAddress("127.0.0.1")!, port: 0))
        _ = withUnsafePointer(to: &sa) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) }
        }
        var bound = sockaddr_storage()
        var blen = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &blen) }
        }
        endpoint = try #require(SocketAddress.endpoint(bound))
        var tv = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    func send(_ bytes: [UInt8], to port: UInt16) {
        var (sa, len) = SocketAddress.make(Endpoint(address: IPAddress("127.0.0.1")!, port: port))
        _ = bytes.withUnsafeBytes { b in
            withUnsafePointer(to: &sa) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, b.baseAddress, b.count, 0, $0, len)
                }
            }
        }
    }

    func receive() -> [UInt8]? {
        var buf = [UInt8](repeating: 0, count: 2048)
        let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return n < 0 ? nil : Array(buf[0..<n])
    }
}

@Suite("UDP transport", .serialized)
struct UDPTransportTests {
    @Test func markerClassification() {
        typealias M = NATTFraming
        #expect(M.classify4500([0, 0, 0, 0, 1, 2]) == .ike([1, 2]))
        #expect(M.classify4500([0xFF]) == .keepalive)
        #expect(M.classify4500([0, 0, 0, 1, 9, 9, 9, 9]) == .esp([0, 0, 0, 1, 9, 9, 9, 9]))
        #expect(M.classify4500([0, 0]) == .malformed)
        #expect(M.frameForNATT([5]) == [0, 0, 0, 0, 5])
    }

    /// IKE through the NAT-T port (marker stripped on receipt, added on send), plus
    /// keepalive and ESP ignored, and the IKE port without a marker.
    @Test(arguments: [true, false])
    func exchangeThroughBothPorts(wildcard: Bool) throws {
        let queue = DispatchQueue(label: "transport-test")
        let inbox = Inbox()
        let transport = try UDPTransport(
            addresses: wildcard ? [] : [IPAddress("127.0.0.1")!], ikePort: 0, nattPort: 0,
            queue: queue, onReceive: { inbox.add($0) }, onLog: { _ in })
        transport.start()
        defer { queue.sync { transport.close() } }
        let peer = try Peer()

        peer.send([0xFF], to: transport.nattPort)
        peer.send([0, 0, 0, 7, 1, 1, 1, 1], to: transport.nattPort)
        peer.send([0, 0, 0, 0, 0x21, 0x20], to: transport.nattPort)
        peer.send([0x21, 0x20, 0x22], to: transport.ikePort)
        let got = inbox.wait(for: 2)
        try #require(got.count == 2)
        let natt = got.first { $0.local.port == transport.nattPort }
        let ike = got.first { $0.local.port == transport.ikePort }
        #expect(natt?.bytes == [0x21, 0x20])
        #expect(ike?.bytes == [0x21, 0x20, 0x22])
        // With a wildcard bind the local address comes from IP_PKTINFO.
        #expect(natt?.local.address == IPAddress("127.0.0.1"))
        #expect(natt?.remote == peer.endpoint)

        let local = Endpoint(address: IPAddress("127.0.0.1")!, port: transport.nattPort)
        let sent = queue.sync {
            transport.send(Datagram(bytes: [0x2E, 1], local: local, remote: peer.endpoint))
        }
        #expect(sent)
        #expect(peer.receive() == [0, 0, 0, 0, 0x2E, 1])
        let fromIKE = Endpoint(address: IPAddress("127.0.0.1")!, port: transport.ikePort)
        _ = queue.sync {
            transport.send(Datagram(bytes: [0x2E, 2], local: fromIKE, remote: peer.endpoint))
        }
        #expect(peer.receive() == [0x2E, 2])
    }

    @Test func bindErrorNamesAddressAndCause() {
        do {
            _ = try UDPTransport(addresses: [IPAddress("192.0.2.77")!], ikePort: 0, nattPort: 0,
                                 queue: DispatchQueue(label: "x"), onReceive: { _ in },
                                 onLog: { _ in })
            Issue.record("bind to an address not on this host succeeded")
        } catch {
            #expect(error.message.hasPrefix("cannot bind 192.0.2.77:0: Cannot assign requested address"))
            #expect(error.message.contains("not configured on this host"))
        }
    }
}
