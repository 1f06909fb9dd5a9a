import Accounts
import Audit
import ExamCore
import ExamServer
import ExamTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing

/// Walks every registered route × every role (and anonymous) against the declared allow-list.
/// A new route without an entry in ``AccessPolicy`` fails here.
@Suite struct AccessMatrixTests {
    @Test func everyRegisteredRouteHasADeclaredPolicy() throws {
        let app = try TestApp()
        defer { app.close() }
        let routes = app.router().routes.map { "\($0.method.rawValue) \($0.path)" }
        #expect(!routes.isEmpty)
        for route in routes {
            #expect(AccessPolicy.table[route] != nil, "route \(route) has no entry in AccessPolicy.table")
        }
        // And the table lists no route that does not exist (a stale entry hides a renamed route).
        for entry in AccessPolicy.table.keys {
            #expect(routes.contains(entry), "AccessPolicy.table lists \(entry), which is not registered")
        }
    }

    @Test func everyRouteAllowsExactlyTheDeclaredRoles() async throws {
        let app = try TestApp()
        defer { app.close() }
        var accountIDs: [Role: String] = [:]
        for role in Role.allCases {
            let account = try await app.addAccount("matrix-\(role.rawValue.replacingOccurrences(of: "_", with: "-"))", roles: [role])
            accountIDs[role] = account.id.rawValue
        }
        let tokens = accountIDs
        let router = app.router()
        let routes = router.routes.map { (method: $0.method, path: $0.path.description) }
        try await Application(router: router).test(.router) { client in
            for route in routes {
                let key = "\(route.method.rawValue) \(route.path)"
                let access = try #require(AccessPolicy.table[key])
                let uri = route.path.replacingOccurrences(of: "{id}", with: "no-such-id")
                    .replacingOccurrences(of: "{code}", with: "2-02-10-09")
                let callers: [Role?] = [nil] + Role.allCases.map(Optional.some)
                for role in callers {
                    var headers: HTTPFields = [.contentType: "application/json"]
                    if let role {
                        // A fresh session per call: logout on one call must not affect the next.
                        let token = SessionToken.generate()
                        let now = app.clock.now()
                        try await app.services.store.sessions.create(
                            AuthSession(
                                tokenHash: token.storedHash, accountID: AccountID(rawValue: tokens[role]!), createdAt: now,
                                lastSeenAt: now, expiresAt: now.addingTimeInterval(3600)
                            ),
                            audit: AuditEvent(actor: "test", action: "auth.login", subject: "matrix")
                        )
                        headers[.authorization] = "Bearer \(token.secret)"
                    }
                    let body = route.method == .post ? ByteBuffer(string: "{}") : nil
                    let response = try await client.execute(uri: uri, method: route.method, headers: headers, body: body)
                    let allowed = access.allows(role.map { [$0] })
                    let who = role?.rawValue ?? "anonymous"
                    if allowed {
                        #expect(![401, 403].contains(response.status.code), "\(who) should reach \(key), got \(response.status.code)")
                    } else if role == nil {
                        #expect(response.status == .unauthorized, "anonymous must get 401 on \(key), got \(response.status.code)")
                    } else {
                        #expect(response.status == .forbidden, "\(who) must get 403 on \(key), got \(response.status.code)")
                    }
                }
            }
        }
    }

    @Test func aRouteWithoutAPolicyIsRefusedToEverybody() async throws {
        let app = try TestApp()
        defer { app.close() }
        let account = try await app.addAccount("admin-x", roles: [.bodyAdmin])
        _ = account
        let router = app.router()
        router.get("api/v1/unlisted") { _, _ in "secret" }
        try await Application(router: router).test(.router) { client in
            let token = try await client.login("admin-x", TestApp.password(for: "admin-x"))
            let response = try await client.get("/api/v1/unlisted", token: token)
            #expect(response.status == .forbidden)
            #expect(!String(buffer: response.body).contains("secret"))
        }
    }
}

@Suite struct APIErrorTests {
    @Test func malformedOversizedAndMistypedBodiesGetClearErrors() async throws {
        let app = try TestApp()
        defer { app.close() }
        try await app.application().test(.router) { client in
            let malformed = try await client.post("/api/v1/auth/login", json: #"{"username": "a", "password": "#)
            #expect(malformed.status == .badRequest)
            #expect(malformed.errorCode == "bad_request")
            let wrongShape = try await client.post("/api/v1/auth/login", json: #"{"user":"a"}"#)
            #expect(wrongShape.status == .badRequest)
            let notJSON = try await client.execute(
                uri: "/api/v1/auth/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "username=a&password=b")
            )
            #expect(notJSON.status == .unsupportedMediaType)
            #expect(notJSON.errorCode == "unsupported_media_type")
            let huge = String(repeating: "x", count: 200 * 1024)
            let oversized = try await client.post("/api/v1/auth/login", json: #"{"username":"a","password":"\#(huge)"}"#)
            #expect(oversized.status == .contentTooLarge)
            #expect(oversized.errorCode == "payload_too_large")
            let missing = try await client.get("/api/v1/nothing-here")
            #expect(missing.status == .notFound)
            #expect(missing.errorCode == "not_found")
            #expect(missing.headers[.contentType]?.hasPrefix("application/json") == true)
        }
        #expect(try await app.services.store.audit.count() == 0, "refused requests wrote nothing")
    }

    @Test func badAccountRequestsChangeNothing() async throws {
        let app = try TestApp()
        defer { app.close() }
        try await app.addAccount("boss", roles: [.bodyAdmin])
        try await app.application().test(.router) { client in
            let token = try await client.login("boss", TestApp.password(for: "boss"))
            let auth: HTTPFields = [.authorization: "Bearer \(token)"]
            let cases: [(String, String)] = [
                (#"{"username":"new1","displayName":"新","roles":["wizard"],"password":"long-enough-pass"}"#, "unknown_role"),
                (#"{"username":"new2","displayName":"新","roles":[],"password":"long-enough-pass"}"#, "no_role"),
                (#"{"username":"new3","displayName":"新","roles":["examiner"],"password":"password"}"#, "weak_password"),
                (#"{"username":"x","displayName":"新","roles":["examiner"],"password":"long-enough-pass"}"#, "invalid_username"),
                (#"{"username":"boss","displayName":"新","roles":["examiner"],"password":"long-enough-pass"}"#, "duplicate_username"),
            ]
            for (body, code) in cases {
                let response = try await client.post("/api/v1/users", json: body, headers: auth)
                #expect(response.errorCode == code, "\(body) → \(String(buffer: response.body))")
                #expect([400, 409].contains(response.status.code))
            }
            let created = try await client.post(
                "/api/v1/users", json: #"{"username":"new4","displayName":"李四","roles":["examiner","supervisor"],"password":"long-enough-pass"}"#,
                headers: auth
            )
            #expect(created.status == .created)
            let list = try await client.execute(uri: "/api/v1/users", method: .get, headers: auth)
            let names = (list.json["users"] as? [[String: Any]])?.compactMap { $0["username"] as? String }
            #expect(names == ["boss", "new4"])
        }
    }

    @Test func cookieAuthenticatedChangesFromAnotherSiteAreRefused() async throws {
        let app = try TestApp()
        defer { app.close() }
        let target = try await app.addAccount("victim", roles: [.examiner])
        try await app.addAccount("boss2", roles: [.bodyAdmin])
        try await app.application().test(.router) { client in
            let token = try await client.login("boss2", TestApp.password(for: "boss2"))
            let uri = "/api/v1/users/\(target.id)/disable"
            let cookie: HTTPFields = [.cookie: "assay_session=\(token)", HTTPField.Name("Host")!: "assay.example.cn"]
            var crossSite = cookie
            crossSite[.origin] = "https://evil.example.cn"
            let refused = try await client.execute(uri: uri, method: .post, headers: crossSite)
            #expect(refused.status == .forbidden)
            #expect(refused.errorCode == "cross_site_request")
            var fetchCrossSite = cookie
            fetchCrossSite[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
            #expect(try await client.execute(uri: uri, method: .post, headers: fetchCrossSite).status == .forbidden)
            #expect(try await app.services.store.accounts.account(id: target.id)?.disabled == false, "nothing changed")
            // The same request from the page itself goes through (the live-server test checks Origin too).
            var sameOrigin = cookie
            sameOrigin[HTTPField.Name("Sec-Fetch-Site")!] = "same-origin"
            #expect(try await client.execute(uri: uri, method: .post, headers: sameOrigin).status == .ok)
            // A bearer token is not sent by browsers on their own: no origin check needed.
            let bearer = try await client.execute(
                uri: "/api/v1/users/\(target.id)/enable", method: .post,
                headers: [.authorization: "Bearer \(token)", .origin: "https://elsewhere.example"]
            )
            #expect(bearer.status == .ok)
        }
    }

    @Test func healthAndMetricsAreServed() async throws {
        let app = try TestApp()
        defer { app.close() }
        try await app.application().test(.router) { client in
            let health = try await client.get("/healthz")
            #expect(health.status == .ok)
            #expect(health.json["status"] as? String == "ok")
            let metrics = try await client.get("/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
        }
    }

    @Test func standardsAreListedForAnyLoggedInRole() async throws {
        let app = try TestApp()
        defer { app.close() }
        try await app.addAccount("kaosheng", roles: [.candidate])
        try await app.application().test(.router) { client in
            let token = try await client.login("kaosheng", TestApp.password(for: "kaosheng"))
            let list = try await client.get("/api/v1/exams", token: token)
            let standards = try #require(list.json["standards"] as? [[String: Any]])
            #expect(standards.compactMap { $0["name"] as? String }.contains("人工智能工程技术人员"))
            let one = try await client.get("/api/v1/exams/2-02-10-11", token: token)
            #expect(one.status == .ok)
            #expect(try await client.get("/api/v1/exams/9-99-99-99", token: token).status == .notFound)
        }
    }

    @Test func auditStatusReportsTamperingToSupervisors() async throws {
        let app = try TestApp()
        defer { app.close() }
        try await app.addAccount("dudao", roles: [.supervisor])
        try await app.application().test(.router) { client in
            let token = try await client.login("dudao", TestApp.password(for: "dudao"))
            #expect(try await client.get("/api/v1/audit/status", token: token).json["ok"] as? Bool == true)
            try RawSQLite.execute(app.dataDirectory.databasePath, "UPDATE audit_entry SET actor = 'forged' WHERE seq = 2")
            // The status is recomputed at most every 30 seconds.
            #expect(try await client.get("/api/v1/audit/status", token: token).json["ok"] as? Bool == true)
            app.clock.advance(by: 31)
            let status = try await client.get("/api/v1/audit/status", token: token)
            #expect(status.json["ok"] as? Bool == false)
            #expect((status.json["problem"] as? String)?.hasPrefix("entry 2:") == true)
        }
    }
}
