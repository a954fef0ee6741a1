package kz.komek.android

import android.app.Notification
import android.app.NotificationChannel
import android.app.NotificationManager
import android.content.Context
import android.content.pm.ServiceInfo
import android.os.Build
import androidx.core.app.NotificationCompat
import androidx.work.BackoffPolicy
import androidx.work.Constraints
import androidx.work.CoroutineWorker
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.ExistingWorkPolicy
import androidx.work.ForegroundInfo
import androidx.work.NetworkType
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import androidx.work.workDataOf
import java.util.concurrent.TimeUnit
import kz.komek.ffi.KomekStore

/**
 * Background sync of the outbox with the registry, scheduled by WorkManager.
 *
 * Why it exists: field staff have a few minutes of 2G now and then. WorkManager
 * runs this worker whenever a network is connected (and retries with
 * exponential backoff), survives reboots, and respects Doze, so finalized forms
 * leave the phone and supervisors' decisions arrive without anyone pressing a
 * button.
 *
 * The work is [BackgroundSync] (plain Kotlin, tested on the desktop JVM); this
 * class adds what needs Android:
 * - the answer to WorkManager by the library's one retry rule
 *   (`KomekException.isTransient`, [SyncPolicy.outcomeOf]): `Result.retry()`
 *   with the backoff below, else `Result.failure()` with the error's stable
 *   code as `reason`;
 * - foreground work with a notification when many forms wait
 *   ([SyncPolicy.needsForeground]): on 2G such a sync takes minutes;
 * - progress with `setProgress`; the state for the UI is [SyncStatus.state].
 *
 * [syncSoon] keeps a sync that is already running (`ExistingWorkPolicy.KEEP`):
 * finalizing a form while a slow sync pushes the others does not cancel it;
 * the running sync, or the next one, takes the new form too. When WorkManager
 * stops the worker (constraints lost, the app killed) the coroutine is
 * cancelled and so is the sync: what the registry acknowledged stays
 * acknowledged, the rest goes next time, and no form is stored twice.
 *
 * The app provides the store through [KomekStoreProvider] on its
 * `Application` class.
 */
class SyncWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val provider = applicationContext as? KomekStoreProvider
            ?: return Result.failure(workDataOf(KEY_REASON to "no_store_provider"))
        val run = BackgroundSync().run(
            provider.komekStore(),
            goForeground = { pending -> setForeground(foregroundInfo(pending)) },
            onProgress = { p ->
                // Called on a library thread: setProgressAsync does not suspend.
                setProgressAsync(
                    workDataOf(
                        KEY_PHASE to p.phase.name,
                        KEY_OPS_DONE to p.opsDone,
                        KEY_OPS_TOTAL to p.opsTotal,
                        KEY_BYTES_DONE to p.bytesDone,
                        KEY_BYTES_TOTAL to p.bytesTotal,
                    ),
                )
            },
        )
        val report = run.report
        return when {
            report != null -> Result.success(
                workDataOf(
                    KEY_STORED to report.stored,
                    KEY_REJECTED to report.rejected.size,
                    KEY_DECISIONS to report.decisions,
                ),
            )
            run.outcome == SyncPolicy.Outcome.RETRY -> Result.retry()
            else -> Result.failure(workDataOf(KEY_REASON to run.code))
        }
    }

    override suspend fun getForegroundInfo(): ForegroundInfo = foregroundInfo(0)

    private fun foregroundInfo(pending: Long): ForegroundInfo {
        val manager = applicationContext.getSystemService(NotificationManager::class.java)
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.O) {
            manager.createNotificationChannel(
                NotificationChannel(CHANNEL_ID, "Komek sync", NotificationManager.IMPORTANCE_LOW),
            )
        }
        val notification: Notification = NotificationCompat.Builder(applicationContext, CHANNEL_ID)
            .setSmallIcon(android.R.drawable.stat_notify_sync)
            .setContentTitle("Sending forms")
            .setContentText(if (pending > 0) "$pending forms to send" else null)
            .setOngoing(true)
            .setSilent(true)
            .build()
        return if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.Q) {
            ForegroundInfo(NOTIFICATION_ID, notification, ServiceInfo.FOREGROUND_SERVICE_TYPE_DATA_SYNC)
        } else {
            ForegroundInfo(NOTIFICATION_ID, notification)
        }
    }

    companion object {
        const val UNIQUE_PERIODIC = "komek-sync-periodic"
        const val UNIQUE_NOW = "komek-sync-now"
        const val CHANNEL_ID = "komek-sync"
        const val NOTIFICATION_ID = 0x6b6d
        const val KEY_REASON = "reason"
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

        /**
         * Sync as soon as a network is connected (after finalizing a form). A
         * sync already queued or running is kept, not replaced.
         */
        fun syncSoon(context: Context) {
            val request = OneTimeWorkRequestBuilder<SyncWorker>()
                .setConstraints(constraints)
                .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, SyncPolicy.BACKOFF_SECONDS, TimeUnit.SECONDS)
                .build()
            WorkManager.getInstance(context)
                .enqueueUniqueWork(UNIQUE_NOW, ExistingWorkPolicy.KEEP, request)
        }
    }
}

/** Implemented by the app's `Application`: the one store of the process. */
interface KomekStoreProvider {
    fun komekStore(): KomekStore
}
