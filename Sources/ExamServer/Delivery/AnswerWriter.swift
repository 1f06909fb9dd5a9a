import Foundation
import Storage

/// Group commit for live sittings: changes that arrive while a transaction is being written wait
/// and go together in the next one, so a burst of saves costs a few fsyncs, not one each. A caller
/// returns only when its changes are durable (or the write failed).
actor AnswerWriter {
    private let store: Store
    private var pending: [DeliveryChange] = []
    private var waiters: [CheckedContinuation<Void, any Error>] = []
    private var writing = false
    /// Transactions written and changes in them, for metrics and the load report.
    private(set) var batches = 0
    private(set) var changes = 0

    init(store: Store) { self.store = store }

    func write(_ batch: [DeliveryChange]) async throws {
        guard !batch.isEmpty else { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            pending.append(contentsOf: batch)
            waiters.append(continuation)
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = pending
            let done = waiters
            pending = []
            waiters = []
            do {
                try await store.delivery.apply(batch)
                batches += 1
                changes += batch.count
                for waiter in done { waiter.resume() }
            } catch {
                for waiter in done { waiter.resume(throwing: error) }
            }
        }
        writing = false
    }
}
