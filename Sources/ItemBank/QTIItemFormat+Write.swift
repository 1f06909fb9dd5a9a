import ExamCore
import Foundation

extension QTIItemFormat {
    /// Writes an item as a QTI 3.0 `qti-assessment-item`, or nil for kinds QTI cannot carry
    /// (practical tasks). The export ID is written into the file so a leaked copy can be traced.
    ///
    /// This writes item content in clear: call it only for exports the bank policy allows.
    public static func render(_ draft: ItemDraft, exportID: String) -> String? {
        let content = draft.content
        let id = escape(draft.metadata.id.rawValue)
        var declarations = ""
        var body = ""
        var template = "match_correct"
        let stem = paragraphs(content.stem)
        switch (draft.metadata.type, content.answer) {
        case (.singleChoice, .option?), (.multipleChoice, .options?):
            let correct: [String] = if case .options(let letters)? = content.answer { letters } else if case .option(let single)? = content.answer { [single] } else { [] }
            let cardinality = draft.metadata.type == .singleChoice ? "single" : "multiple"
            declarations = """
                  <qti-response-declaration identifier="RESPONSE" cardinality="\(cardinality)" base-type="identifier">
                    <qti-correct-response>\(correct.map { "<qti-value>\($0)</qti-value>" }.joined())</qti-correct-response>
                  </qti-response-declaration>
                """
            let choices = content.options.keys.sorted().map { "      <qti-simple-choice identifier=\"\($0)\">\(escape(content.options[$0] ?? ""))</qti-simple-choice>" }
            body = """
                \(stem)
                    <qti-choice-interaction response-identifier="RESPONSE" max-choices="\(cardinality == "single" ? 1 : 0)">
                \(choices.joined(separator: "\n"))
                    </qti-choice-interaction>
                """
        case (.trueFalse, .truth(let truth)?):
            declarations = """
                  <qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier">
                    <qti-correct-response><qti-value>\(truth ? "T" : "F")</qti-value></qti-correct-response>
                  </qti-response-declaration>
                """
            body = """
                \(stem)
                    <qti-choice-interaction response-identifier="RESPONSE" max-choices="1">
                      <qti-simple-choice identifier="T">正确</qti-simple-choice>
                      <qti-simple-choice identifier="F">错误</qti-simple-choice>
                    </qti-choice-interaction>
                """
        case (.fillIn, .blanks(let blanks)?):
            template = "map_response"
            declarations = blanks.enumerated().map { index, variants in
                """
                  <qti-response-declaration identifier="BLANK\(index + 1)" cardinality="single" base-type="string">
                    <qti-correct-response><qti-value>\(escape(variants.first ?? ""))</qti-value></qti-correct-response>
                    <qti-mapping default-value="0">\(variants.map { "<qti-map-entry map-key=\"\(escape($0))\" mapped-value=\"1\"/>" }.joined())</qti-mapping>
                  </qti-response-declaration>
                """
            }.joined(separator: "\n")
            var text = escape(content.stem)
            for index in blanks.indices {
                text = text.replacingOccurrences(of: "____(\(index + 1))", with: "<qti-text-entry-interaction response-identifier=\"BLANK\(index + 1)\"/>")
            }
            body = "    <p>\(text)</p>"
        case (.shortAnswer, _):
            declarations = """
                  <qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="string">
                    <qti-correct-response><qti-value>\(escape(content.referenceAnswer ?? ""))</qti-value></qti-correct-response>
                  </qti-response-declaration>
                """
            body = """
                \(stem)
                    <qti-extended-text-interaction response-identifier="RESPONSE"/>
                """
            template = ""
        default:
            return nil
        }
        let processing = template.isEmpty ? "" : "\n  <qti-response-processing template=\"https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/\(template).xml\"/>"
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- Assay export \(escape(exportID)): confidential; this copy is traceable to its export. -->
            <qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="\(id)" title="\(id)" adaptive="false" time-dependent="false">
            \(declarations)
              <qti-outcome-declaration identifier="SCORE" cardinality="single" base-type="float" normal-maximum="\(formatNumber(draft.metadata.points))"/>
              <qti-item-body>
            \(body)
              </qti-item-body>\(processing)
            </qti-assessment-item>

            """
    }

    private static func paragraphs(_ text: String) -> String {
        text.split(separator: "\n").map { "    <p>\(escape(String($0)))</p>" }.joined(separator: "\n")
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    private static func formatNumber(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
