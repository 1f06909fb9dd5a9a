import ExamCore
import ExamServer
import ExamTesting
import Foundation
import Logging
import Storage
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct ServerStartTests {
    /// Holds a listening socket on a free loopback port; returns (fd, port).
    static func occupyPort() throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = listen(fd, 1)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    @Test func aTakenPortGivesAClearMessageAndExitStatus3() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let data = DataDirectory(path: directory.file("data"))
        _ = try data.initialise()
        let (fd, port) = try Self.occupyPort()
        defer { close(fd) }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let configuration = ServerConfiguration(port: port, dataDirectory: data, publicDirectory: nil, examsDirectory: RepositoryPaths.exams)
        let error = await #expect(throws: AssayServer.StartError.self) { try await AssayServer.run(configuration, logger: logger) }
        #expect(error?.exitCode == 3)
        #expect(error?.message.contains("port \(port)") == true)
        #expect(error?.message.contains("already in use") == true)
    }

    @Test func invalidStandardsStopTheServerBeforeItListens() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let data = DataDirectory(path: directory.file("data"))
        _ = try data.initialise()
        try "schema: 1\n".write(toFile: directory.file("broken.yaml"), atomically: true, encoding: .utf8)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let configuration = ServerConfiguration(port: 0, dataDirectory: data, publicDirectory: nil, examsDirectory: directory.path)
        let error = await #expect(throws: AssayServer.StartError.self) { try await AssayServer.run(configuration, logger: logger) }
        #expect(error?.exitCode == 2)
        #expect(error?.message.contains("broken.yaml") == true)
    }

    @Test func raisesTheOpenFileLimitToTheHardLimit() {
        var limit = rlimit()
        _ = getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        let wanted = UInt64(limit.rlim_max)
        if limit.rlim_cur > 64 {
            // Lower the soft limit first, so that raising it is observable.
            limit.rlim_cur = 64
            _ = setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        }
        let (before, after) = FileDescriptorLimit.raise(to: wanted)
        #expect(before <= 64)
        #expect(after == wanted)
    }
}
