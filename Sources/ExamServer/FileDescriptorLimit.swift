#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's open-file limit. Thousands of WebSockets need far more than the common default of 1024.
public enum FileDescriptorLimit {
    /// Raises the soft limit towards `wanted` (never above the hard limit).
    /// - Returns: the soft limit before and after.
    @discardableResult
    public static func raise(to wanted: UInt64) -> (before: UInt64, after: UInt64) {
        var limit = rlimit()
        guard getrlimit(resourceLimitNoFile, &limit) == 0 else { return (0, 0) }
        let before = UInt64(limit.rlim_cur)
        let target = min(wanted, UInt64(limit.rlim_max))
        if target > before {
            limit.rlim_cur = rlim_t(target)
            if setrlimit(resourceLimitNoFile, &limit) != 0 { return (before, before) }
        }
        var after = rlimit()
        _ = getrlimit(resourceLimitNoFile, &after)
        return (before, UInt64(after.rlim_cur))
    }

    #if canImport(Glibc)
    private static let resourceLimitNoFile = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resourceLimitNoFile = RLIMIT_NOFILE
    #endif
}
