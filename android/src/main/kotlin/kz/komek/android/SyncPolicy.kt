package kz.komek.android

import kz.komek.ffi.KomekException

/**
 * The numbers and the one retry rule behind background sync, apart from
 * WorkManager so the desktop tests can check them.
 *
 * Why it exists: on 2G a push can fail many times in a row; retries must back
 * off exponentially (30 s, 60 s, 120 s ... WorkManager caps at five hours) so
 * a phone with a weak signal does not drain its battery. Whether to retry at
 * all is the library's answer, [KomekException.isTransient] (network down,
 * sync cancelled by the system, disk busy), the same rule the iOS
 * `BackgroundSync` uses: neither platform keeps its own list.
 */
object SyncPolicy {
    /** The first retry delay; WorkManager doubles it on each retry. */
    const val BACKOFF_SECONDS = 30L

    /** WorkManager's cap on a backoff delay (`WorkRequest.MAX_BACKOFF_MILLIS`). */
    const val MAX_BACKOFF_SECONDS = 5L * 60 * 60

    /**
     * From this many pending forms on, a sync runs as foreground work with a
     * notification: on 2G it takes minutes, longer than the system lets
     * background work run undisturbed.
     */
    const val FOREGROUND_PENDING_FORMS = 10L

    /** The delay before retry [attempt] (0-based), as WorkManager computes it. */
    fun backoffSeconds(attempt: Int): Long {
        require(attempt >= 0)
        val shift = attempt.coerceAtMost(30)
        return (BACKOFF_SECONDS shl shift).coerceAtMost(MAX_BACKOFF_SECONDS)
    }

    /** Whether a sync of [pendingForms] forms should run in the foreground. */
    fun needsForeground(pendingForms: Long): Boolean = pendingForms >= FOREGROUND_PENDING_FORMS

    /** What a background sync does after a failure. */
    enum class Outcome {
        /** Try again later with backoff: the link or the registry was down. */
        RETRY,

        /** Retrying cannot help (not enrolled, refused by the registry, a bug): report it. */
        FAILURE,
    }

    /** The library's retry rule: [KomekException.isTransient], nothing else. */
    fun outcomeOf(e: KomekException): Outcome = if (e.isTransient()) Outcome.RETRY else Outcome.FAILURE
}
