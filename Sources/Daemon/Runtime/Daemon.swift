/// Placeholder until the runtime lands.
public enum Daemon {
    public static func run(config: DaemonConfig, keylogPath: String?) -> Int32 { 0 }
}
