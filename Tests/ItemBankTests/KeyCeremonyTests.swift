import Crypto
import ExamCore
import Foundation
import Testing

@testable import ItemBank

@Suite struct ShamirTests {
    @Test func anyThresholdSubsetReconstructsAndFewerDoNot() {
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let shares = Shamir.split(secret, count: 5, threshold: 3, using: &generator)
        #expect(shares.count == 5)
        for a in 0..<5 {
            for b in (a + 1)..<5 {
                for c in (b + 1)..<5 {
                    #expect(Shamir.combine([shares[a], shares[b], shares[c]]) == secret)
                }
                #expect(Shamir.combine([shares[a], shares[b]]) != secret, "two of five must not reveal the secret")
            }
        }
        #expect(Shamir.combine(shares) == secret)
    }

    @Test func fieldArithmeticIsConsistent() {
        for a in 1...255 {
            let value = UInt8(a)
            #expect(GF256.multiply(value, GF256.divide(1, value)) == 1)
            #expect(GF256.multiply(value, 1) == value)
        }
        #expect(GF256.multiply(0x57, 0x83) == 0xc1)  // the worked example of FIPS-197 §4.2
    }
}

@Suite struct KeyCeremonyTests {
    @Test func threeOfFiveUnsealAndTwoDoNot() throws {
        let (record, shares, _) = try BankKeyCeremony.create(custodians: 5, threshold: 3)
        #expect(shares.count == 5)
        _ = try BankKeyCeremony.unseal(record, shares: [shares[4], shares[0], shares[2]])
        let error = #expect(throws: ExamError.self) { try BankKeyCeremony.unseal(record, shares: [shares[1], shares[3]]) }
        #expect(error?.code == "too_few_shares")
        #expect(error?.message.contains("3 of the 5") == true)
    }

    @Test func sharesRoundTripAsTextAndTyposAreCaught() throws {
        let (_, shares, _) = try BankKeyCeremony.create(custodians: 3, threshold: 2)
        let text = shares[1].description
        #expect(try CustodianShare(parsing: text) == shares[1])
        #expect(try CustodianShare(parsing: " " + text.uppercased() + "\n") == shares[1])
        var typo = Array(text)
        let position = text.count - 10
        typo[position] = typo[position] == "a" ? "b" : "a"
        let error = #expect(throws: ExamError.self) { try CustodianShare(parsing: String(typo)) }
        #expect(error?.code == "bad_share")
        #expect(throws: ExamError.self) { try CustodianShare(parsing: "not a share") }
    }

    @Test func aShareOfAnotherBankIsNamedAsSuch() throws {
        let (record, shares, _) = try BankKeyCeremony.create(custodians: 5, threshold: 3)
        let (_, foreign, _) = try BankKeyCeremony.create(custodians: 5, threshold: 3)
        let error = #expect(throws: ExamError.self) { try BankKeyCeremony.unseal(record, shares: [shares[0], shares[1], foreign[2]]) }
        #expect(error?.code == "bad_share")
        #expect(error?.message.contains("another bank") == true)
    }

    @Test func aWrongShareOfTheRightBankOpensNothing() throws {
        let (record, shares, _) = try BankKeyCeremony.create(custodians: 5, threshold: 3)
        var y = shares[2].share.y
        y[0] ^= 0x01
        let forged = CustodianShare(bankID: record.bankID, threshold: 3, count: 5, share: Shamir.Share(x: shares[2].share.x, y: y))
        let error = #expect(throws: ExamError.self) { try BankKeyCeremony.unseal(record, shares: [shares[0], shares[1], forged]) }
        #expect(error?.code == "wrong_shares")
        let duplicate = #expect(throws: ExamError.self) { try BankKeyCeremony.unseal(record, shares: [shares[0], shares[0], shares[1]]) }
        #expect(duplicate?.code == "bad_share")
    }

    @Test func badThresholdsAreRefused() {
        #expect(throws: ExamError.self) { try BankKeyCeremony.create(custodians: 1, threshold: 1) }
        #expect(throws: ExamError.self) { try BankKeyCeremony.create(custodians: 3, threshold: 4) }
    }
}

@Suite struct EnvelopeTests {
    static let content = ItemContent(
        stem: "以下哪种方法可以缓解过拟合？（　）CANARY-7f3a", options: ["A": "增加模型参数", "B": "数据增强", "C": "减少训练数据", "D": "提高学习率"],
        answer: .option("B"), explanation: "数据增强增加样本多样性。"
    )

    @Test func sealedContentOpensOnlyForItsItemAndVersion() throws {
        let (_, _, bank) = try BankKeyCeremony.create(custodians: 5, threshold: 3)
        let id = ItemID(rawValue: "AI-2-0001")
        let sealed = try ItemEnvelope.seal(Self.content, id: id, version: 1, to: bank.sealingKey)
        #expect(sealed.ciphertext.range(of: Data("CANARY-7f3a".utf8)) == nil)
        #expect(try ItemEnvelope.open(sealed, id: id, version: 1, with: bank) == Self.content)
        let moved = #expect(throws: ExamError.self) { try ItemEnvelope.open(sealed, id: ItemID(rawValue: "AI-2-0002"), version: 1, with: bank) }
        #expect(moved?.code == "integrity_error")
        #expect(throws: ExamError.self) { try ItemEnvelope.open(sealed, id: id, version: 2, with: bank) }
    }

    @Test func aFlippedByteFailsWithAnIntegrityError() throws {
        let (_, _, bank) = try BankKeyCeremony.create(custodians: 3, threshold: 2)
        let id = ItemID(rawValue: "AI-2-0003")
        let sealed = try ItemEnvelope.seal(Self.content, id: id, version: 1, to: bank.sealingKey)
        for index in [0, 12, sealed.ciphertext.count / 2, sealed.ciphertext.count - 1] {
            var damaged = sealed
            damaged.ciphertext[damaged.ciphertext.startIndex + index] ^= 0x40
            let error = #expect(throws: ExamError.self) { try ItemEnvelope.open(damaged, id: id, version: 1, with: bank) }
            #expect(error?.code == "integrity_error")
        }
        var badKey = sealed
        badKey.wrappedKey[badKey.wrappedKey.startIndex + 20] ^= 0x01
        #expect(throws: ExamError.self) { try ItemEnvelope.open(badKey, id: id, version: 1, with: bank) }
    }

    /// Items are sealed by swift-crypto and opened by the platform's libcrypto: both must agree on
    /// every length, reject short or altered boxes, and work from many threads at once.
    @Test func theLibcryptoOpenAgreesWithSwiftCrypto() async throws {
        let id = ItemID(rawValue: "AI-3-0001")
        let aad = ItemEnvelope.contentAAD(id, 4)
        #expect(aad == Data("assay-item/1|AI-3-0001|4".utf8))
        for length in [0, 1, 15, 16, 17, 1024, 65_537] {
            let key = SymmetricKey(size: .bits256)
            let plaintext = Data((0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
            let box = try AES.GCM.seal(plaintext, using: key, authenticating: aad).combined!
            // A slice that does not start at index 0, as a row read from the database may be.
            let sliced = (Data([0xEE, 0xEE]) + box).dropFirst(2)
            let sealed = SealedItemVersion(ciphertext: sliced, wrappedKey: Data(), encapsulatedKey: Data(), kekVersion: 1)
            #expect(try ItemEnvelope.decrypt(sealed, id: id, version: 4, dataKey: ItemDataKey(key: key)) == plaintext)
            #expect(throws: ExamError.self) { try ItemEnvelope.decrypt(sealed, id: id, version: 5, dataKey: ItemDataKey(key: key)) }
            #expect(throws: ExamError.self) {
                try ItemEnvelope.decrypt(sealed, id: id, version: 4, dataKey: ItemDataKey(key: SymmetricKey(size: .bits256)))
            }
        }
        for length in [0, 12, 27] {
            let short = SealedItemVersion(ciphertext: Data(count: length), wrappedKey: Data(), encapsulatedKey: Data(), kekVersion: 1)
            let error = #expect(throws: ExamError.self) { try ItemEnvelope.decrypt(short, id: id, version: 4, dataKey: ItemDataKey(key: SymmetricKey(size: .bits256))) }
            #expect(error?.code == "integrity_error")
        }
        let (_, _, bank) = try BankKeyCeremony.create(custodians: 3, threshold: 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for round in 0..<50 {
                        let itemID = ItemID(rawValue: "T-\(worker)-\(round)")
                        let content = ItemContent(stem: "第\(worker)组第\(round)题", options: ["A": "\(round)"])
                        let sealed = try ItemEnvelope.seal(content, id: itemID, version: 1, to: bank.sealingKey)
                        #expect(try ItemEnvelope.open(sealed, id: itemID, version: 1, with: bank) == content)
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    @Test func itemsCanBeSealedWhileTheBankIsSealed() throws {
        let (record, shares, _) = try BankKeyCeremony.create(custodians: 5, threshold: 3)
        // Only the stored public record is used to seal…
        let sealed = try ItemEnvelope.seal(Self.content, id: ItemID(rawValue: "AI-1-0009"), version: 1, to: try record.sealingKey())
        // …and the custodians' shares are needed to open.
        let bank = try BankKeyCeremony.unseal(record, shares: Array(shares.prefix(3)))
        #expect(try ItemEnvelope.open(sealed, id: ItemID(rawValue: "AI-1-0009"), version: 1, with: bank) == Self.content)
    }

    @Test func anotherBanksKeyOpensNothing() throws {
        let (_, _, bank) = try BankKeyCeremony.create(custodians: 3, threshold: 2)
        let (_, _, other) = try BankKeyCeremony.create(custodians: 3, threshold: 2)
        let sealed = try ItemEnvelope.seal(Self.content, id: ItemID(rawValue: "X-1"), version: 1, to: bank.sealingKey)
        #expect(throws: ExamError.self) { try ItemEnvelope.open(sealed, id: ItemID(rawValue: "X-1"), version: 1, with: other) }
    }

    @Test func rotationRewrapsKeysWithoutReencryptingItems() throws {
        let (record, shares, bank) = try BankKeyCeremony.create(custodians: 5, threshold: 3)
        #expect(try record.sealingKey().kekVersion == 1)
        let id = ItemID(rawValue: "AI-3-0001")
        let sealed = try ItemEnvelope.seal(Self.content, id: id, version: 4, to: bank.sealingKey)
        let (rotated, newBank) = try BankKeyCeremony.rotate(record, shares: Array(shares.prefix(3)))
        #expect(rotated.kekVersion == 2)
        let rewrapped = try ItemEnvelope.rewrap(sealed, id: id, version: 4, from: bank, to: newBank)
        #expect(rewrapped.ciphertext == sealed.ciphertext, "the item itself is not re-encrypted")
        #expect(try ItemEnvelope.open(rewrapped, id: id, version: 4, with: newBank) == Self.content)
        let stale = #expect(throws: ExamError.self) { try ItemEnvelope.open(sealed, id: id, version: 4, with: newBank) }
        #expect(stale?.code == "stale_key")
        // The same shares unseal the rotated record.
        #expect(try BankKeyCeremony.unseal(rotated, shares: Array(shares.suffix(3))).kekVersion == 2)
    }
}

@Suite struct AnswerNormaliserTests {
    @Test(arguments: [("ＲｅＬＵ", "relu"), ("  梯度下降  ", "梯度下降"), ("Batch   Norm", "batch norm"), ("ＢＰ", "bp"), ("１０", "10")])
    func equatesWidthsCaseAndSpaces(_ given: String, _ expected: String) {
        #expect(AnswerNormaliser.normalise(given) == expected)
    }

    /// The byte-wise path for ASCII gives what NFKC + case folding + space collapsing gives.
    @Test(arguments: ["  ReLU ", "Batch\t\tNorm\n", "CNN", "", "   ", "a-B_c 1.5", "MiXeD   case\r\nlines", "~!@#$%^&*()"])
    func theASCIIShortcutAgreesWithFoundation(_ given: String) {
        let reference = given.precomposedStringWithCompatibilityMapping.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(AnswerNormaliser.normalise(given) == reference)
    }

    @Test func matchesAcceptedVariantsOnly() {
        #expect(AnswerNormaliser.matches("反向传播算法", anyOf: ["反向传播", "反向传播算法"]))
        #expect(!AnswerNormaliser.matches("前向传播", anyOf: ["反向传播"]))
        #expect(!AnswerNormaliser.matches("   ", anyOf: [""]))
    }

    @Test func findsNumberedBlanks() {
        #expect(AnswerNormaliser.blankMarkers(in: "激活函数____(1)与____（2）。") == [1, 2])
        #expect(AnswerNormaliser.blankMarkers(in: "没有空") == [])
    }
}
