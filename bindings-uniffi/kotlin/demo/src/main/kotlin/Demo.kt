// `make demo`, Kotlin step: send a notification through the mock, receive the signed webhook it
// triggers, and verify it. Needs SENDIVENT_BASE_URL (the mock's URL); uses SENDIVENT_API_KEY if
// set, else a test key.

import com.sendivent.Channel
import com.sendivent.Client
import com.sendivent.ClientOptions
import com.sendivent.CreateWebhook
import com.sendivent.Header
import com.sendivent.Recipients
import com.sendivent.SendRequest
import com.sendivent.SendiventException
import com.sendivent.Verifier
import com.sendivent.WebhookEventType
import com.sendivent.details
import com.sendivent.get
import com.sendivent.of
import com.sun.net.httpserver.HttpServer
import kotlinx.coroutines.runBlocking
import java.net.InetSocketAddress
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit
import kotlin.system.exitProcess

fun main() {
    val status = runDemo()
    // (exit only on failure: `mvn exec:java` runs this inside Maven's own JVM)
    if (status != 0) exitProcess(status)
}

/** The demo; 0 when every step worked. */
fun runDemo(): Int = runBlocking {
    if (System.getenv("SENDIVENT_BASE_URL").isNullOrEmpty()) {
        System.err.println("set SENDIVENT_BASE_URL to the mock's URL")
        return@runBlocking 2
    }
    // The key and base URL come from SENDIVENT_API_KEY and SENDIVENT_BASE_URL.
    val client = Client(ClientOptions(apiKey = System.getenv("SENDIVENT_API_KEY") ?: "test_demo_kotlin_0123456789"))

    // A local endpoint that queues every webhook it receives, with every header as received.
    val inbox = LinkedBlockingQueue<Pair<ByteArray, List<Header>>>()
    val receiver = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0)
    receiver.createContext("/webhooks/sendivent") { exchange ->
        val headers = exchange.requestHeaders.flatMap { (name, values) -> values.map { Header(name, it) } }
        inbox.put(exchange.requestBody.readBytes() to headers)
        exchange.sendResponseHeaders(204, -1)
        exchange.close()
    }
    receiver.start()
    val url = "http://127.0.0.1:${receiver.address.port}/webhooks/sendivent"
    try {
        val webhooks = client.webhooks()
        try {
            webhooks.delete(webhooks.get().uuid)
        } catch (_: SendiventException.NotFoundException) {
            // No endpoint yet.
        }
        val hook = webhooks.create(CreateWebhook(url = url, enabledEvents = listOf(WebhookEventType.DELIVERY_SENT)))
        println("[kotlin] webhook endpoint ${hook.uuid} -> $url")

        val sent = client.send(
            "user.welcome",
            SendRequest(to = Recipients.of("ada@example.com"), payload = """{"message": "from Kotlin"}"""),
            channel = Channel.EMAIL,
        )
        val deliveries = sent.deliveries.map { "${it.channel}:${it.uuid}" }
        println("[kotlin] sent user.welcome: $deliveries (request ${sent.lastResponse?.requestId})")

        val (body, headers) = inbox.poll(10, TimeUnit.SECONDS) ?: run {
            System.err.println("[kotlin] no webhook arrived within 10 s")
            return@runBlocking 1
        }
        val verifier = Verifier(listOf(hook.signingSecret!!))
        val event = verifier.verifyEvent(body, headers)
        println("[kotlin] verified webhook ${headers["webhook-id"]}: ${event.event} for delivery ${event.delivery.uuid} (${event.delivery.channel})")
        try {
            verifier.verify(body + ' '.code.toByte(), headers)
            System.err.println("[kotlin] a tampered body was accepted")
            return@runBlocking 1
        } catch (e: SendiventException.WebhookVerificationException) {
            println("[kotlin] a tampered body is rejected: ${e.details.reason}")
        }
        webhooks.delete(hook.uuid)
        0
    } catch (e: SendiventException) {
        System.err.println("[kotlin] ${e.details.display}")
        1
    } finally {
        receiver.stop(0)
        client.close()
    }
}
