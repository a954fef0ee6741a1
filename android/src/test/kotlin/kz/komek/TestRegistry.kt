package kz.komek

import java.io.BufferedReader
import java.io.InputStreamReader
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.UUID
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit

/**
 * A real `komek-registry` on loopback, run as a process, for the sync tests.
 *
 * Why it exists: the Kotlin tests drive sync through the generated bindings
 * against the same registry binary a district office runs, not a mock. The
 * binary's path comes from the `komek.registry.bin` system property
 * (scripts/kotlin-tests.sh builds it). The supervisor is added before the
 * registry serves (`add-supervisor` reads the password on stdin); the port is
 * read from the `listening on URL` line.
 */
class TestRegistry private constructor(private val process: Process, val url: String, val dataDir: Path) : AutoCloseable {
    companion object {
        const val SUPERVISOR = "sup"
        const val PASSWORD = "password123"

        private fun binary(): String =
            System.getProperty("komek.registry.bin")
                ?: error("set -Dkomek.registry.bin to the komek-registry binary (scripts/kotlin-tests.sh does)")

        fun start(): TestRegistry {
            val data = Files.createTempDirectory("komek-registry")
            val add = ProcessBuilder(binary(), "add-supervisor", "--data", data.toString(), "--name", SUPERVISOR)
                .redirectErrorStream(true)
                .start()
            add.outputStream.use { it.write("$PASSWORD\n".toByteArray()) }
            check(add.waitFor(120, TimeUnit.SECONDS) && add.exitValue() == 0) {
                "add-supervisor failed: " + add.inputStream.bufferedReader().readText()
            }
            val serve = ProcessBuilder(binary(), "serve", "--data", data.toString(), "--listen", "127.0.0.1:0")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start()
            val reader = BufferedReader(InputStreamReader(serve.inputStream))
            val line = CompletableFuture.supplyAsync {
                generateSequence { reader.readLine() }.firstOrNull { it.startsWith("listening on ") }
            }
            val url = try {
                line.get(60, TimeUnit.SECONDS)?.removePrefix("listening on ")?.trim()
            } catch (e: Exception) {
                serve.destroyForcibly()
                throw IllegalStateException("the registry did not start", e)
            } ?: run {
                serve.destroyForcibly()
                error("the registry exited before listening")
            }
            return TestRegistry(serve, url, data)
        }
    }

    /** Stop the registry (its port is dead afterwards) and delete its data. */
    override fun close() {
        process.destroy()
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor()
        dataDir.toFile().deleteRecursively()
    }

    fun supervisor(): Supervisor = Supervisor.login(url, SUPERVISOR, PASSWORD)
}

/** A case as the supervisor's list shows it. */
data class RegistryCase(val caseId: UUID, val status: String, val version: Int)

/**
 * The supervisor HTTP API (registry/src/api/supervisor.rs) with
 * java.net.http. No JSON library is on the test classpath, and the bodies are
 * tiny and flat, so [Json] builds and reads them by hand.
 */
class Supervisor private constructor(private val base: String, private val token: String) {
    companion object {
        private val http: HttpClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()

        fun login(base: String, name: String, password: String): Supervisor {
            val body = Json.obj("name" to name, "password" to password)
            val answer = send(HttpRequest.newBuilder(URI.create("$base/v1/supervisor/login")), "POST", body)
            return Supervisor(base, Json.string(answer, "token") ?: error("no token in the login answer"))
        }

        private fun send(builder: HttpRequest.Builder, method: String, body: String?): String {
            val request = builder
                .timeout(Duration.ofSeconds(60))
                .header("content-type", "application/json")
                .method(method, body?.let { HttpRequest.BodyPublishers.ofString(it) } ?: HttpRequest.BodyPublishers.noBody())
                .build()
            val resp = http.send(request, HttpResponse.BodyHandlers.ofString())
            check(resp.statusCode() in 200..299) { "${request.method()} ${request.uri().path}: HTTP ${resp.statusCode()} ${resp.body()}" }
            return resp.body()
        }
    }

    private fun call(method: String, path: String, body: String? = null): String =
        send(HttpRequest.newBuilder(URI.create(base + path)).header("authorization", "Bearer $token"), method, body)

    /** A one-time enrolment code (`XXXXX-XXXXX`). */
    fun enrolmentCode(): String =
        Json.string(call("POST", "/v1/supervisor/enrolment-codes", "{}"), "code") ?: error("no code in the answer")

    /** The first page of cases (`{"cases": [...], "counts": {...}, "next": ...}`). */
    fun cases(): List<RegistryCase> = Json.objects(casesArray(call("GET", "/v1/supervisor/cases?limit=500"))).map {
        RegistryCase(
            UUID.fromString(Json.string(it, "case_id")),
            Json.string(it, "status") ?: error("no status"),
            Json.number(it, "version")?.toInt() ?: error("no version"),
        )
    }

    /** The `cases` array of a page (a case row holds no array of its own). */
    private fun casesArray(page: String): String {
        val start = page.indexOf("\"cases\":[")
        check(start >= 0) { "no cases in the answer" }
        return page.substring(start, page.indexOf(']', start) + 1)
    }

    fun approve(id: UUID) {
        call("POST", "/v1/supervisor/cases/$id/approve", "{\"comment\":null}")
    }

    /** Publish a rule pack; the registry signs it. Returns its version. */
    fun publishRules(toml: String): String {
        val body = "{\"toml\":" + Json.quote(java.util.Base64.getEncoder().encodeToString(toml.toByteArray())) + ",\"signature\":null}"
        return Json.string(call("POST", "/v1/supervisor/rules", body), "version") ?: error("no version in the answer")
    }

    /** Import an offline bundle (as `komek bundle import` does); returns the signed receipt. */
    fun importBundle(bundle: ByteArray): ByteArray {
        val request = HttpRequest.newBuilder(URI.create("$base/v1/supervisor/bundles"))
            .timeout(Duration.ofSeconds(60))
            .header("authorization", "Bearer $token")
            .header("content-type", "application/vnd.komek.bundle")
            .POST(HttpRequest.BodyPublishers.ofByteArray(bundle))
            .build()
        val resp = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray())
        check(resp.statusCode() == 200) { "bundle import: HTTP ${resp.statusCode()}" }
        return resp.body()
    }

    /** Return a case to the field worker; [comment] says what to fix. */
    fun returnCase(id: UUID, comment: String) {
        call("POST", "/v1/supervisor/cases/$id/return", Json.obj("comment" to comment))
    }
}

/** Just enough JSON for the supervisor API: flat objects of strings and numbers. */
object Json {
    fun quote(s: String): String = buildString {
        append('"')
        for (c in s) when {
            c == '"' -> append("\\\"")
            c == '\\' -> append("\\\\")
            c == '\n' -> append("\\n")
            c < ' ' -> append("\\u%04x".format(c.code))
            else -> append(c)
        }
        append('"')
    }

    fun obj(vararg fields: Pair<String, String>): String =
        fields.joinToString(",", "{", "}") { (k, v) -> quote(k) + ":" + quote(v) }

    /** The string value of [key] in a flat object (no escapes in the values we read). */
    fun string(json: String, key: String): String? =
        Regex("\"" + Regex.escape(key) + "\"\\s*:\\s*\"([^\"\\\\]*)\"").find(json)?.groupValues?.get(1)

    fun number(json: String, key: String): Long? =
        Regex("\"" + Regex.escape(key) + "\"\\s*:\\s*(-?\\d+)").find(json)?.groupValues?.get(1)?.toLong()

    /** The flat objects of a top-level array. */
    fun objects(json: String): List<String> = Regex("\\{[^{}]*\\}").findAll(json).map { it.value }.toList()
}
