import Documents
import ExamCore
import Foundation
import Testing

@Suite struct EvidenceFileTests {
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8) + [0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0])
    static let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 16] + Array("JFIF".utf8) + [0])
    static let pdf = Data("%PDF-1.7\n%âãÏÓ\n".utf8)

    @Test(arguments: [
        (png, EvidenceType.png), (jpeg, .jpeg), (pdf, .pdf),
    ])
    func signaturesAreRecognised(data: Data, type: EvidenceType) {
        #expect(EvidenceType.sniff(data) == type)
    }

    @Test(arguments: [
        Data("GIF89a........".utf8), Data("<html>%PDF-</html>".utf8), Data([0xFF, 0xD8]), Data(png.prefix(8)), Data("PK\u{3}\u{4}".utf8), Data(),
    ])
    func otherContentIsNothing(data: Data) {
        #expect(EvidenceType.sniff(data) == nil)
    }

    @Test func theContentDecidesNotTheName() throws {
        #expect(try EvidenceCheck.check(Self.png, kind: .photo, declared: "image/PNG; charset=binary") == .png)
        #expect(try EvidenceCheck.check(Self.jpeg, kind: .photo, declared: "image/jpg") == .jpeg)
        #expect(try EvidenceCheck.check(Self.pdf, kind: .certificate, declared: "application/octet-stream") == .pdf)
        #expect(try EvidenceCheck.check(Self.pdf, kind: .certificate, declared: nil) == .pdf)
        #expect(throws: ExamError.self) { try EvidenceCheck.check(Self.pdf, kind: .photo, declared: "application/pdf") }
        #expect(throws: ExamError.self) { try EvidenceCheck.check(Self.png, kind: .education, declared: "application/pdf") }
        #expect(throws: ExamError.self) { try EvidenceCheck.check(Data(), kind: .education, declared: nil) }
    }

    @Test func sizeLimitsAreInclusive() throws {
        let atLimit = Self.png + Data(count: EvidenceKind.photo.maximumBytes - Self.png.count)
        #expect(try EvidenceCheck.check(atLimit, kind: .photo, declared: "image/png") == .png)
        #expect(throws: ExamError.self) { try EvidenceCheck.check(atLimit + Data([0]), kind: .photo, declared: "image/png") }
        #expect(try EvidenceCheck.check(atLimit + Data([0]), kind: .education, declared: "image/png") == .png)
    }

    @Test func sealedFilesOpenOnlyAsTheRecordTheyWereSealedFor() throws {
        let (key, raw) = PersonalDataKey.generate()
        let sealed = try key.seal(Self.pdf, id: "EVD-1", owner: "alice")
        #expect(!sealed.box.contains(Self.pdf))
        #expect(try key.open(sealed, id: "EVD-1", owner: "alice") == Self.pdf)
        #expect(try PersonalDataKey(rawRepresentation: raw).open(sealed, id: "EVD-1", owner: "alice") == Self.pdf)
        #expect(throws: ExamError.self) { try key.open(sealed, id: "EVD-2", owner: "alice") }
        #expect(throws: ExamError.self) { try key.open(sealed, id: "EVD-1", owner: "mallory") }
        #expect(throws: ExamError.self) { try PersonalDataKey.generate().key.open(sealed, id: "EVD-1", owner: "alice") }
        var tampered = sealed
        tampered.box[tampered.box.count - 1] ^= 1
        #expect(throws: ExamError.self) { try key.open(tampered, id: "EVD-1", owner: "alice") }
    }
}
