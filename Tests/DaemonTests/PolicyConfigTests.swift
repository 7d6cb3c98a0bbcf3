import BTNSAuth
@testable import Daemon
import IKEv2
import Testing

/// `policy NAME { ... }` blocks and the lifetime globals.
@Suite("Policy configuration")
struct PolicyConfigTests {
    static let template = """
        connection opp {
            local-auth psk
            remote-auth psk
            psk "0123456789abcdef-0123"
            local-ts 10.0.0.0/8
            remote-ts 10.0.0.0/8
        }
        connection leap {
            local-auth psk
            remote-auth btns
            psk "0123456789abcdef-0123"
            local-ts 10.0.0.0/8
            remote-ts 10.0.0.0/8
        }

        """

    @Test func policiesFormTheSPDInFileOrder() throws {
        let c = try TestSupport.parse(Self.template + """
            policy web {
                action protect
                remote-ts 10.1.0.0/16[tcp/443], 10.2.0.0/16
                connection opp
            }
            policy maybe {
                action bypass-or-protect
                connection leap
                btns yes
            }
            policy rest {
                action bypass
            }
            """)
        #expect(c.spd.entries.map(\.name) == ["web", "maybe", "rest"])
        let web = c.spd.entries[0]
        #expect(web.action == .protect && web.connection == "opp" && !web.btnsOK)
        #expect(web.remoteTS.map(\.displayString) == ["10.1.0.0/16[6/443]", "10.2.0.0/16"])
        #expect(web.localTS == SPDEntry.anyAddress && web.line == 15)
        #expect(c.spd.entries[1].btnsOK && c.spd.entries[1].action == .bypassOrProtect)
        #expect(c.spd.entries[2].connection == nil)
        #expect(c.connections.count == 2)
    }

    @Test func errorsNameTheirLine() {
        let errors = TestSupport.errors(Self.template + """
            policy a {
                action protect
            }
            policy b {
                action protect
                connection nope
            }
            policy c {
                action teleport
                remote-ts 10.0.0.0/24[tcp/x]
            }
            policy d {
                action protect
                connection leap
            }
            policy a {
                action bypass
            }
            policy e {
                connection opp
            }
            """)
        let lines = errors.map { "\($0.line): \($0.message)" }
        #expect(errors.map(\.line) == [15, 20, 23, 24, 28, 30, 33], "\(lines)")
        #expect(lines[0].contains("has action protect but no connection"))
        #expect(lines[1].contains("unknown connection 'nope' (configured: opp, leap)"))
        #expect(lines[2].contains("unknown action 'teleport'"))
        #expect(lines[3].contains("[PROTO/PORT[-PORT]]"))
        #expect(lines[4].contains("remote-auth btns") && lines[4].contains("btns yes"))
        #expect(lines[5].contains("policy 'a' defined twice (first on line 15)"))
        #expect(lines[6].contains("has no action"))
    }

    @Test func aPolicyNamingABrokenConnectionGetsNoSecondError() {
        let errors = TestSupport.errors("""
            connection broken {
                local-auth psk
            }
            policy p {
                action protect
                connection broken
            }
            """)
        #expect(!errors.isEmpty && errors.allSatisfy { $0.line < 4 }, "\(errors)")
    }

    @Test func unusedKeywordsWarn() throws {
        let c = try TestSupport.parse(Self.template + """
            policy p {
                action bypass
                connection opp
                btns yes
            }
            """)
        #expect(c.warnings.map(\.line) == [17, 18])
        #expect(c.spd.entries.first?.connection == nil)
    }

    @Test func lifetimeGlobalsAndTheirDefaults() throws {
        let d = try TestSupport.parse(Self.template).settings
        #expect(d.dpdDelay == 30 && d.ikeRekeyTime == 14_400 && d.childRekeyTime == 3_600)
        #expect(d.maxHalfOpen == 10_000 && d.halfOpenTimeout == 30)
        let s = try TestSupport.parse("""
            dpd-delay 0
            ike-rekey-time 7200
            child-rekey-time 0
            max-half-open 500
            half-open-timeout 12.5
            """ + "\n" + Self.template).settings
        #expect(s.dpdDelay == 0 && s.ikeRekeyTime == 7200 && s.childRekeyTime == 0)
        #expect(s.maxHalfOpen == 500 && s.halfOpenTimeout == 12.5)
        let errors = TestSupport.errors("dpd-delay soon\nmax-half-open 0\nhalf-open-timeout 0\n"
            + "ike-rekey-time 99999999\n")
        #expect(errors.map(\.line) == [1, 2, 3, 4], "\(errors)")
    }
}
