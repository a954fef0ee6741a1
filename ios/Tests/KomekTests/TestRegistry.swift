// A real komek-registry on loopback for the sync tests, run as a process, and
// the supervisor HTTP API (registry/src/api/supervisor.rs) with URLSession.
// Mirrors android/src/test/kotlin/kz/komek/TestRegistry.kt.
//
// Why it exists: the sync tests drive the generated async API against the
// registry binary a district office runs, not a mock. The binary's path comes
// from the KOMEK_REGISTRY_BIN environment variable
// (`cargo build -p komek-registry`, then
// `KOMEK_REGISTRY_BIN=$PWD/../target/debug/komek-registry swift test`); the
// tests are skipped without it. macOS only (Foundation's Process).

import Foundation
import XCTest

final class TestRegistry {
    static let supervisorName = "sup"
    static let password = "password123"

    let url: String
    private let process: Process

    private init(process: Process, url: String) {
        self.process = process
        self.url = url
    }

    static func binary() throws -> String {
        guard let bin = ProcessInfo.processInfo.environment["KOMEK_REGISTRY_BIN"] else {
            throw XCTSkip("set KOMEK_REGISTRY_BIN to the komek-registry binary")
        }
        return bin
    }

    static func start() throws -> TestRegistry {
        let bin = try binary()
        let data = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)

        let add = Process()
        add.executableURL = URL(fileURLWithPath: bin)
        add.arguments = ["add-supervisor", "--data", data.path, "--name", supervisorName]
        let stdin = Pipe()
        add.standardInput = stdin
        try add.run()
        stdin.fileHandleForWriting.write(Data("\(password)\n".utf8))
        try stdin.fileHandleForWriting.close()
        add.waitUntilExit()
        guard add.terminationStatus == 0 else { throw RegistryError.failed("add-supervisor") }

        let serve = Process()
        serve.executableURL = URL(fileURLWithPath: bin)
        serve.arguments = ["serve", "--data", data.path, "--listen", "127.0.0.1:0"]
        let stdout = Pipe()
        serve.standardOutput = stdout
        serve.standardError = FileHandle.nullDevice
        try serve.run()
        // Read until the "listening on URL" line.
        var buffer = Data()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            if let text = String(data: buffer, encoding: .utf8),
               let line = text.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }) {
                return TestRegistry(process: serve, url: String(line.dropFirst("listening on ".count)))
            }
        }
        serve.terminate()
        throw RegistryError.failed("serve")
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }

    func supervisor() async throws -> Supervisor {
        try await Supervisor.login(base: url, name: Self.supervisorName, password: Self.password)
    }
}

enum RegistryError: Error {
    case failed(String)
    case http(Int, String)
}

/// A case as the supervisor's list shows it.
struct RegistryCase {
    let caseId: UUID
    let status: String
    let version: Int
}

final class Supervisor {
    private let base: String
    private let token: String

    private init(base: String, token: String) {
        self.base = base
        self.token = token
    }

    private static func send(_ request: URLRequest) async throws -> Any {
        var r = request
        r.setValue("application/json", forHTTPHeaderField: "content-type")
        let (data, resp) = try await URLSession.shared.data(for: r)
        let status = (resp as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            throw RegistryError.http(status, String(data: data, encoding: .utf8) ?? "")
        }
        return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }

    static func login(base: String, name: String, password: String) async throws -> Supervisor {
        var r = URLRequest(url: URL(string: "\(base)/v1/supervisor/login")!)
        r.httpMethod = "POST"
        r.httpBody = try JSONSerialization.data(withJSONObject: ["name": name, "password": password])
        let answer = try await send(r) as? [String: Any]
        guard let token = answer?["token"] as? String else { throw RegistryError.failed("login") }
        return Supervisor(base: base, token: token)
    }

    private func call(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Any {
        var r = URLRequest(url: URL(string: base + path)!)
        r.httpMethod = method
        r.setValue("Bearer \(token)", forHTTPHeaderField: "authorization")
        if let body { r.httpBody = try JSONSerialization.data(withJSONObject: body) }
        return try await Self.send(r)
    }

    func enrolmentCode() async throws -> String {
        let answer = try await call("POST", "/v1/supervisor/enrolment-codes", [:]) as? [String: Any]
        guard let code = answer?["code"] as? String else { throw RegistryError.failed("enrolment code") }
        return code
    }

    func cases() async throws -> [RegistryCase] {
        let rows = try await call("GET", "/v1/supervisor/cases") as? [[String: Any]] ?? []
        return rows.compactMap { row in
            guard let id = (row["case_id"] as? String).flatMap(UUID.init(uuidString:)),
                  let status = row["status"] as? String,
                  let version = row["version"] as? Int else { return nil }
            return RegistryCase(caseId: id, status: status, version: version)
        }
    }

    /// Publish a rule pack; the registry signs it. Returns its version.
    func publishRules(_ toml: Data) async throws -> String {
        let answer = try await call("POST", "/v1/supervisor/rules", ["toml": toml.base64EncodedString(), "signature": NSNull()]) as? [String: Any]
        guard let version = answer?["version"] as? String else { throw RegistryError.failed("publish") }
        return version
    }

    func approve(_ id: UUID) async throws {
        _ = try await call("POST", "/v1/supervisor/cases/\(id.uuidString.lowercased())/approve", ["comment": NSNull()])
    }

    /// Import an offline bundle (as `komek bundle import` does); returns the signed receipt.
    func importBundle(_ bundle: Data) async throws -> Data {
        var r = URLRequest(url: URL(string: base + "/v1/supervisor/bundles")!)
        r.httpMethod = "POST"
        r.setValue("Bearer \(token)", forHTTPHeaderField: "authorization")
        r.setValue("application/vnd.komek.bundle", forHTTPHeaderField: "content-type")
        r.httpBody = bundle
        let (data, resp) = try await URLSession.shared.data(for: r)
        let status = (resp as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else { throw RegistryError.http(status, "bundle import") }
        return data
    }

    func returnCase(_ id: UUID, comment: String) async throws {
        _ = try await call("POST", "/v1/supervisor/cases/\(id.uuidString.lowercased())/return", ["comment": comment])
    }
}
