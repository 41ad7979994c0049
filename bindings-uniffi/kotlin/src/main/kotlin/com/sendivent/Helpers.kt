// The hand-written part of the Kotlin package, only where uniffi's output is awkward in Kotlin:
// short ways to write recipients, and the helpers the generated Flow/Sequence extensions
// (Extensions.kt) share. Everything else is uniffi's output (sendivent.kt) over the Rust core.
@file:JvmName("SendiventHelpers")

package com.sendivent

import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/** One recipient by identifier: an email, an E.164 phone, a UUID, your own user id, a Slack user id or `#channel`. */
fun Recipients.Companion.of(identifier: String): Recipients = Recipients.One(Recipient.Text(identifier))

/** One recipient as a contact (fields the API does not define go to the contact's `meta`). */
fun Recipients.Companion.of(contact: ContactInput): Recipients = Recipients.One(Recipient.Contact(contact))

/** Several recipients by identifier; each gets an individually rendered message. */
fun Recipients.Companion.of(first: String, second: String, vararg more: String): Recipients =
    Recipients.Many((listOf(first, second) + more).map { Recipient.Text(it) })

/** Several recipients, identifiers and contacts mixed. */
fun Recipients.Companion.of(recipients: List<Recipient>): Recipients = Recipients.Many(recipients)

/**
 * The code, message, HTTP status, request id and the rest of any [SendiventException]
 * (`catch (e: SendiventException) { e.details.status }`); each subclass has it as a property too.
 */
val SendiventException.details: ErrorDetails get() = details()

/** `headers["webhook-id"]`: the value of the first header named [name] (any case), or null. */
operator fun List<Header>.get(name: String): String? = firstOrNull { it.name.equals(name, ignoreCase = true) }?.value

/** Headers from name/value pairs, in order (repeats kept). */
fun headersOf(vararg pairs: Pair<String, String>): List<Header> = pairs.map { (name, value) -> Header(name, value) }

/**
 * A cold [Flow] over a paginator that [open] makes on each collection: [next] is called until it
 * returns null, and the paginator is closed when the flow completes, fails or is cancelled.
 */
internal fun <P : AutoCloseable, T : Any> pagesFlow(open: () -> P, next: suspend (P) -> T?): Flow<T> = flow {
    open().use { pager ->
        while (true) {
            emit(next(pager) ?: break)
        }
    }
}

/** A [Sequence] over a paginator that [open] makes on each iteration, closed after the last item. */
internal fun <P : AutoCloseable, T : Any> pagesSequence(open: () -> P, next: (P) -> T?): Sequence<T> = sequence {
    open().use { pager ->
        while (true) {
            yield(next(pager) ?: break)
        }
    }
}
