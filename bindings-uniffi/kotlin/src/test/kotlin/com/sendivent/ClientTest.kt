package com.sendivent

import com.sun.net.httpserver.HttpServer
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeoutOrNull
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows
import java.net.InetSocketAddress
import java.util.UUID
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit

/** The client end to end against sendivent-mock (SENDIVENT_BASE_URL, started by test.sh). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientTest {
    private val run = UUID.randomUUID().toString().take(8)
    private val client = Client(ClientOptions(apiKey = "test_kotlin_e2e_0123456789", baseUrl = Mock.url))

    @AfterAll
    fun close() = client.close()

    @Test
    fun `send returns deliveries and the response metadata`(): Unit = runBlocking {
        val sent = client.send(
            "order.confirmed",
            SendRequest(to = Recipients.of("ada-$run@example.com"), payload = """{"order_id": 1042, "total": "€99"}"""),
        )
        assertTrue(sent.success)
        assertEquals(listOf(Channel.EMAIL), sent.deliveries.map { it.channel }, "order.confirmed to an email address")
        val meta = sent.lastResponse ?: throw AssertionError("no lastResponse")
        assertEquals(200L, meta.status)
        assertTrue(meta.requestId!!.startsWith("req_"))
        assertEquals(1L, meta.attempts)
        assertEquals(meta.requestId, meta.headers["x-request-id"])
        assertNotNull(meta.idempotencyKey, "every send carries an idempotency key")
    }

    @Test
    fun `a send repeated with its idempotency key is replayed, not sent twice`(): Unit = runBlocking {
        val once = client.withOptions(RequestOptions(idempotencyKey = "kotlin-replay-$run"))
        val body = SendRequest(to = Recipients.of("grace-$run@example.com"), payload = "{}")
        val first = once.send("invoice.due", body)
        val second = once.send("invoice.due", body)
        assertFalse(first.lastResponse!!.idempotentReplay)
        assertTrue(second.lastResponse!!.idempotentReplay)
        assertEquals(first.deliveries, second.deliveries)
        val sends = Mock.get("/_mock/state").jsonObject.getValue("sends").jsonArray
            .filter { it.str("idempotency_key") == "kotlin-replay-$run" }
        assertEquals(1, sends.size, "the mock handled the send once")
    }

    @Test
    fun `contacts CRUD with custom fields, push tokens and the errors of a deleted contact`(): Unit = runBlocking {
        val contacts = client.contacts()
        val email = "crud-$run@example.com"
        val created = contacts.create(ContactInput(email = email, name = "Kotlin", extra = mapOf("plan" to "\"pro\"")))
        assertEquals(email, created.email)
        assertEquals("\"pro\"", created.meta["plan"], "unknown fields land in meta")
        assertEquals(created.uuid, contacts.get(email).uuid)
        val updated = contacts.update(created.uuid, ContactInput(name = "Kotlin Updated", phone = "+46 70-987 65 ${run.hashCode().mod(90) + 10}"))
        assertEquals("Kotlin Updated", updated.name)
        assertTrue(updated.phone!!.startsWith("+4670987"))
        assertTrue(contacts.addPushToken(email, PushToken("ExponentPushToken[$run]")).success)
        assertEquals(listOf("ExponentPushToken[$run]"), contacts.get(email).pushTokens)
        assertTrue(contacts.removePushToken(email, PushToken("ExponentPushToken[$run]")).success)
        val deleted = contacts.delete(email)
        assertTrue(deleted.deleted)
        val e = assertThrows<SendiventException.NotFoundException> { contacts.get(email) }
        assertEquals("NOT_FOUND", e.code())
        assertEquals(404L, e.details.status)
        assertTrue(e.isA(ErrorClass.API_ERROR) && e.isA(ErrorClass.SENDIVENT_ERROR))
        assertFalse(e.isA(ErrorClass.VALIDATION_ERROR))
        assertNotNull(e.details.requestId)
        assertTrue(e.message!!.contains("NOT_FOUND"), e.message)
        val conflict = contacts.create(ContactInput(email = "conflict-$run@example.com"))
        val again = assertThrows<SendiventException.ConflictException> { contacts.create(ContactInput(email = conflict.email)) }
        assertEquals(409L, again.details.status)
    }

    @Test
    fun `pagination walks every page as a Flow and as a Sequence`(): Unit = runBlocking {
        val prefix = "page-$run"
        for (i in 1..7) client.contacts().create(ContactInput(email = "$prefix-$i@example.com"))
        val params = ContactListParams(limit = 3, search = prefix)
        val flow = client.contacts().listAllFlow(params).toList()
        assertEquals((1..7).map { "$prefix-$it@example.com" }.toSet(), flow.map { it.email }.toSet())
        assertEquals(7, flow.map { it.uuid }.toSet().size, "no item twice")
        val sequence = client.contacts().listAllSequence(params).toList()
        assertEquals(flow.map { it.uuid }, sequence.map { it.uuid })
        val page = client.contacts().list(params)
        assertEquals(7L, page.total)
        assertEquals(3, page.contacts.size)
        val paginator = client.contacts().listAll(params)
        var seen = 0
        while (paginator.nextBlocking() != null) seen++
        paginator.close()
        assertEquals(7, seen)
        // A page size out of the API's range is refused before anything is sent, when the flow is collected.
        val e = assertThrows<SendiventException.ValidationException> {
            client.contacts().listAllFlow(ContactListParams(limit = 1000)).take(1).toList()
        }
        assertEquals("VALIDATION_ERROR" to null, e.code() to e.details.status)
    }

    @Test
    fun `errors carry codes, classes and statuses`() {
        val revoked = Client(ClientOptions(apiKey = "test_revoked_1234", baseUrl = Mock.url, maxRetries = 0))
        val e401 = assertThrows<SendiventException.AuthenticationException> { revoked.events().listBlocking() }
        assertEquals("UNAUTHORIZED" to 401L, e401.code() to e401.details.status)
        revoked.close()
        val inactive = Client(ClientOptions(apiKey = "test_inactive_1234", baseUrl = Mock.url, maxRetries = 0))
        val e403 = assertThrows<SendiventException.PermissionDeniedException> { inactive.events().listBlocking() }
        assertEquals("FORBIDDEN" to 403L, e403.code() to e403.details.status)
        inactive.close()

        // A formatted number without its country code is a phone, refused before sending.
        val phone = assertThrows<SendiventException.InvalidPhoneException> {
            client.sendBlocking("otp.requested", SendRequest(to = Recipients.of("070-123 45 67")))
        }
        assertEquals("INVALID_PHONE", phone.code())
        assertNull(phone.details.status, "refused before sending")
        assertTrue(phone.isA(ErrorClass.VALIDATION_ERROR))

        val unknown = assertThrows<SendiventException.SendFailedException> {
            client.sendBlocking("no.such.event", SendRequest(to = Recipients.of("ada@example.com")))
        }
        assertEquals("SEND_FAILED", unknown.code())
        assertEquals(404L, unknown.details.status)
        assertEquals("EVENT_NOT_FOUND", unknown.details.errors.single().code)

        val missing = assertThrows<SendiventException.ConfigurationException> {
            Client(ClientOptions(apiKey = "sk_not_a_key", baseUrl = Mock.url))
        }
        assertEquals("INVALID_API_KEY", missing.code())
        val insecure = assertThrows<SendiventException.ConfigurationException> {
            Client(ClientOptions(apiKey = "test_x_0123456789", baseUrl = "http://example.com"))
        }
        assertEquals("INSECURE_BASE_URL", insecure.code())
        val bounds = assertThrows<SendiventException.ValidationException> {
            Client(ClientOptions(apiKey = "test_x_0123456789", baseUrl = Mock.url, timeout = Double.NaN))
        }
        assertEquals("INVALID_ARGUMENT", bounds.code())
        val notJson = assertThrows<SendiventException.ValidationException> {
            client.sendBlocking("invoice.due", SendRequest(to = Recipients.of("ada@example.com"), payload = "{not json"))
        }
        assertEquals("INVALID_ARGUMENT", notJson.code())
    }

    @Test
    fun `50 concurrent coroutine sends, none duplicated`(): Unit = runBlocking {
        val keys = (1..50).map { "kotlin-concurrent-$run-$it" }
        val results = coroutineScope {
            keys.mapIndexed { i, key ->
                async {
                    client.send(
                        "invoice.due",
                        SendRequest(to = Recipients.of("c$i-$run@example.com"), payload = """{"n": $i}"""),
                        options = RequestOptions(idempotencyKey = key),
                    )
                }
            }.awaitAll()
        }
        assertEquals(50, results.size)
        val uuids = results.flatMap { r -> r.deliveries.map { it.uuid } }
        assertEquals(50, uuids.toSet().size, "one delivery per send, all different")
        assertEquals(keys.toSet(), results.map { it.lastResponse!!.idempotencyKey }.toSet())
        val handled = Mock.get("/_mock/state").jsonObject.getValue("sends").jsonArray
            .mapNotNull { it.str("idempotency_key") }.filter { it in keys }
        assertEquals(keys.sorted(), handled.sorted(), "each key handled exactly once")
    }

    @Test
    fun `send_many returns one result per item, failures included`(): Unit = runBlocking {
        val items = (1..4).map { SendItem(event = "invoice.due", body = SendRequest(to = Recipients.of("many$it-$run@example.com"))) } +
            SendItem(event = "invoice.due", body = SendRequest(to = Recipients.of("not-an-email@")))
        val results = client.sendMany(items, concurrency = 2)
        assertEquals(5, results.size)
        results.take(4).forEach { assertNotNull(it.response); assertNull(it.error) }
        val failed = results.last()
        assertNull(failed.response)
        assertTrue(failed.error is SendiventException.InvalidEmailException, "${failed.error}")
        assertEquals(5, client.sendManyBlocking(items, concurrency = null).size)
    }

    @Test
    fun `a cancelled coroutine cancels its call`(): Unit = runBlocking {
        Mock.faults(latencyMs = 4000)
        try {
            val before = testingCallsInFlight()
            val started = System.nanoTime()
            val job = launch(Dispatchers.Default) { client.events().list() }
            // The call is in the core, waiting for the (slow) answer.
            while (testingCallsInFlight() == before) delay(10)
            delay(200)
            assertTrue(job.isActive)
            job.cancel()
            job.join()
            val elapsedMs = (System.nanoTime() - started) / 1_000_000
            assertTrue(job.isCancelled)
            assertTrue(elapsedMs < 2000, "cancelled after ${elapsedMs} ms, the answer would take 4000")
            // The Rust future was dropped (its request cancelled), not merely left behind.
            assertEquals(before, testingCallsInFlight(), "the cancelled call was dropped")
            val timedOut = System.nanoTime()
            assertNull(withTimeoutOrNull(300) { client.contacts().list() }, "the call outlived its timeout")
            assertTrue((System.nanoTime() - timedOut) / 1_000_000 < 2000)
        } finally {
            Mock.faults(latencyMs = 0)
        }
        // The client is still fine afterwards.
        assertTrue(client.events().list().events.isNotEmpty())
    }

    @Test
    fun `a webhook from the mock verifies, once, and a tampered one does not`(): Unit = runBlocking {
        val inbox = LinkedBlockingQueue<Pair<ByteArray, List<Header>>>()
        val server = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0)
        server.createContext("/hooks") { exchange ->
            val body = exchange.requestBody.readBytes()
            // Every header occurrence, as received.
            val headers = exchange.requestHeaders.flatMap { (name, values) -> values.map { Header(name, it) } }
            inbox.put(body to headers)
            exchange.sendResponseHeaders(204, -1)
            exchange.close()
        }
        server.start()
        val hooks = client.webhooks()
        try {
            try {
                hooks.delete(hooks.get().uuid)
            } catch (_: SendiventException.NotFoundException) {
            }
            val url = "http://127.0.0.1:${server.address.port}/hooks"
            val hook = hooks.create(CreateWebhook(url = url, enabledEvents = listOf(WebhookEventType.DELIVERY_SENT)))
            val secret = hook.signingSecret!!
            assertFalse(secret in hook.toString(), "the signing secret is redacted in toString()")
            val sent = client.send("user.welcome", SendRequest(to = Recipients.of("hook-$run@example.com")), channel = Channel.EMAIL)
            val (body, headers) = inbox.poll(10, TimeUnit.SECONDS) ?: throw AssertionError("no webhook within 10 s")

            val event = Verifier(listOf(secret)).use { verifier ->
                ReplayGuard.inMemory().use { guard ->
                    val first = verifier.verifyEventOnce(body, headers, guard)
                    assertThrows<SendiventException.WebhookDuplicateException> { verifier.verifyOnce(body, headers, guard) }
                    assertEquals(headers["webhook-id"], first.verified.msgId)
                    assertEquals(0L, first.verified.secretIndex)
                    first.event
                }
            }
            assertEquals(WebhookEventType.DELIVERY_SENT, event.event)
            assertEquals(sent.deliveries.single().uuid, event.delivery.uuid)
            assertEquals(sent.lastResponse!!.requestId, event.requestId)
            assertEquals(event, webhookVerifyEvent(body, headers, secret))

            val tampered = assertThrows<SendiventException.WebhookVerificationException> {
                webhookVerify(body + ' '.code.toByte(), headers, secret)
            }
            assertEquals("WEBHOOK_NO_MATCHING_SIGNATURE", tampered.code())
            assertEquals("no_matching_signature", tampered.details.reason)
            hooks.delete(hook.uuid)
        } finally {
            server.stop(0)
            hooks.close()
        }
    }

    @Test
    fun `a replay guard over a store written in Kotlin`() {
        val seen = ConcurrentHashMap<String, Long>()
        val store = object : ReplayStore {
            override fun insertIfAbsent(key: String, now: Long, ttlSeconds: ULong): Boolean = seen.putIfAbsent(key, now) == null
        }
        val broken = object : ReplayStore {
            override fun insertIfAbsent(key: String, now: Long, ttlSeconds: ULong): Boolean = throw IllegalStateException("redis is down")
        }
        val secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        val body = """{"event":"delivery.sent"}""".toByteArray()
        val headers = webhookSignHeaders(secret, "msg_kotlin_store", 1_700_000_000, body)
        val options = VerifyOptions(now = 1_700_000_000)
        Verifier(listOf(secret)).use { verifier ->
            verifier.verifyOnce(body, headers, ReplayGuard.withStore(store), options)
            assertEquals(setOf("sendivent:webhook:msg_kotlin_store"), seen.keys)
            assertThrows<SendiventException.WebhookDuplicateException> { verifier.verifyOnce(body, headers, ReplayGuard.withStore(store), options) }
            val e = assertThrows<SendiventException.ReplayStoreException> { verifier.verifyOnce(body, headers, ReplayGuard.withStore(broken), options) }
            assertEquals("REPLAY_STORE_ERROR", e.code())
            assertTrue("redis is down" in e.details.message, e.details.message)
        }
    }

    @Test
    fun `blocking calls from plain threads`() {
        val failures = java.util.concurrent.ConcurrentLinkedQueue<Throwable>()
        val threads = (1..8).map { i ->
            Thread {
                try {
                    val sent = client.sendBlocking("invoice.due", SendRequest(to = Recipients.of("thread$i-$run@example.com")))
                    check(sent.deliveries.size == 1) { "thread $i: ${sent.deliveries}" }
                } catch (e: Throwable) {
                    failures.add(e)
                }
            }
        }
        threads.forEach(Thread::start)
        threads.forEach(Thread::join)
        assertTrue(failures.isEmpty(), failures.joinToString("\n"))
        assertTrue(client.events().getBlocking("user.welcome").templates!!.isNotEmpty())
        assertTrue(client.integrations().listBlocking().integrations.any { it.channel == Channel.EMAIL })
        assertTrue(client.deliveries().listAllSequence(DeliveryListParams(limit = 5)).take(12).count() > 0)
    }
}
