package kz.komek.android

import kotlinx.coroutines.flow.MutableStateFlow
import kz.komek.ffi.KomekException
import kz.komek.ffi.KomekStore
import kz.komek.ffi.SyncListener
import kz.komek.ffi.SyncOptions
import kz.komek.ffi.SyncProgress
import kz.komek.ffi.SyncReport

/**
 * One background sync as the scheduler runs it: publish the state, decide
 * foreground or not, apply the retry rule. [SyncWorker] (WorkManager) is a
 * thin shell around it; the iOS `BackgroundSync` does the same steps.
 *
 * Why it exists apart from the worker: everything here is plain Kotlin, so
 * the desktop tests run it against a real registry; the worker adds only what
 * needs Android (the notification, WorkManager's answers).
 */
class BackgroundSync(
    private val state: MutableStateFlow<SyncState> = SyncStatus.mutable,
) {
    /** What one run ended with. */
    data class Result(val outcome: SyncPolicy.Outcome?, val report: SyncReport?, val code: String?)

    /**
     * Sync [store] once. [goForeground] is called first when many forms wait
     * ([SyncPolicy.needsForeground]); [onProgress] hears each step. A
     * transient error (network, cancelled, disk busy) is
     * [SyncPolicy.Outcome.RETRY]; any other is [SyncPolicy.Outcome.FAILURE]
     * with the error's code. A device that is not enrolled is a failure
     * without a sync.
     */
    suspend fun run(
        store: KomekStore,
        options: SyncOptions = SyncOptions(),
        goForeground: suspend (pendingForms: Long) -> Unit = {},
        onProgress: (SyncProgress) -> Unit = {},
    ): Result {
        state.value = SyncState.Running(null)
        return try {
            if (!store.isEnrolled()) {
                state.value = SyncState.Failed(NOT_ENROLLED, willRetry = false)
                return Result(SyncPolicy.Outcome.FAILURE, null, NOT_ENROLLED)
            }
            val pending = store.outboxCounts().pending
            if (SyncPolicy.needsForeground(pending)) goForeground(pending)
            val listener = object : SyncListener {
                override fun onProgress(progress: SyncProgress) {
                    state.value = SyncState.Running(progress)
                    onProgress(progress)
                }
            }
            val report = store.sync(options, listener, null)
            state.value = SyncState.Succeeded(report)
            Result(null, report, null)
        } catch (e: KomekException) {
            val outcome = SyncPolicy.outcomeOf(e)
            state.value = SyncState.Failed(e.code(), willRetry = outcome == SyncPolicy.Outcome.RETRY)
            Result(outcome, null, e.code())
        }
    }

    companion object {
        const val NOT_ENROLLED = "not_enrolled"
    }
}
