package com.sendivent

import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.boolean
import kotlinx.serialization.json.booleanOrNull
import kotlinx.serialization.json.double
import kotlinx.serialization.json.int
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.long
import kotlinx.serialization.json.longOrNull
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.DynamicContainer
import org.junit.jupiter.api.DynamicNode
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.TestInstance
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicInteger

/**
 * Every case of every file in tests/vectors, through the public Kotlin API (records, exceptions,
 * the client, the verifier), as tests/vectors/README.md specifies each file. A file whose
 * `function` has no runner here fails. Writes the counts to `<counts dir>/kotlin.json`.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VectorsTest {
    private val counts = ConcurrentHashMap<String, AtomicInteger>()
    private val expected = mutableMapOf<String, Int>()

    private val runners: Map<String, (JsonObject) -> Unit> = mapOf(
        "decode_response" to ::decodeResponse,
        "behaviour" to ::behaviour,
        "webhook_replay" to ::webhookReplay,
        "resolve_recipient" to ::resolveRecipient,
        "prepare_send" to ::prepareSend,
        "resolve_identifier" to ::resolveIdentifier,
        "validate_email" to { case -> expectValue(case) { JsonPrimitive(validateEmail(case.getValue("input").text!!)) } },
        "validate_phone" to { case -> expectValue(case) { JsonPrimitive(validatePhone(case.getValue("input").text!!)) } },
        "webhook_verify" to ::webhookVerify,
        "webhook_sign" to ::webhookSign,
    )

    @TestFactory
    fun sharedVectors(): List<DynamicNode> {
        val files = Paths.vectors.listFiles { f -> f.name.endsWith(".json") }?.sortedBy { it.name }
            ?: error("no vectors in ${Paths.vectors}")
        check(files.isNotEmpty()) { "no vectors in ${Paths.vectors}" }
        return files.map { file ->
            val doc = parseJson(file.readText()).jsonObject
            val function = doc.getValue("function").text!!
            val cases = doc.getValue("cases").jsonArray
            expected[file.name] = cases.size
            val runner = runners[function]
            if (runner == null) {
                DynamicTest.dynamicTest("${file.name}: no runner for `$function`") {
                    throw AssertionError("${file.name}: the Kotlin runner does not know the function `$function`")
                }
            } else {
                DynamicContainer.dynamicContainer(file.name, cases.map { case ->
                    val obj = case.jsonObject
                    DynamicTest.dynamicTest(obj.getValue("name").text!!) {
                        runner(obj)
                        counts.computeIfAbsent(file.name) { AtomicInteger() }.incrementAndGet()
                    }
                })
            }
        }
    }

    @AfterAll
    fun writeCounts() {
        val ran = expected.keys.sorted().associateWith { counts[it]?.get() ?: 0 }
        val json = ran.entries.joinToString(",\n", "{\n", "\n}\n") { (file, n) -> "  \"$file\": $n" }
        Paths.counts.mkdirs()
        Paths.counts.resolve("kotlin.json").writeText(json)
        println("kotlin vector counts (${Paths.counts.resolve("kotlin.json")}):")
        ran.forEach { (file, n) -> println("  $file: $n of ${expected[file]}") }
    }

    // --- expectations -------------------------------------------------------------------------

    /** Runs [call]; `expect.ok` must equal its value (as JSON), `expect.error.code` its error's code. */
    private fun expectValue(case: JsonObject, call: () -> JsonElement) {
        val expect = case.getValue("expect").jsonObject
        val error = expect["error"]
        if (error != null) {
            val e = raised { call() }
            assertEq(error.jsonObject.getValue("code").text, e.code(), "code")
        } else {
            val got = try {
                call()
            } catch (e: SendiventException) {
                throw AssertionError("expected ${expect["ok"]}, raised ${e.javaClass.simpleName}: ${e.message}")
            }
            if (!jsonEquals(expect.getValue("ok"), got)) throw AssertionError("expected ${expect["ok"]}\n     got $got")
        }
    }

    private fun assertEq(expected: Any?, actual: Any?, what: String) {
        if (expected != actual) throw AssertionError("$what: expected $expected, got $actual")
    }

    // --- decoding.json ----------------------------------------------------------------------

    private fun decodeResponse(case: JsonObject) {
        val input = case.getValue("input").jsonObject
        // The body as the file writes it (key order kept): the order of a send's delivery keys matters.
        val body = input.getValue("body").toString().toByteArray()
        expectValue(case) {
            val decoded = testingDecodeResponse(input.getValue("kind").text!!, body)
            parseJson(testingEncodeResponse(decoded))
        }
    }

    // --- behaviour.json -----------------------------------------------------------------------

    private fun behaviour(case: JsonObject) {
        when (val check = case.getValue("check").text) {
            "error_mapping" -> errorMapping(case)
            "option_bounds" -> optionBounds(case)
            "header_options" -> headerOptions(case)
            "redaction" -> redaction(case)
            "path_params" -> pathParams(case)
            else -> throw AssertionError("unknown behaviour check `$check`")
        }
    }

    private fun headerList(value: JsonElement?): List<Header> = when (value) {
        null, is JsonNull -> emptyList()
        is JsonArray -> value.map { pair -> pair.jsonArray.let { Header(it[0].text!!, it[1].text!!) } }
        is JsonObject -> value.map { (name, v) -> Header(name, v.text!!) }
        else -> throw AssertionError("headers must be pairs or an object: $value")
    }

    private fun errorMapping(case: JsonObject) {
        val input = case.getValue("input").jsonObject
        val e = when (val origin = input.getValue("origin").text) {
            "answer" -> raised {
                val body = input.getValue("body").let { it.text ?: it.toString() }
                testingRaiseFromAnswer(
                    input.getValue("status").jsonPrimitive.int.toUShort(),
                    headerList(input["headers"]),
                    body.toByteArray(),
                    input["send"]?.jsonPrimitive?.boolean ?: false,
                )
            }
            "sdk" -> raised { testingRaiseFromCode(input.getValue("code").text!!, input["message"]?.text ?: "") }
            else -> throw AssertionError("unknown origin $origin")
        }
        val ok = case.getValue("expect").jsonObject.getValue("ok").jsonObject
        val details = e.details()
        for ((key, want) in ok) {
            when (key) {
                "code" -> assertEq(want.text, e.code(), "code")
                "class" -> {
                    val name = want.text!!
                    assertEq(name, details.`class`, "details.class")
                    assertEq(name, e.errorClass().toString(), "errorClass()")
                    assertEq(kotlinExceptionName(name), e.javaClass.simpleName, "exception class")
                }
                "classes" -> {
                    val names = want.jsonArray.map { it.text!! }.toSet()
                    names.forEach { if (!e.isA(errorClassNamed(it))) throw AssertionError("not isA($it)") }
                    val all = ErrorClass.entries.filter { e.isA(it) }.map { it.toString() }.toSet()
                    assertEq(names, all, "every class isA holds for")
                }
                "status" -> assertEq((want as? JsonPrimitive)?.longOrNull, details.status, "status")
                "retryable" -> assertEq(want.jsonPrimitive.boolean, details.retryable, "retryable")
                "message" -> assertEq(want.text, details.message, "message")
                "retry_after" -> {
                    val expected = (want as? JsonPrimitive)?.takeUnless { it is JsonNull }?.double
                    assertEq(expected, details.retryAfter, "retry_after")
                }
                "errors" -> if (!jsonEquals(want, sendErrorsJson(details.errors))) {
                    throw AssertionError("errors: expected $want, got ${sendErrorsJson(details.errors)}")
                }
                "reason" -> assertEq(want.text, details.reason, "reason")
                else -> throw AssertionError("unknown expectation `$key`")
            }
        }
    }

    private fun offlineClient(options: ClientOptions = ClientOptions()): Client = Client(
        options.copy(apiKey = options.apiKey ?: "test_kotlin_vectors_0123456789", baseUrl = "http://127.0.0.1:9", maxRetries = options.maxRetries ?: 0),
    )

    private fun optionBounds(case: JsonObject) {
        val input = case.getValue("input").jsonObject
        val option = input.getValue("option").text!!
        val value = input.getValue("value").jsonPrimitive
        val number = value.double
        // Integer options take a Long: a value with a fraction cannot be written in Kotlin at all.
        fun count(): Long {
            if (number != Math.floor(number)) throw AssertionError("$option = $number is not a whole number")
            return number.toLong()
        }
        val call: () -> Unit = when (val scope = input.getValue("scope").text) {
            "client" -> {
                val options = when (option) {
                    "timeout" -> ClientOptions(timeout = number)
                    "max_retries" -> ClientOptions(maxRetries = count())
                    "rate_limit" -> ClientOptions(rateLimit = RateLimitOption.PerSecond(number))
                    "max_response_bytes" -> ClientOptions(maxResponseBytes = count())
                    else -> throw AssertionError("no client option $option")
                }
                val call = { offlineClient(options).close() }
                call
            }
            "request" -> {
                val options = when (option) {
                    "timeout" -> RequestOptions(timeout = number)
                    "max_retries" -> RequestOptions(maxRetries = count())
                    else -> throw AssertionError("no request option $option")
                }
                val call = { offlineClient().use { it.withOptions(options).close() } }
                call
            }
            "verify" -> {
                if (option != "tolerance") throw AssertionError("no verify option $option")
                val call = {
                    val secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
                    val body = """{"event":"delivery.sent"}""".toByteArray()
                    val headers = webhookSignHeaders(secret, "msg_bounds", 1_700_000_000, body)
                    Verifier(listOf(secret)).use { it.verify(body, headers, VerifyOptions(tolerance = number, now = 1_700_000_000)) }
                    Unit
                }
                call
            }
            "send_many" -> {
                if (option != "concurrency") throw AssertionError("no send_many option $option")
                val call = { offlineClient().use { it.sendManyBlocking(emptyList(), concurrency = count()) }; Unit }
                call
            }
            else -> throw AssertionError("unknown scope $scope")
        }
        expectAcceptedOrRefused(case, call)
    }

    /** Runs `call`: it must succeed when the case expects `ok`, else throw the expected code. */
    private fun expectAcceptedOrRefused(case: JsonObject, call: () -> Unit) {
        val expect = case.getValue("expect").jsonObject
        if (expect["error"] != null) {
            assertEq(expect.getValue("error").jsonObject.getValue("code").text, raised(call).code(), "code")
        } else {
            call()
        }
    }

    /** The headers as the client's default headers, or as one call's extra headers; an accepted header reaches the closed port. */
    private fun headerOptions(case: JsonObject) {
        val input = case.getValue("input").jsonObject
        val headers = headerList(input["headers"])
        val call: () -> Unit = when (val scope = input.getValue("scope").text) {
            "client" -> { { offlineClient(ClientOptions(defaultHeaders = headers)).close() } }
            "request" -> {
                {
                    offlineClient().use { client ->
                        try {
                            client.events().use { it.listBlocking(RequestOptions(extraHeaders = headers)) }
                        } catch (e: SendiventException) {
                            if (e.code() != "CONNECTION_ERROR") throw e
                        }
                    }
                }
            }
            else -> throw AssertionError("unknown header scope $scope")
        }
        expectAcceptedOrRefused(case, call)
    }

    private fun redaction(case: JsonObject) {
        val input = case.getValue("input").jsonObject
        val secret = input.getValue("secret").text!!
        val shown = case.getValue("expect").jsonObject.getValue("ok").jsonObject.getValue("shown").text!!
        val outputs: List<String> = when (val kind = input.getValue("kind").text) {
            "api_key" -> {
                val options = ClientOptions(apiKey = secret, baseUrl = "http://127.0.0.1:9")
                Client(options).use { client -> listOf(client.toString(), "$client", options.toString(), "$options") }
            }
            "webhook_secret" -> {
                val config = WebhookConfig(
                    uuid = "7d0b3c1e-5f6a-4b2c-9d8e-0f1a2b3c4d5e", url = "https://example.com/hooks",
                    enabledEvents = listOf(WebhookEventType.DELIVERY_SENT), description = null, isActive = true,
                    signingSecret = secret, createdAt = null,
                )
                listOf(config.toString(), "$config", listOf(config).toString())
            }
            else -> throw AssertionError("unknown redaction kind $kind")
        }
        for (out in outputs) {
            if (secret in out) throw AssertionError("the secret shows in: $out")
            if (shown !in out) throw AssertionError("`$shown` does not show in: $out")
        }
    }

    private fun pathParams(case: JsonObject) {
        val input = case.getValue("input").jsonObject
        val args = input.getValue("args").jsonObject.mapValues { it.value.text!! }
        fun arg(name: String) = args[name] ?: throw AssertionError("no argument $name")
        val e = offlineClient().use { client ->
            raised {
                when (val op = input.getValue("operation").text) {
                    "send" -> client.sendBlocking(arg("event"), SendRequest(to = Recipients.of("ada@example.com")), channel = args["channel"])
                    "contacts.get" -> client.contacts().getBlocking(arg("identifier"))
                    "contacts.update" -> client.contacts().updateBlocking(arg("identifier"), ContactInput(name = "Ada"))
                    "contacts.delete" -> client.contacts().deleteBlocking(arg("identifier"))
                    "contacts.add_push_token" -> client.contacts().addPushTokenBlocking(arg("identifier"), PushToken("t"))
                    "contacts.remove_push_token" -> client.contacts().removePushTokenBlocking(arg("identifier"), PushToken("t"))
                    "events.get" -> client.events().getBlocking(arg("identifier"))
                    "deliveries.trace" -> client.deliveries().traceBlocking(arg("uuid"))
                    "webhooks.update" -> client.webhooks().updateBlocking(arg("uuid"), UpdateWebhook(isActive = false))
                    "webhooks.delete" -> client.webhooks().deleteBlocking(arg("uuid"))
                    else -> throw AssertionError("no path-parameter runner for $op")
                }
            }
        }
        assertEq(case.getValue("expect").jsonObject.getValue("error").jsonObject.getValue("code").text, e.code(), "code")
    }

    // --- replay.json --------------------------------------------------------------------------

    private fun webhookReplay(case: JsonObject) {
        val input = case.getValue("input").jsonObject
        val secrets = input.getValue("secrets").jsonArray.map { it.text!! }
        val body = input.getValue("body").text!!
        Verifier(secrets).use { verifier ->
            ReplayGuard.inMemory().use { guard ->
                for ((i, stepElement) in input.getValue("steps").jsonArray.withIndex()) {
                    val step = stepElement.jsonObject
                    val tampered = step["tamper"]?.jsonPrimitive?.booleanOrNull == true
                    val bytes = (if (tampered) "$body " else body).toByteArray()
                    val options = VerifyOptions(
                        now = step.getValue("now").jsonPrimitive.long,
                        skipTimestampCheck = step["skip_timestamp_check"]?.jsonPrimitive?.booleanOrNull ?: false,
                    )
                    val stepCase = JsonObject(mapOf("expect" to step.getValue("expect")))
                    try {
                        expectValue(stepCase) {
                            val verified = verifier.verifyOnce(bytes, headerList(step["headers"]), guard, options)
                            JsonObject(mapOf(
                                "secret_index" to JsonPrimitive(verified.secretIndex.toLong()),
                                "secret_fingerprint" to JsonPrimitive(verified.secretFingerprint),
                            ))
                        }
                    } catch (e: AssertionError) {
                        throw AssertionError("step ${i + 1}: ${e.message}")
                    }
                }
            }
        }
        assertEq(JsonPrimitive(true), case.getValue("expect").jsonObject["ok"], "case expectation")
    }

    // --- identifiers.json, recipients.json -----------------------------------------------------

    private fun identifierJson(id: ResolvedIdentifier): JsonElement =
        JsonObject(mapOf("kind" to JsonPrimitive(id.kind), "value" to JsonPrimitive(id.value)))

    private fun resolveIdentifier(case: JsonObject) =
        expectValue(case) { identifierJson(resolveIdentifier(case.getValue("input").text!!)) }

    private fun resolveRecipient(case: JsonObject) {
        val input = case.getValue("input").jsonObject
        expectValue(case) { identifierJson(resolveIdentifier(input.getValue("value").text!!, input["channel"]?.text)) }
    }

    // --- send_requests.json: the typed records a caller would write ---------------------------

    private val contactKeys = setOf("email", "phone", "name", "externalId", "avatar", "username", "slack", "telegram", "discord", "meta")

    private fun stringField(obj: JsonObject, key: String): String? = when (val v = obj[key]) {
        null, is JsonNull -> null
        else -> v.text ?: throw AssertionError("`$key` is not a string: $v (not representable in ContactInput)")
    }

    private fun contactOf(obj: JsonObject): ContactInput = ContactInput(
        email = stringField(obj, "email"),
        phone = stringField(obj, "phone"),
        name = stringField(obj, "name"),
        externalId = stringField(obj, "externalId"),
        avatar = stringField(obj, "avatar"),
        username = stringField(obj, "username"),
        slack = stringField(obj, "slack"),
        telegram = stringField(obj, "telegram"),
        discord = stringField(obj, "discord"),
        meta = (obj["meta"] as? JsonObject)?.mapValues { it.value.toString() },
        extra = obj.filterKeys { it !in contactKeys }.mapValues { it.value.toString() },
    )

    private fun recipientOf(value: JsonElement): Recipient = when (value) {
        is JsonObject -> Recipient.Contact(contactOf(value))
        else -> Recipient.Text(value.text ?: throw AssertionError("a recipient that is neither a string nor a contact: $value"))
    }

    private fun sendRequestOf(body: JsonObject): SendRequest {
        val known = setOf("to", "payload", "language", "from", "overrides")
        body.keys.firstOrNull { it !in known }?.let { throw AssertionError("a send body field SendRequest does not have: $it") }
        return SendRequest(
            to = when (val to = body["to"]) {
                null, is JsonNull -> null
                is JsonArray -> Recipients.Many(to.map(::recipientOf))
                else -> Recipients.One(recipientOf(to))
            },
            payload = body["payload"]?.toString(),
            language = stringField(body, "language"),
            from = when (val from = body["from"]) {
                null, is JsonNull -> null
                is JsonObject -> Sender.Contact(contactOf(from))
                else -> Sender.Text(from.text!!)
            },
            overrides = (body["overrides"] as? JsonObject)?.mapValues { it.value.toString() },
        )
    }

    private fun prepareSend(case: JsonObject) {
        val input = case.getValue("input").jsonObject
        expectValue(case) {
            parseJson(testingPrepareSend(sendRequestOf(input.getValue("body").jsonObject), input["channel"]?.text))
        }
    }

    // --- webhooks.json, webhook_sign.json -----------------------------------------------------

    private fun webhookVerify(case: JsonObject) {
        val input = case.getValue("input").jsonObject
        val body = input.getValue("body").text!!.toByteArray()
        val headers = headerList(input["headers"])
        val options = VerifyOptions(
            tolerance = input["tolerance_seconds"]?.jsonPrimitive?.double,
            now = case.getValue("now").jsonPrimitive.long,
            skipTimestampCheck = input["skip_timestamp_check"]?.jsonPrimitive?.booleanOrNull ?: false,
        )
        val parse = input["parse_event"]?.jsonPrimitive?.booleanOrNull ?: false
        val secret = input["secret"]?.text
        fun eventJson(event: WebhookEvent) = parseJson(testingEncodeResponse(DecodedResponse.DecodedWebhookEvent(event)))
        expectValue(case) {
            if (secret != null) {
                // One secret: the one-call functions.
                if (parse) eventJson(webhookVerifyEvent(body, headers, secret, options))
                else webhookVerify(body, headers, secret, options).let { JsonPrimitive(true) }
            } else {
                val secrets = input.getValue("secrets").jsonArray.map { it.text!! }
                Verifier(secrets).use { verifier ->
                    if (parse) eventJson(verifier.verifyEvent(body, headers, options))
                    else verifier.verify(body, headers, options).let { JsonPrimitive(true) }
                }
            }
        }
    }

    private fun webhookSign(case: JsonObject) {
        val input = case.getValue("input").jsonObject
        expectValue(case) {
            JsonPrimitive(
                webhookSign(
                    input.getValue("secret").text!!,
                    input.getValue("id").text!!,
                    input.getValue("timestamp").jsonPrimitive.long,
                    input.getValue("body").text!!.toByteArray(),
                ),
            )
        }
    }
}
