import Testing
@Test func placeholderIKEv2Tests() {}
