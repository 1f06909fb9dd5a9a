import Audit
import Delivery
import ExamCore
import Foundation
import ItemBank
import PaperAssembly
import Scoring
import Storage

/// Correcting an objective item's key after sittings used it (issue 7 §1): the correction is
/// recorded and audited, then every stored score that holds that item version is recomputed
/// with the rules it was scored under; a score that changes is audited with its old and new
/// value. Nothing else moves: other items, other sittings and the rules stay as they were.
struct KeyCorrectionService: Sendable {
    let runtime: DeliveryRuntime
    var store: Store { runtime.store }

    struct Input: Decodable {
        var version: Int
        /// One of these, by the item's type: single choice, multiple choice, true/false, fill-in.
        var answer: String?
        var answers: [String]?
        var truth: Bool?
        var blanks: [[String]]?
        var reason: String
    }

    struct Rescored: Codable, Sendable {
        var sitting: String
        var candidate: String
        var before: Double
        var after: Double
    }

    /// - Throws: `not_found`, `not_objective`, `bad_key`, `reason_required`.
    func correct(_ item: ItemID, _ input: Input, actor: String) async throws -> [Rescored] {
        guard let stored = try await store.items.version(of: item, version: input.version) else {
            throw ExamError(.notFound, code: "not_found", message: "没有该试题版本 (no such item version)")
        }
        let key = try Self.key(for: stored.summary.metadata.type, input)
        let reason = input.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 200 else { throw ExamError.invalid("reason_required", "请说明更正原因（1–200字）(give a reason)") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(key), as: UTF8.self)
        let now = runtime.clock.now()
        try await store.delivery.recordKeyCorrection(
            item: item.rawValue, version: input.version, answer: json, reason: reason, actor: actor, at: now,
            audit: AuditEvent(actor: actor, action: "scoring.key_corrected", subject: "item:\(item.rawValue)@\(input.version)",
                              payload: ["key": .string(json), "reason": .string(reason)])
        )
        await runtime.scorer.reloadCorrections()
        let corrections = await ScoringQueue.loadCorrections(store)
        var rescored: [Rescored] = []
        for sitting in try await store.delivery.scoredSittings(item: item.rawValue, version: input.version) {
            rescored += try await rescore(sitting, item: item.rawValue, version: input.version, corrections: corrections, actor: actor, at: now)
        }
        return rescored
    }

    private func rescore(
        _ sitting: String, item: String, version: Int, corrections: [String: AnswerKey], actor: String, at now: Date
    ) async throws -> [Rescored] {
        let decoder = JSONDecoder()
        let answers = Dictionary(try await store.delivery.attempts(sitting).map { ($0.candidate, $0.attempt.answers.compactMapValues(\.answer)) },
                                 uniquingKeysWith: { first, _ in first })
        var prepared: [String: ObjectiveScoring.PreparedPaper] = [:]
        var changed: [StoredScore] = []
        var result: [Rescored] = []
        for old in try await store.delivery.scores(sitting) {
            let items = try decoder.decode([ItemScore].self, from: Data(old.items.utf8))
            guard items.contains(where: { $0.item == item && $0.version == version }) else { continue }
            if prepared[old.paperID] == nil {
                prepared[old.paperID] = ObjectiveScoring.PreparedPaper(try await runtime.release(old.paperID, sitting: sitting), corrections: corrections)
            }
            guard let paper = prepared[old.paperID] else { continue }
            let rules = try decoder.decode(ObjectiveScoringRules.self, from: Data(old.rules.utf8))
            let score = ObjectiveScoring.score(
                paper, presentation: Presentation.make(for: paper.package, seed: DeliveredPaper.seed(sitting: sitting, candidate: old.candidate)),
                answers: answers[old.candidate] ?? [:], rules: rules
            )
            changed.append(try ScoringQueue.stored(score, sitting: sitting, candidate: old.candidate, paperID: old.paperID, rules: rules, at: now))
            result.append(Rescored(sitting: sitting, candidate: old.candidate, before: old.objective, after: score.objective))
        }
        try await store.delivery.storeScores(changed)
        for entry in result where entry.before != entry.after {
            try await store.audit.append(AuditEvent(
                actor: actor, action: "scoring.rescored", subject: "sitting:\(sitting)",
                payload: ["candidate": .string(entry.candidate), "item": .string("\(item)@\(version)"), "before": .double(entry.before), "after": .double(entry.after)]
            ))
        }
        return result
    }

    /// The corrected key in the shape of the item's type. - Throws: `not_objective`, `bad_key`.
    static func key(for type: ItemType, _ input: Input) throws -> AnswerKey {
        let letters = Set("ABCDEFGH".map(String.init))
        let bad = { (detail: String) in ExamError.invalid("bad_key", "答案格式不正确：\(detail) (the key does not fit the item)") }
        switch type {
        case .singleChoice:
            guard let letter = input.answer?.uppercased(), letters.contains(letter) else { throw bad("单选题需一个选项字母 answer") }
            return .option(letter)
        case .multipleChoice:
            let chosen = Set((input.answers ?? []).map { $0.uppercased() })
            guard chosen.count >= 2, chosen.isSubset(of: letters) else { throw bad("多选题需至少两个选项字母 answers") }
            return .options(chosen.sorted())
        case .trueFalse:
            guard let truth = input.truth else { throw bad("判断题需 truth") }
            return .truth(truth)
        case .fillIn:
            guard let blanks = input.blanks, !blanks.isEmpty,
                blanks.allSatisfy({ $0.contains { !$0.trimmingCharacters(in: .whitespaces).isEmpty } })
            else { throw bad("填空题每空至少一个可接受答案 blanks") }
            return .blanks(blanks)
        case .shortAnswer, .practicalTask:
            throw ExamError.invalid("not_objective", "只有客观题的答案可以更正 (only objective items have a key)")
        }
    }
}
