import Foundation
@testable import Capture

/// The UDP payload of each frame of a pcap / pcapng capture, for the Wire tests.
///
/// A thin adapter over the `Capture` product's readers and layers (the one pcap reader
/// in the project): file formats, link types, IPv4/IPv6 and UDP are `Capture`'s job.
struct PcapReader {
    struct Frame {
        var number: Int
        var sourcePort: UInt16?
        var destinationPort: UInt16?
        /// Nil when the frame is not UDP or is an IP fragment.
        var udpPayload: [UInt8]?
        var isFragment = false
    }

    enum Failure: Error { case format(String) }

    static func frames(in url: URL) throws -> [Frame] {
        let contents = CaptureFile.read([UInt8](try Data(contentsOf: url)))
        if let problem = contents.problem { throw Failure.format(problem) }
        return contents.packets.map(frame)
    }

    private static func frame(_ packet: CapturedPacket) -> Frame {
        var f = Frame(number: packet.number)
        guard case .success(let network) = LinkLayer.network(linkType: packet.linkType,
                                                             frame: packet.data),
              case .success(let ip) = IPPacket.parse(network)
        else { return f }
        f.isFragment = ip.fragment != nil
        guard !f.isFragment, ip.proto == IPPacket.udp,
              let udp = UDPDatagram.parse(ip.payload)
        else { return f }
        f.sourcePort = udp.sourcePort
        f.destinationPort = udp.destinationPort
        f.udpPayload = udp.truncated ? nil : Array(udp.payload)
        return f
    }
}
