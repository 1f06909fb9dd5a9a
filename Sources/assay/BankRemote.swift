import ArgumentParser
import ExamCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Talks to a running server's bank API as a logged-in custodian.
struct BankRemote {
    let base: URL
    let session = URLSession(configuration: .ephemeral)
    var token: String?

    /// Logs in; the token lives only in this process.
    mutating func login(username: String, password: String) async throws {
        let body = try JSONSerialization.data(withJSONObject: ["username": username, "password": password])
        let json = try await call("POST", "api/v1/auth/login", body: body)
        guard let token = json["token"] as? String else { throw ExamError(.internalFailure, code: "bad_response", message: "the server sent no token") }
        self.token = token
    }

    func call(_ method: String, _ path: String, body: Data? = nil) async throws -> [String: Any] {
        var request = URLRequest(url: base.appendingPathComponent(path))
        request.httpMethod = method
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response): (Data, URLResponse)
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            throw ExamError(.unavailable, code: "server_unreachable", message: "cannot reach \(base.absoluteString): is `assay serve` running?")
        }
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            let error = json["error"] as? [String: Any]
            throw ExamError(
                .invalidInput, code: error?["code"] as? String ?? "http_\(status)",
                message: error?["message"] as? String ?? "the server answered \(status)"
            )
        }
        return json
    }

    /// Prints the bank part of a status answer.
    static func describe(_ json: [String: Any]) -> String {
        let bank = json["bank"] as? [String: Any] ?? [:]
        let sealed = bank["sealed"] as? Bool ?? true
        let collected = bank["sharesCollected"] as? Int ?? 0
        let threshold = bank["threshold"] as? Int ?? 0
        return sealed
            ? "The bank is sealed (\(collected) of \(threshold) shares given so far)."
            : "The bank is unsealed: items can be read by those allowed, and every read is recorded."
    }
}

/// Options shared by the commands that act on a running server.
struct RemoteOptions: ParsableArguments {
    @Option(help: "The running server's address.") var url: String = "http://127.0.0.1:8080"
    @Option(help: "Your username (a 题库管理员 account).") var username: String
    @Flag(help: "Read your password from the first line of standard input.") var passwordStdin = false

    func connect() async throws -> (BankRemote, [String]) {
        guard let base = URL(string: url), base.scheme == "http" || base.scheme == "https" else {
            throw ExamError.invalid("bad_url", "--url must be an http(s) address")
        }
        var lines: [String] = []
        while let line = readLine(strippingNewline: true) { lines.append(line) }
        guard passwordStdin, !lines.isEmpty else {
            throw ExamError.invalid("no_password", "give your password on the first line of standard input with --password-stdin")
        }
        var remote = BankRemote(base: base)
        try await remote.login(username: username, password: lines.removeFirst())
        return (remote, lines)
    }
}

extension Bank {
    struct Unseal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give custodians' shares to the running server to unseal its bank (in memory only).",
            discussion: """
                Shares come from --share-file (repeatable) and from the lines of standard input after the
                password. The server unseals once it holds the threshold; shares may also be given one
                custodian at a time. Wrong shares unseal nothing and are all forgotten.
                """
        )
        @OptionGroup var remote: RemoteOptions
        @Option(name: .customLong("share-file"), help: "A file holding one share.") var shareFiles: [String] = []

        func run() async throws {
            try await reportingErrors {
                let (client, lines) = try await remote.connect()
                var shares = lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                for file in shareFiles {
                    guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                        throw ExamError.invalid("no_such_file", "cannot read \(file)")
                    }
                    shares.append(text.trimmingCharacters(in: .whitespacesAndNewlines))
                }
                guard !shares.isEmpty else { throw ExamError.invalid("bad_share", "no share given") }
                let body = try JSONSerialization.data(withJSONObject: ["shares": shares])
                say(BankRemote.describe(try await client.call("POST", "api/v1/bank/unseal", body: body)))
            }
        }
    }

    struct Seal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Seal the running server's bank: its key is dropped from memory.")
        @OptionGroup var remote: RemoteOptions

        func run() async throws {
            try await reportingErrors {
                let (client, _) = try await remote.connect()
                say(BankRemote.describe(try await client.call("POST", "api/v1/bank/seal", body: Data("{}".utf8))))
            }
        }
    }
}
