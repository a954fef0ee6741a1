package kz.komek.android

import android.content.Context
import androidx.work.BackoffPolicy
import androidx.work.Constraints
import androidx.work.CoroutineWorker
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.ExistingWorkPolicy
import androidx.work.NetworkType
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import androidx.work.workDataOf
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import kz.komek.ffi.KomekStore

/**
 * Background sync of the outbox with the registry, scheduled by WorkManager.
 *
 * Why it exists: field staff have a few minutes of 2G now and then. WorkManager
 * runs this worker whenever a network is connected (and retries with
 * exponential backoff), survives reboots, and respects Doze, so finalized forms
 * leave the phone without anyone pressing a button.
 *
 * NOT YET SYNCING. The sync client (issue 4) does not exist, so this worker
 * calls only what does: it reads the outbox counts. With nothing pending it
 * succeeds; with forms pending it returns `Result.failure()` with
 * `reason = "sync-not-available"`, so WorkManager does not back off and retry
 * for ever against an API that is not there (a periodic request simply runs
 * again next period). When `KomekStore.sync()` lands, `doWork` calls it and
 * returns `Result.retry()` on a network failure (the backoff below applies).
 * See docs/bindings.md, "Not yet".
 *
 * The app provides the store through [KomekStoreProvider] on its
 * `Application` class.
 */
class SyncWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val provider = applicationContext as? KomekStoreProvider
            ?: return Result.failure(workDataOf(KEY_REASON to "no-store-provider"))
        val store = provider.komekStore()
        val pending = withContext(Dispatchers.IO) { store.outboxCounts().pending }
        if (pending == 0UL) return Result.success()
        // TODO(issue 4): store.sync() here; Result.retry() on network failure.
        return Result.failure(workDataOf(KEY_REASON to REASON_NOT_AVAILABLE, KEY_PENDING to pending.toLong()))
    }

    companion object {
        const val UNIQUE_PERIODIC = "komek-sync-periodic"
        const val UNIQUE_NOW = "komek-sync-now"
        const val KEY_REASON = "reason"
        const val KEY_PENDING = "pending"
        const val REASON_NOT_AVAILABLE = "sync-not-available"

        private val constraints = Constraints.Builder()
            .setRequiredNetworkType(NetworkType.CONNECTED)
            .build()

        /** Sync every [hours] hours while a network is connected (call once at start-up). */
        fun schedulePeriodic(context: Context, hours: Long = 6) {
            val request = PeriodicWorkRequestBuilder<SyncWorker>(hours, TimeUnit.HOURS)
                .setConstraints(constraints)
                .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, SyncPolicy.BACKOFF_SECONDS, TimeUnit.SECONDS)
                .build()
            WorkManager.getInstance(context)
                .enqueueUniquePeriodicWork(UNIQUE_PERIODIC, ExistingPeriodicWorkPolicy.KEEP, request)
        }

        /** Sync as soon as a network is connected (after finalizing a form). */
        fun syncSoon(context: Context) {
            val request = OneTimeWorkRequestBuilder<SyncWorker>()
                .setConstraints(constraints)
                .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, SyncPolicy.BACKOFF_SECONDS, TimeUnit.SECONDS)
                .build()
            WorkManager.getInstance(context)
                .enqueueUniqueWork(UNIQUE_NOW, ExistingWorkPolicy.REPLACE, request)
        }
    }
}

/** Implemented by the app's `Application`: the one store of the process. */
interface KomekStoreProvider {
    fun komekStore(): KomekStore
}
