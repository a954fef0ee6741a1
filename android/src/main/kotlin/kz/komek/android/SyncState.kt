package kz.komek.android

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kz.komek.ffi.SyncProgress
import kz.komek.ffi.SyncReport

/**
 * Where background sync is, for the UI: a banner "sending 3 of 12 forms",
 * "last sync failed: device revoked".
 *
 * Why it exists: WorkManager's own `WorkInfo` says only running / retrying /
 * done; the screen needs the progress and the outcome in Komek's terms. No
 * Android imports: the desktop tests observe it.
 */
sealed class SyncState {
    /** No sync has run in this process yet. */
    object Idle : SyncState()

    /** A sync is running; [progress] is null until the first report. */
    data class Running(val progress: SyncProgress?) : SyncState()

    /** The last sync finished. */
    data class Succeeded(val report: SyncReport) : SyncState()

    /**
     * The last sync failed with the error's stable [code]; [willRetry] when
     * the error is transient and the scheduler will try again by itself.
     */
    data class Failed(val code: String, val willRetry: Boolean) : SyncState()
}

/** The process's one sync state, updated by [BackgroundSync]. */
object SyncStatus {
    internal val mutable = MutableStateFlow<SyncState>(SyncState.Idle)

    /** Collect it in a ViewModel: `SyncStatus.state.collect { ... }`. */
    val state: StateFlow<SyncState> = mutable.asStateFlow()
}
