// SyncPolicy: the numbers and the one retry rule of background sync, the same
// as the Android module's SyncPolicy.
//
// Why it exists: on 2G a push can fail many times in a row; retries back off
// exponentially (30 s, 60 s, 120 s ... capped at five hours) so a weak signal
// does not drain the battery. Whether to retry at all is the library's
// answer, KomekError.isTransient() (network down, sync cancelled by the
// system, disk busy): neither platform keeps its own list.

import Foundation

public enum SyncPolicy {
    /// The first retry delay, doubled on each retry.
    public static let firstBackoffSeconds: Int64 = 30
    /// The cap on a retry delay (WorkManager's, so both platforms agree).
    public static let maxBackoffSeconds: Int64 = 5 * 60 * 60
    /// From this many pending forms on, a sync is a long one (on iOS: a
    /// BGProcessingTask the app may show progress for).
    public static let foregroundPendingForms: Int64 = 10

    public enum Outcome: Equatable {
        /// Try again later with backoff: the link or the registry was down.
        case retry
        /// Retrying cannot help (not enrolled, refused, a bug): report it.
        case failure
    }

    /// The delay before retry `attempt` (0-based).
    public static func backoffSeconds(attempt: Int) -> Int64 {
        let shift = Int64(min(max(attempt, 0), 30))
        return min(firstBackoffSeconds << shift, maxBackoffSeconds)
    }

    /// Whether a sync of `pendingForms` forms is a long one.
    public static func needsForeground(pendingForms: Int64) -> Bool {
        pendingForms >= foregroundPendingForms
    }

    /// The library's retry rule: `isTransient()`, nothing else.
    public static func outcomeOf(_ error: KomekError) -> Outcome {
        error.isTransient() ? .retry : .failure
    }
}
