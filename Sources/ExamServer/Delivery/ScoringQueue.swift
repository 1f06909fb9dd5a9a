import Delivery
import ExamCore
import Foundation
import ItemBank
import Logging
import PaperAssembly
import Scoring
import Storage

/// Scores hand-ins right after they are durable, off the hand-in's own path: the candidate's
/// receipt never waits for scoring. Jobs are taken in batches, scored and written in one
/// transaction. A score is derived data: a hand-in whose score was lost (a crash in between) is
/// scored again when its sitting is next loaded (``DeliveryRuntime``).
actor ScoringQueue {
    struct Job: Sendable {
        var sitting: String
        var candidate: String
        var paperID: String
        /// The paper and the candidate's presentation seed (the presentation is rebuilt here, off the sitting's actor).
        var package: PaperPackage
        var seed: UInt64
        var answers: [String: Answer]
        var rules: ObjectiveScoringRules
    }

    private let store: Store
    private let clock: any WallClock
    private let logger: Logger
    private var jobs: [Job] = []
    /// Keys prepared per paper (a sitting's hand-ins share a handful of papers).
    private var papers: [String: ObjectiveScoring.PreparedPaper] = [:]

    /// Corrected keys ("id@version" → key), loaded once and replaced when a key is corrected.
    private var corrections: [String: AnswerKey]?

    /// Forgets the prepared papers and reloads the corrected keys (after a correction).
    func reloadCorrections() async {
        corrections = await Self.loadCorrections(store)
        papers.removeAll()
    }

    static func loadCorrections(_ store: Store) async -> [String: AnswerKey] {
        let decoder = JSONDecoder()
        return ((try? await store.delivery.keyCorrections()) ?? [:]).compactMapValues { try? decoder.decode(AnswerKey.self, from: Data($0.utf8)) }
    }

    private func prepared(_ job: Job) -> ObjectiveScoring.PreparedPaper {
        if let found = papers[job.paperID] { return found }
        let made = ObjectiveScoring.PreparedPaper(job.package, corrections: corrections ?? [:])
        if papers.count > 64 { papers.removeAll() }
        papers[job.paperID] = made
        return made
    }
    private var running = false

    init(store: Store, clock: any WallClock, logger: Logger) {
        self.store = store
        self.clock = clock
        self.logger = logger
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// A score as the database row holds it (items and rules as JSON).
    static func stored(_ score: AttemptScore, sitting: String, candidate: String, paperID: String, rules: ObjectiveScoringRules, at now: Date) throws -> StoredScore {
        StoredScore(
            sitting: sitting, candidate: candidate, paperID: paperID, objective: score.objective, objectiveMaximum: score.objectiveMaximum,
            maximum: score.maximum, pending: score.pending, items: String(decoding: try encoder.encode(score.items), as: UTF8.self),
            rules: String(decoding: try encoder.encode(rules), as: UTF8.self), scoredAt: now
        )
    }

    nonisolated func submit(_ jobs: [Job]) {
        guard !jobs.isEmpty else { return }
        Task { await self.enqueue(jobs) }
    }

    func enqueue(_ more: [Job]) {
        jobs += more
        guard !running else { return }
        running = true
        Task { await self.drain() }
    }

    /// Scores and writes everything queued, batch after batch, until the queue is empty.
    private func drain() async {
        if corrections == nil { corrections = await Self.loadCorrections(store) }
        while !jobs.isEmpty {
            let batch = jobs
            jobs = []
            let now = clock.now()
            let scores = batch.compactMap { job -> StoredScore? in
                let score = ObjectiveScoring.score(
                    prepared(job), presentation: Presentation.make(for: job.package, seed: job.seed), answers: job.answers, rules: job.rules
                )
                return try? Self.stored(score, sitting: job.sitting, candidate: job.candidate, paperID: job.paperID, rules: job.rules, at: now)
            }
            do {
                try await store.delivery.storeScores(scores)
            } catch {
                // Left unscored: the next load of the sitting scores them again.
                logger.error("scores not written", metadata: ["count": "\(scores.count)", "error": "\(error)"])
            }
        }
        running = false
    }

    /// Waits until everything submitted so far is written (for tests and shutdown).
    func idle() async {
        while running || !jobs.isEmpty { try? await Task.sleep(for: .milliseconds(10)) }
    }
}
