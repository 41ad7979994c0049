package com.sendivent

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonArray
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.put
import java.io.File
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

/** Where the shared vectors and the counts file are (test.sh sets the variables; the defaults are the repository's). */
object Paths {
    private val root: File = File(System.getenv("SENDIVENT_REPO_ROOT") ?: "../..").canonicalFile
    val vectors: File = File(System.getenv("SENDIVENT_VECTORS_DIR") ?: "$root/tests/vectors")
    val counts: File = File(System.getenv("SENDIVENT_VECTOR_COUNTS_DIR") ?: "$root/target/vector-counts")
}

fun parseJson(text: String): JsonElement = Json.parseToJsonElement(text)

/** JSON values compared as values: object key order does not matter, numbers compare by value (`2` equals `2.0`). */
fun jsonEquals(a: JsonElement?, b: JsonElement?): Boolean = when {
    a == null || b == null -> a == null && b == null
    a is JsonNull || b is JsonNull -> a is JsonNull && b is JsonNull
    a is JsonObject && b is JsonObject -> a.keys == b.keys && a.all { (key, value) -> jsonEquals(value, b[key]) }
    a is JsonArray && b is JsonArray -> a.size == b.size && a.indices.all { jsonEquals(a[it], b[it]) }
    a is JsonPrimitive && b is JsonPrimitive -> {
        if (a.isString || b.isString) {
            a.isString == b.isString && a.content == b.content
        } else {
            val x = a.content.toBigDecimalOrNull()
            val y = b.content.toBigDecimalOrNull()
            if (x != null && y != null) x.compareTo(y) == 0 else a.content == b.content
        }
    }
    else -> false
}

val JsonElement.text: String? get() = (this as? JsonPrimitive)?.takeIf { it.isString }?.content

/** The ErrorClass of a class name (`NotFoundError`): its Display is the name. */
fun errorClassNamed(name: String): ErrorClass =
    ErrorClass.entries.firstOrNull { it.toString() == name } ?: error("no ErrorClass named $name")

/** The Kotlin exception class uniffi generates for an error class: `APIError` → `ApiException`. */
fun kotlinExceptionName(className: String): String {
    val words = className.split(Regex("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])"))
    val camel = words.joinToString("") { it.lowercase().replaceFirstChar(Char::uppercase) }
    return camel.removeSuffix("Error") + "Exception"
}

/** Runs [block] and returns the SendiventException it throws (failing when it throws none). */
inline fun raised(block: () -> Unit): SendiventException {
    try {
        block()
    } catch (e: SendiventException) {
        return e
    }
    throw AssertionError("expected a SendiventException, nothing was thrown")
}

/** A failed send's reasons as JSON, `[{code, message}]`. */
fun sendErrorsJson(errors: List<SendError>): JsonArray = buildJsonArray {
    for (e in errors) add(buildJsonObject { put("code", e.code); put("message", e.message) })
}

/** The mock's admin API (`/_mock/...`), over plain HTTP. */
object Mock {
    val url: String = System.getenv("SENDIVENT_BASE_URL")
        ?: throw IllegalStateException("SENDIVENT_BASE_URL is not set: run the suite with bindings-uniffi/test.sh, which starts sendivent-mock")
    private val http: HttpClient = HttpClient.newHttpClient()

    fun get(path: String): JsonElement = send(HttpRequest.newBuilder(URI.create(url + path)).GET())

    fun put(path: String, body: String): JsonElement =
        send(HttpRequest.newBuilder(URI.create(url + path)).header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body)))

    private fun send(request: HttpRequest.Builder): JsonElement {
        val answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString())
        check(answer.statusCode() in 200..299) { "mock admin ${answer.uri()}: ${answer.statusCode()} ${answer.body()}" }
        return parseJson(answer.body())
    }

    fun faults(latencyMs: Int) {
        put("/_mock/faults", """{"latency_ms": $latencyMs}""")
    }
}

fun JsonElement.str(key: String): String? = (this as JsonObject)[key]?.let { if (it is JsonNull) null else it.jsonPrimitive.content }
