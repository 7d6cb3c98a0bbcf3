/// NAT_DETECTION_SOURCE_IP / NAT_DETECTION_DESTINATION_IP (RFC 7296 section 2.23):
/// SHA-1(SPIi | SPIr | IP address | port), with SPIr zero in the IKE_SA_INIT request.
enum NATDetection {
    static func hash(spiI: UInt64, spiR: UInt64, endpoint: Endpoint) -> [UInt8] {
        var input = [UInt8]()
        input.reserveCapacity(8 + 8 + 16 + 2)
        input.appendBigEndian(spiI)
        input.appendBigEndian(spiR)
        input += endpoint.address.bytes
        input.appendBigEndian(endpoint.port)
        return Digest.sha1(input)
    }

    /// The two notifies a sender of IKE_SA_INIT includes.
    static func notifies(spiI: UInt64, spiR: UInt64, local: Endpoint, remote: Endpoint)
        -> [Payload]
    {
        [
            .notify(NotifyPayload(type: .natDetectionSourceIP,
                                  data: hash(spiI: spiI, spiR: spiR, endpoint: local))),
            .notify(NotifyPayload(type: .natDetectionDestinationIP,
                                  data: hash(spiI: spiI, spiR: spiR, endpoint: remote))),
        ]
    }

    /// Compares a received message's NAT_D notifies with what the addresses we see give.
    /// Returns nil when the peer sent none (no NAT-T support); otherwise whether a NAT is
    /// in front of us (`localBehindNAT`) or the peer (`peerBehindNAT`).
    static func evaluate(_ message: Message, spiI: UInt64, spiR: UInt64,
                         local: Endpoint, remote: Endpoint)
        -> (localBehindNAT: Bool, peerBehindNAT: Bool)?
    {
        let sources = message.notifies.filter { $0.type == .natDetectionSourceIP }
        guard let destination = message.notify(.natDetectionDestinationIP), !sources.isEmpty else {
            return nil
        }
        let expectedSource = hash(spiI: spiI, spiR: spiR, endpoint: remote)
        let expectedDestination = hash(spiI: spiI, spiR: spiR, endpoint: local)
        let peerBehindNAT = !sources.contains { $0.data == expectedSource }
        // A destination hash over a wildcard local address cannot match; treat it as
        // "we may be behind a NAT", which only costs UDP encapsulation.
        let localBehindNAT = destination.data != expectedDestination
        return (localBehindNAT, peerBehindNAT)
    }
}
