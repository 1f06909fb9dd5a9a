import Delivery
import ExamCore
import Foundation
import Testing

@Suite struct TimeLedgerTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    func ledger(_ entries: [TimeLedger.Entry]) -> TimeLedger {
        TimeLedger(scheduledStart: t0, durationSeconds: 5400, lateEntrySeconds: 900, earliestHandInSeconds: 1800, entries: entries)
    }

    @Test func noDeadlineBeforeTheStartThenStartPlusDuration() {
        #expect(ledger([]).deadline(for: "a", at: at(10)) == nil)
        let started = ledger([.started(at: at(60))])
        #expect(started.deadline(for: "a", at: at(100)) == at(60 + 5400))
        #expect(started.remaining(for: "a", at: at(60 + 5000)) == 400)
        #expect(started.remaining(for: "a", at: at(99_999)) == 0)
        #expect(started.earliestHandIn == at(60 + 1800))
        #expect(started.lateEntryCutoff == at(60 + 900))
    }

    @Test func extensionsApplyToTheirCandidateOrEveryone() {
        let l = ledger([.started(at: at(0)), .extended(seconds: 600, candidate: "a", reason: "设备故障", at: at(100)), .extended(seconds: 60, candidate: nil, reason: "全场", at: at(200))])
        #expect(l.deadline(for: "a", at: at(300)) == at(5400 + 660))
        #expect(l.deadline(for: "b", at: at(300)) == at(5400 + 60))
    }

    @Test func anOpenPauseMovesTheDeadlineWithTheClockAndAClosedOneByItsLength() {
        let open = ledger([.started(at: at(0)), .paused(at: at(1000), candidate: "a", reason: "身份核验")])
        #expect(open.isPaused("a", at: at(1500)) && !open.isPaused("b", at: at(1500)))
        #expect(open.deadline(for: "a", at: at(1500)) == at(5400 + 500))
        #expect(open.deadline(for: "a", at: at(2000)) == at(5400 + 1000))
        #expect(open.remaining(for: "a", at: at(1500)) == open.remaining(for: "a", at: at(2000)), "time stands still while paused")
        var closed = open
        closed.append(.resumed(at: at(1300), candidate: "a"))
        #expect(!closed.isPaused("a", at: at(1500)))
        #expect(closed.deadline(for: "a", at: at(9000)) == at(5400 + 300))
    }

    @Test func downtimeIsGivenBackOnceEvenWhenItOverlapsAPause() {
        let l = ledger([
            .started(at: at(0)), .paused(at: at(1000), candidate: nil, reason: "断电"), .downtime(from: at(1100), to: at(1400)),
            .resumed(at: at(1200), candidate: nil),
        ])
        // Frozen: 1000…1400 (merged), 400 s.
        #expect(l.deadline(for: "a", at: at(9000)) == at(5400 + 400))
    }

    @Test func timeFrozenAfterTheDeadlineGivesNothingBack() {
        let l = ledger([.started(at: at(0)), .downtime(from: at(6000), to: at(6500))])
        #expect(l.deadline(for: "a", at: at(7000)) == at(5400))
        let straddling = ledger([.started(at: at(0)), .downtime(from: at(5300), to: at(5500))])
        #expect(straddling.deadline(for: "a", at: at(7000)) == at(5600))
    }

    @Test func theLedgerRoundTripsAsJSON() throws {
        let l = ledger([.started(at: at(0)), .paused(at: at(10), candidate: "a", reason: "r"), .resumed(at: at(20), candidate: "a"), .downtime(from: at(30), to: at(40))])
        let decoded = try JSONDecoder().decode(TimeLedger.self, from: JSONEncoder().encode(l))
        #expect(decoded == l)
    }
}

@Suite struct AttemptTests {
    @Test func theLastSeqWinsPerItemAndReplaysChangeNothing() throws {
        var attempt = Attempt(candidate: "a", status: .answering)
        #expect(try attempt.save(.choice("A"), item: "Q1", seq: 5) == .applied)
        #expect(try attempt.save(.choice("B"), item: "Q1", seq: 3) == .alreadyCovered)
        #expect(try attempt.save(.choice("A"), item: "Q1", seq: 5) == .alreadyCovered)
        #expect(try attempt.save(.choice("C"), item: "Q2", seq: 4) == .applied, "another item is independent")
        #expect(try attempt.save(nil, item: "Q1", seq: 9) == .applied)
        #expect(attempt.answers["Q1"] == Attempt.Entry(seq: 9, answer: nil))
        #expect(attempt.lastSeq == 9)
    }

    @Test func nothingChangesAfterHandInAndTheReceiptHashesTheAnswers() throws {
        var attempt = Attempt(candidate: "a", status: .answering)
        _ = try attempt.save(.choices(["A", "C"]), item: "Q10", seq: 1)
        _ = try attempt.save(.text("答案"), item: "Q2", seq: 2)
        attempt.handIn(at: Date(timeIntervalSince1970: 0), reason: .candidate, sitting: "S", items: 20)
        #expect(throws: DeliveryError.handedIn) { try attempt.save(.choice("A"), item: "Q1", seq: 3) }
        let receipt = try #require(attempt.receipt)
        #expect(receipt.answered == 2 && receipt.items == 20)
        // Numeric key order: Q2 before Q10.
        let expected = Receipt.digest(["Q2": .text("答案"), "Q10": .choices(["A", "C"])])
        #expect(receipt.sha256 == expected)
        #expect(Answer.choices(["A", "C"]).canonicalJSON == #"{"choices":["A","C"]}"#)
    }
}

@Suite struct ClientMessageTests {
    @Test func wellFormedMessagesParse() throws {
        #expect(try ClientMessage.parse(#"{"type":"save","seq":3,"item":"Q1","answer":{"choice":"B"}}"#) == .save(seq: 3, item: "Q1", answer: .choice("B")))
        #expect(try ClientMessage.parse(#"{"type":"save","seq":4,"item":"Q1","answer":null}"#) == .save(seq: 4, item: "Q1", answer: nil))
        #expect(try ClientMessage.parse(#"{"type":"flag","seq":5,"item":"Q1","flagged":true}"#) == .flag(seq: 5, item: "Q1", flagged: true))
        #expect(try ClientMessage.parse(#"{"type":"handIn","seq":6}"#) == .handIn(seq: 6))
        #expect(try ClientMessage.parse(#"{"type":"event","seq":7,"kind":"copy"}"#) == .event(seq: 7, kind: .copy, detail: nil))
        #expect(try ClientMessage.parse(#"{"type":"ping","t":12.5}"#) == .ping(t: 12.5))
    }

    @Test(arguments: [
        "[]", "nope", #"{"seq":1}"#, #"{"type":"save","item":"Q1","answer":null}"#, #"{"type":"save","seq":-1,"item":"Q1","answer":null}"#,
        #"{"type":"save","seq":1.5,"item":"Q1","answer":null}"#, #"{"type":"save","seq":1,"item":"Q1"}"#,
        #"{"type":"save","seq":1,"item":"Q1","answer":{"choice":"A","text":"x"}}"#, #"{"type":"event","seq":1,"kind":"teleport"}"#,
        #"{"type":"flag","seq":1,"item":"Q1"}"#,
    ])
    func malformedMessagesAreRefused(text: String) {
        #expect(throws: ClientMessage.ParseError.self) { try ClientMessage.parse(text) }
    }

    @Test func anUnknownTypeIsNamed() {
        #expect(throws: ClientMessage.ParseError.unknownType("teleport")) { try ClientMessage.parse(#"{"type":"teleport"}"#) }
    }
}
