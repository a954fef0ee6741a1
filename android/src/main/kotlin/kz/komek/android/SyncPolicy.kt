package kz.komek.android

import kz.komek.ffi.KomekException

/**
 * The numbers behind background sync, apart from WorkManager so the desktop
 * tests can check them.
 *
 * Why it exists: on 2G a push can fail many times in a row; retries must back
 * off exponentially (30 s, 60 s, 120 s ... WorkManager caps at five hours) so
 * a phone with a weak signal does not drain its battery.
 */
object SyncPolicy {
    /** The first retry delay; WorkManager doubles it on each retry. */
    const val BACKOFF_SECONDS = 30L

    /** WorkManager's cap on a backoff delay (`WorkRequest.MAX_BACKOFF_MILLIS`). */
    const val MAX_BACKOFF_SECONDS = 5L * 60 * 60

    /** The delay before retry [attempt] (0-based), as WorkManager computes it. */
    fun backoffSeconds(attempt: Int): Long {
        require(attempt >= 0)
        val shift = attempt.coerceAtMost(30)
        return (BACKOFF_SECONDS shl shift).coerceAtMost(MAX_BACKOFF_SECONDS)
    }

    /** What a background sync does after a failure. */
    enum class Outcome {
        /** Try again later with backoff: the link or the registry was down. */
        RETRY,

        /** Retrying cannot help (not enrolled, refused by the registry, a bug): report it. */
        FAILURE,
    }

    /**
     * How [SyncWorker] answers WorkManager for a sync failure: network
     * trouble, a sync cancelled by the system, and a busy disk are retried;
     * a refusal by the registry (revoked device, bad signature), a device
     * that is not enrolled or an unreadable answer are not.
     */
    fun outcomeOf(e: KomekException): Outcome = when (e) {
        is KomekException.Network, is KomekException.Cancelled, is KomekException.Storage -> Outcome.RETRY
        else -> Outcome.FAILURE
    }
}
