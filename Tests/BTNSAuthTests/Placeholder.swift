import Testing
@Test func placeholderBTNSAuthTests() {}
