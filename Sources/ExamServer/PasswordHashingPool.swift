import ExamCore
import NIOPosix
import Synchronization

/// Runs password hashing off the request threads, on a fixed number of threads, with a bounded queue.
///
/// At most `threads` hashes run at once; when `queueLimit` requests are already running or waiting,
/// new ones are refused with `busy` (503) instead of queueing without bound. Argon2 at m = 19 MiB costs 19 MiB per
/// running hash, so memory is bounded by `threads × m`.
public final class PasswordHashingPool: Sendable {
    private let pool: NIOThreadPool
    private let queueLimit: Int
    private let inFlight = Atomic<Int>(0)
    public let threads: Int

    public init(threads: Int, queueLimit: Int) {
        self.threads = max(1, threads)
        self.queueLimit = max(self.threads, queueLimit)
        self.pool = NIOThreadPool(numberOfThreads: self.threads)
        pool.start()
    }

    /// Runs `work` on a hashing thread.
    /// - Throws: ``ExamError`` `busy` when the queue is full.
    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let waiting = inFlight.add(1, ordering: .relaxed).newValue
        defer { inFlight.subtract(1, ordering: .relaxed) }
        guard waiting <= queueLimit else {
            throw ExamError(.unavailable, code: "busy", message: "the server is busy; try again shortly", retryAfter: 2)
        }
        return try await pool.runIfActive(work)
    }

    public func shutdown() async throws {
        try await pool.shutdownGracefully()
    }

    /// Starts stopping the threads without waiting (for synchronous clean-up paths such as tests).
    public func beginShutdown() {
        pool.shutdownGracefully { _ in }
    }
}
