/// The version Sonde reports about itself (instrumentation scope, `sonde version`).
public enum SondeVersion {
    public static let string = "0.1.0"
}
