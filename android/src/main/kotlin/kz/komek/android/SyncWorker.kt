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
import kz.komek.ffi.KomekException
import kz.komek.ffi.KomekStore
import kz.komek.ffi.SyncListener
import kz.komek.ffi.SyncOptions
import kz.komek.ffi.SyncProgress

/**
 * Background sync of the outbox with the registry, scheduled by WorkManager.
 *
 * Why it exists: field staff have a few minutes of 2G now and then. WorkManager
 * runs this worker whenever a network is connected (and retries with
 * exponential backoff), survives reboots, and respects Doze, so finalized forms
 * leave the phone and supervisors' decisions arrive without anyone pressing a
 * button.
 *
 * The app enrols the device (`KomekStore.enrol`, with a supervisor unlocked);
 * this worker only syncs. It calls the suspend `KomekStore.sync`, which runs
 * on the library's own threads, and answers WorkManager by [SyncPolicy.outcomeOf]:
 * network trouble (and a busy disk) is `Result.retry()` with the backoff
 * below; a refusal by the registry (revoked device, bad signature), a device
 * that is not enrolled or an unreadable answer is `Result.failure()` with the
 * error's stable code as `reason`. Progress is published with `setProgress`
 * (phase, forms and bytes done of total). When WorkManager stops the worker
 * (constraints lost, the app killed) the coroutine is cancelled and so is the
 * sync: what the registry acknowledged stays acknowledged, the rest goes next
 * time, and no form is stored twice.
 *
 * The app provides the store through [KomekStoreProvider] on its
 * `Application` class.
 */
class SyncWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val provider = applicationContext as? KomekStoreProvider
            ?: return Result.failure(workDataOf(KEY_REASON to "no-store-provider"))
        val store = provider.komekStore()
        if (!withContext(Dispatchers.IO) { store.isEnrolled() }) {
            return Result.failure(workDataOf(KEY_REASON to REASON_NOT_ENROLLED))
        }
        val listener = object : SyncListener {
            // Called on a library thread: setProgressAsync does not suspend.
            override fun onProgress(progress: SyncProgress) {
                setProgressAsync(
                    workDataOf(
                        KEY_PHASE to progress.phase.name,
                        KEY_OPS_DONE to progress.opsDone.toLong(),
                        KEY_OPS_TOTAL to progress.opsTotal.toLong(),
                        KEY_BYTES_DONE to progress.bytesDone.toLong(),
                        KEY_BYTES_TOTAL to progress.bytesTotal.toLong(),
                    ),
                )
            }
        }
        return try {
            val report = store.sync(SyncOptions(), listener, null)
            Result.success(
                workDataOf(
                    KEY_STORED to report.stored.toLong(),
                    KEY_REJECTED to report.rejected.size,
                    KEY_DECISIONS to report.decisions.toLong(),
                ),
            )
        } catch (e: KomekException) {
            when (SyncPolicy.outcomeOf(e)) {
                SyncPolicy.Outcome.RETRY -> Result.retry()
                SyncPolicy.Outcome.FAILURE -> Result.failure(workDataOf(KEY_REASON to e.code()))
            }
        }
    }

    companion object {
        const val UNIQUE_PERIODIC = "komek-sync-periodic"
        const val UNIQUE_NOW = "komek-sync-now"
        const val KEY_REASON = "reason"
        const val REASON_NOT_ENROLLED = "not_enrolled"
        const val KEY_PHASE = "phase"
        const val KEY_OPS_DONE = "ops_done"
        const val KEY_OPS_TOTAL = "ops_total"
        const val KEY_BYTES_DONE = "bytes_done"
        const val KEY_BYTES_TOTAL = "bytes_total"
        const val KEY_STORED = "stored"
        const val KEY_REJECTED = "rejected"
        const val KEY_DECISIONS = "decisions"

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
