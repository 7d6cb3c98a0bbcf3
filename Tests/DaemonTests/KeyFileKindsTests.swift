import Foundation
import Testing
@testable import Daemon

/// Key files `local-key` and `remote-key` accept: Ed25519, ECDSA P-256/P-384 and RSA of at
/// least 2048 bits, as PKCS#8 or traditional PEM (docs/configuration.md).
@Suite("Accepted key files")
struct KeyFileKindsTests {
    static let rsa1024Traditional = """
        -----BEGIN RSA PRIVATE KEY-----
        MIICXAIBAAKBgQDo7IHDHEkj2Ra6eSTeizYJpp3NcmI3ML/2dAxdTRwPnzaoI39x
        C/KghN29B9QUj7MRamyuqKBxrWx8KGl2N5c5d2MHCXYPAYjsBxk8aogjK/QaP8mA
        LulabgWoK5Vz1xT1KOUoPKUDwIeHdrcsHljyyLjw9cT+5JbayBQZmgNk3wIDAQAB
        AoGAdN9XLQNgX7BqCx8GNPQ9JRKJU7D1PyQi7hLEsXwjfGMzFaLaK2sHTyvb5yGq
        dLa17yMrbWgHOYL/UD0mzb6PDb1xhPsUDt4MxsqOKhv5KTPWikFhSfYq0PfKdOHG
        9me+40BDZsA/pMu1hcCDfjGNm1HyPa/LP8L351Udj65MPCECQQD9x2hhnZ/1/f9i
        C7GcEnhbTnX7ZWUdPB/w+Ywe+rQPJ02bVfaGdmBhta/4VRv1crFSDBfVgeEBwHy+
        X8GANGUjAkEA6vZfj9QfD8/EkrRCY8/GzUkz2m0MSCpK4Pqye85ItmrwBZUeUHYI
        lGSnhcjdlKUC2FE84cncqYL8/5u01gyTFQJBAMtyYBjZn5I6hNDaJRHEsN4qAWV/
        vNb6C3VI6W8wdscrMAkWmiLjpZLPb/n6aQaVYtguv7C3hWW9JYQNCfg4iNcCQBRm
        U6GvLws2ZMC/+cukrIQCSQg704codNvXqEtre5Cq9C/n5Hvj45bOrmTFLcfME9Uo
        KHsKBaiKAOFIaYj0CokCQA4GmuJ/tRM7zhhvhaVDjjO4Wvd5WsaC0l1jJR+A5Wns
        tBkAFEwwiL3/cnWIYFYsp8cuRxyllBIm7My3/MmPmxw=
        -----END RSA PRIVATE KEY-----
        """
    static let rsa1024Public = """
        -----BEGIN PUBLIC KEY-----
        MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDo7IHDHEkj2Ra6eSTeizYJpp3N
        cmI3ML/2dAxdTRwPnzaoI39xC/KghN29B9QUj7MRamyuqKBxrWx8KGl2N5c5d2MH
        CXYPAYjsBxk8aogjK/QaP8mALulabgWoK5Vz1xT1KOUoPKUDwIeHdrcsHljyyLjw
        9cT+5JbayBQZmgNk3wIDAQAB
        -----END PUBLIC KEY-----
        """
    static let rsa2048PKCS8 = """
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDKtA5FDGKkhQYu
        h6fJ6DbZ8v+QzBam9IOZLUGdv49el+DyPR/vL2MAAgdaZy3TMBKnKt2w7lAtfGN4
        p0kp/Ylkz0AYTkuofGnZsHC/QVG83v8rcarPfdTcuPIsVc9K+wIOslvJ4qBfNNe1
        q9OvRy0sDBv5EwDjm78NGfEaBj7VQgNzrSFHmLu2rG27+pO8a2vdLYzDeMkZyMV2
        qkjHL6S/IInJsvJR7ps2N9GIHeoysPMUVBH7Dr5VcfCF0KZ6oT+wSjTVWvqJyACP
        tmolTE9/A7Waus4CogUaKI0QxI8Nr0sn1VNNue9abL/V47rm2/jHHgJKQmSs1JhD
        ub+jWAmLAgMBAAECggEARHCBxud1IMY3PZuY18+bQYBNsKZv2YQCMMQ6fNgSQKZ4
        EWH498mgm/6TW/8tVjpLefy7qEL2eD0g2rpkthRAAPUG144L9oG3PYRYtQKJZgNG
        1XTF7tO1/KZHQhfg6xiP68Vlv2bQrgSJ9nFjAjG+ezpFcZXsfWz3FyXUpWxJZ7gN
        01XWMUu1XGIIQDpEoCU3LFA6JrpMJu1D6AG4NOJrbRub7LLV0gOTuocLZjqBDTNC
        U2HTzOk4MP00H40izxBsJWgBNBOQDQmaGV4eCesRmqfCEbCJB83ci9S6D4gjCkay
        25vDc9GRoTS4gvI/B01/wEFURq9G0mdE2WgzjKBnuQKBgQDpDUgefjtjYtcpPjI+
        xRIBEho/dvQxbcrSkX2ycUue9wdNzGwRPfSAmDYJNY+S07f08YRtOgtssDyBGyYF
        sQhaFAtByA3m5u3ZobEmPH5BwdLaodncHV/DnpF56iKowhRk1CcDLlBjOhIMFG6m
        K2bWk1G+dBdxkigt/CEFEnttcwKBgQDeqcFJk+L5fiSu/VnzZbvkN/p/bGjK9L2k
        iHk8vdVxEEX49X/RP0a8fmzkXn8lxV55AB5mSdlKzjM08rxq4jy6QCKTDIFotb46
        WuEolQ8l7YjpoBU/SlLk6hpUdmUPv8r95s51JjtuxB0oHLUTsjyKq5jkHiJTGrIR
        0w7tW23tiQKBgB6oFZ2VQ2CuhtkxClEBgX3MkNFaZ4L9C1ops1w+1RDDNB3Cz1Bx
        UvF7lFgfyJQq7570ClSH9yrEACGHnbfP8uZOjrCHjXSbWhxvzarW+FDUG1WRRuRS
        pN9Jw59C8m46oY4l7j/X3tE+uVMHeQq42N1PIcio4tCYxlpOOVW+eagLAoGBAN46
        bNhDilhaBsDDyX/8fG+FUzTT/S763z+UmfP+v0Vt6XhVhbFQxwef4ox2p84J04VO
        kgijEgTwEfl5foXqsJNvKVK8O3hHU8moJGq9gnXnQityA2K8iklAQPEljS4PzMhm
        EI6pjs25XCRJqowy6uu34gti6/0neqwBizdodimJAoGAcYMpnsczGk/uUkznmnVO
        2vYMfpNUD+xirREyc1212eo5qIdd69ue+Nnbs81M1wn5ZL5/dtcLrwSqKirNFrgH
        TH330Lf3z9x36JkpjifLcoXTO/8sm5Z3sX6K0sau9XBLmlRmobRZJPFVKWoImDZ/
        uiHjVinGqkn8L5EHA3DemXk=
        -----END PRIVATE KEY-----
        """
    static let rsa2048Public = """
        -----BEGIN PUBLIC KEY-----
        MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAyrQORQxipIUGLoenyeg2
        2fL/kMwWpvSDmS1Bnb+PXpfg8j0f7y9jAAIHWmct0zASpyrdsO5QLXxjeKdJKf2J
        ZM9AGE5LqHxp2bBwv0FRvN7/K3Gqz33U3LjyLFXPSvsCDrJbyeKgXzTXtavTr0ct
        LAwb+RMA45u/DRnxGgY+1UIDc60hR5i7tqxtu/qTvGtr3S2Mw3jJGcjFdqpIxy+k
        vyCJybLyUe6bNjfRiB3qMrDzFFQR+w6+VXHwhdCmeqE/sEo01Vr6icgAj7ZqJUxP
        fwO1mrrOAqIFGiiNEMSPDa9LJ9VTTbnvWmy/1eO65tv4xx4CSkJkrNSYQ7m/o1gJ
        iwIDAQAB
        -----END PUBLIC KEY-----
        """
    static let p384Traditional = """
        -----BEGIN EC PRIVATE KEY-----
        MIGkAgEBBDD/uuA/5IXvcOePVIGXnNaQmLpDM6DKseFUHluY+FG45FzageoBcam4
        SDNZzjoZGdWgBwYFK4EEACKhZANiAATjw8HXf8g4xl2p18mQ4fvrg24zICbSnhKS
        GNQbtAFJLEvv2DF3ELeju1xsbrcZ2NHCwc1KsdsJnL+OA3CsuK5ZgGveBirGIMo6
        00b/BlK2DJCrp2wjdV/ZirpnDSAZ/Wg=
        -----END EC PRIVATE KEY-----
        """

    /// Errors of a connection using `local` as local-key and `remote` as remote-key.
    func errors(local: String, remote: String) -> [String] {
        let dir = NSTemporaryDirectory() + "latchkey-kk-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        FileManager.default.createFile(atPath: dir + "/local.key", contents: Data(local.utf8),
                                       attributes: [.posixPermissions: 0o600])
        FileManager.default.createFile(atPath: dir + "/remote.pub", contents: Data(remote.utf8))
        let text = """
            connection k {
                local-auth pubkey
                local-key local.key
                remote-auth pubkey
                remote-key remote.pub
                local-ts 10.0.0.1/32
                remote-ts 10.0.0.2/32
            }
            """
        do {
            _ = try DaemonConfig.parse(text: text, file: "k.conf", baseDirectory: dir)
            return []
        } catch {
            return error.errors.map { "\($0.line): \($0.message)" }
        }
    }

    @Test func rsa2048AndP384TraditionalAreAccepted() {
        #expect(errors(local: Self.rsa2048PKCS8, remote: Self.rsa2048Public) == [])
        #expect(errors(local: Self.p384Traditional, remote: Self.rsa2048Public) == [])
    }

    @Test func shortRSAKeysAreRefused() {
        let errs = errors(local: Self.rsa1024Traditional, remote: Self.rsa1024Public)
        #expect(errs.count == 2, "\(errs)")
        #expect(errs.first?.hasPrefix("3: local-key: ") == true, "\(errs)")
        #expect(errs.allSatisfy { $0.contains("is a 1024-bit RSA key; RSA keys must have at "
            + "least 2048 bits") }, "\(errs)")
        #expect(errs.last?.hasPrefix("5: remote-key: ") == true, "\(errs)")
    }

    @Test func modulusBits() throws {
        let pub2048 = try Keys.privateKey(pem: Self.rsa2048PKCS8).publicKey
        #expect(KeyFiles.rsaModulusBits(spki: pub2048.spkiDER) == 2048)
        let pub1024 = try Keys.privateKey(pem: Self.rsa1024Traditional).publicKey
        #expect(KeyFiles.rsaModulusBits(spki: pub1024.spkiDER) == 1024)
        #expect(KeyFiles.rsaModulusBits(spki: [0x30, 0x03, 0x02, 0x01]) == nil)
    }

    @Test func wrongKindsSayWhatIsAccepted() {
        let errs = errors(local: Self.rsa2048Public, remote: Self.rsa1024Traditional)
        #expect(errs.contains { $0.hasPrefix("3: local-key: ") && $0.contains("is a public key") },
                "\(errs)")
        #expect(errs.contains { $0.hasPrefix("5: remote-key: ") && $0.contains("is a private key") },
                "\(errs)")
    }
}
