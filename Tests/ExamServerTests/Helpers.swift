import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

extension TestClientProtocol {
    /// POSTs JSON text with the right content type.
    func post(_ uri: String, json: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        var fields = headers
        fields[.contentType] = "application/json"
        return try await execute(uri: uri, method: .post, headers: fields, body: ByteBuffer(string: json))
    }

    func get(_ uri: String, token: String? = nil) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: token.map { [.authorization: "Bearer \($0)"] } ?? [:])
    }

    /// Logs in and returns the session token.
    func login(_ username: String, _ password: String) async throws -> String {
        let response = try await post("/api/v1/auth/login", json: #"{"username":"\#(username)","password":"\#(password)"}"#)
        guard response.status == .ok, let token = response.json["token"] as? String else {
            throw LoginFailed(status: response.status.code, body: String(buffer: response.body))
        }
        return token
    }
}

struct LoginFailed: Error {
    var status: Int
    var body: String
}

extension TestResponse {
    /// The body as a JSON object (empty if it is not one).
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
    }

    /// `error.code` of the JSON error body.
    var errorCode: String? {
        (json["error"] as? [String: Any])?["code"] as? String
    }

    /// `error.message` of the JSON error body.
    var errorMessage: String? {
        (json["error"] as? [String: Any])?["message"] as? String
    }
}
