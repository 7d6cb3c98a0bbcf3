import Testing
@testable import IKEv2

extension WireTests {
    /// Deterministic mutation loops: decoding arbitrary damage must throw or succeed,
    /// never trap; whatever decodes must re-encode to something that decodes the same.
    @Suite struct MutationTests {
        static let seeds = MessageCodecTests.validMessages + [
            fixture("""
                0102030405060708 1112131415161718 21 20 24 08 00000002 000000b4
                # CREATE_CHILD_SA payloads in the clear (as if decrypted):
                # SA (ESP), Nonce, TSi, TSr, CP, D, N with SPI
                28 00 002c 00 00 0028 01 03 04 03 c1a9656b
                03 00 000c 01 00 0014 800e 0080 03 00 0008 05 00 0000 00 00 0008 04 00 0013
                2c 00 0014 000102030405060708090a0b0c0d0e0f
                2d 00 0018 01 000000 07 00 0010 0000 ffff 0a000000 0a0000ff
                2f 00 0018 01 000000 07 06 0010 0050 0050 0a000100 0a0001ff
                2a 00 0010 01 000000 0001 0000 0003 0000
                29 00 000c 03 04 0001 aaaaaaaa
                00 00 000c 03 04 4009 c1a9656b
                """),
        ]

        /// Decodes `bytes`; if it decodes, checks encode/decode is stable.
        func exercise(_ bytes: [UInt8]) -> Bool {
            guard let m = try? MessageCodec.decode(bytes) else { return false }
            let again = MessageCodec.encode(m)
            #expect((try? MessageCodec.decode(again))?.payloads == m.payloads)
            return true
        }

        @Test func theMutationSeedsAreValid() throws {
            for seed in Self.seeds {
                let m = try MessageCodec.decode(seed)
                #expect(MessageCodec.encode(m) == seed)
            }
        }

        @Test func singleBitFlipsNeverTrap() {
            var decoded = 0
            for seed in Self.seeds {
                for i in 0..<seed.count * 8 {
                    var bytes = seed
                    bytes[i / 8] ^= 1 << UInt8(i % 8)
                    if exercise(bytes) { decoded += 1 }
                }
            }
            #expect(decoded > 0)
        }

        @Test func fourThousandRandomMutationsNeverTrap() {
            var rng = SeededGenerator(seed: 0x1a7c_4b3e)
            var decoded = 0
            for _ in 0..<4000 {
                var bytes = Self.seeds.randomElement(using: &rng) ?? []
                for _ in 0...Int.random(in: 0..<4, using: &rng) {
                    guard !bytes.isEmpty else { break }
                    let i = Int.random(in: 0..<bytes.count, using: &rng)
                    switch Int.random(in: 0..<5, using: &rng) {
                    case 0: bytes[i] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
                    case 1: bytes[i] = UInt8.random(in: 0...255, using: &rng)
                    case 2: bytes.removeSubrange(i...)
                    case 3: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: i)
                    default: bytes.remove(at: i)
                    }
                }
                if Bool.random(using: &rng) { fixLength(&bytes) }
                if exercise(bytes) { decoded += 1 }
            }
            #expect(decoded > 0)
        }

        @Test func randomPayloadChainsNeverTrap() {
            var rng = SeededGenerator(seed: 7)
            for _ in 0..<3000 {
                let n = Int.random(in: 0..<64, using: &rng)
                var chain = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
                // Bias toward plausible headers: a known type and a fitting length.
                if n >= 4, Bool.random(using: &rng) {
                    chain[0] = 0
                    chain[2] = 0
                    chain[3] = UInt8(n)
                }
                let first = PayloadType(rawValue: UInt8.random(in: 33...53, using: &rng))
                _ = try? MessageCodec.decodePayloads(chain[...], firstPayload: first)
            }
        }
    }
}
