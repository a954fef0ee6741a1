// BackgroundSync: the iOS counterpart of the Android SyncWorker, on
// BGTaskScheduler.
//
// Why it exists: field staff get a few minutes of 2G now and then; iOS runs
// a BGProcessingTask that requires network connectivity when it sees fit, so
// finalized forms leave the phone and decisions arrive without anyone
// pressing a button. One run: publish the state (SyncStatus, for SwiftUI),
// check enrolment, report a long sync, sync, and answer by the library's
// retry rule (SyncPolicy.outcomeOf: KomekError.isTransient): a transient
// error schedules the next attempt with the same backoff as Android, any
// other is reported in the state. When iOS ends the task early, the sync is
// cancelled through a SyncCancel (UniFFI's Swift does not cancel a Rust
// future when its Task is cancelled): what the registry acknowledged stays
// acknowledged, the rest goes next time, no form is stored twice.
//
// The app lists `kz.komek.sync` under BGTaskSchedulerPermittedIdentifiers
// in Info.plist, calls `register(store:)` before the end of
// application(_:didFinishLaunchingWithOptions:), `schedulePeriodic()` once,
// and `syncSoon()` after finalizing a form.

import BackgroundTasks
import Foundation

/// Where background sync is, for the UI.
public enum SyncState: Equatable {
    case idle
    case running(SyncProgress?)
    case succeeded(SyncReport)
    /// The error's stable code; `willRetry` when iOS will be asked again.
    case failed(code: String, willRetry: Bool)
}

/// The process's one sync state (observe it from SwiftUI).
public final class SyncStatus: ObservableObject, @unchecked Sendable {
    public static let shared = SyncStatus()
    @Published public private(set) var state: SyncState = .idle

    func set(_ state: SyncState) {
        DispatchQueue.main.async { self.state = state }
    }
}

public enum BackgroundSync {
    public static let taskIdentifier = "kz.komek.sync"
    private static let attemptKey = "kz.komek.sync.attempt"

    /// What one run ended with (nil outcome: success).
    public struct Result {
        public let outcome: SyncPolicy.Outcome?
        public let report: SyncReport?
        public let code: String?
    }

    /// Register the task handler; `store` gives the app's one store (nil
    /// when it cannot be opened yet: the task then ends and is rescheduled).
    public static func register(store: @escaping @Sendable () -> KomekStore?) {
        BGTaskScheduler.shared.register(forTaskWithIdentifier: taskIdentifier, using: nil) { task in
            guard let task = task as? BGProcessingTask else { return }
            handle(task, store: store)
        }
    }

    /// Ask iOS to sync in about `hours` hours when a network is up.
    public static func schedulePeriodic(hours: Double = 6) {
        submit(after: hours * 3600)
    }

    /// Sync as soon as iOS allows with a network (after finalizing a form).
    /// A sync already running is kept; a pending request is replaced.
    public static func syncSoon() {
        submit(after: 0)
    }

    /// One sync of `store`, as the task handler runs it (also for a "Sync
    /// now" button). Cancelling the calling Task cancels the sync.
    public static func run(
        _ store: KomekStore,
        options: SyncOptions = SyncOptions(),
        goForeground: @Sendable (Int64) async -> Void = { _ in },
        onProgress: @escaping @Sendable (SyncProgress) -> Void = { _ in }
    ) async -> Result {
        let status = SyncStatus.shared
        status.set(.running(nil))
        do {
            guard try await store.isEnrolled() else {
                status.set(.failed(code: "not_enrolled", willRetry: false))
                return Result(outcome: .failure, report: nil, code: "not_enrolled")
            }
            let pending = try await store.outboxCounts().pending
            if SyncPolicy.needsForeground(pendingForms: pending) {
                await goForeground(pending)
            }
            let cancel = SyncCancel()
            let listener = ClosureSyncListener { p in
                status.set(.running(p))
                onProgress(p)
            }
            let report = try await withTaskCancellationHandler {
                try await store.sync(options: options, listener: listener, cancel: cancel)
            } onCancel: {
                cancel.cancel()
            }
            status.set(.succeeded(report))
            return Result(outcome: nil, report: report, code: nil)
        } catch let e as KomekError {
            let outcome = SyncPolicy.outcomeOf(e)
            status.set(.failed(code: e.code(), willRetry: outcome == .retry))
            return Result(outcome: outcome, report: nil, code: e.code())
        } catch {
            status.set(.failed(code: "internal", willRetry: false))
            return Result(outcome: .failure, report: nil, code: "internal")
        }
    }

    private static func handle(_ task: BGProcessingTask, store: @escaping @Sendable () -> KomekStore?) {
        guard let komek = store() else {
            submit(after: Double(SyncPolicy.firstBackoffSeconds))
            task.setTaskCompleted(success: false)
            return
        }
        let work = Task {
            let result = await run(komek)
            let defaults = UserDefaults.standard
            if result.outcome == .retry {
                let attempt = defaults.integer(forKey: attemptKey)
                defaults.set(attempt + 1, forKey: attemptKey)
                submit(after: Double(SyncPolicy.backoffSeconds(attempt: attempt)))
            } else {
                defaults.set(0, forKey: attemptKey)
                schedulePeriodic()
            }
            task.setTaskCompleted(success: result.outcome == nil)
        }
        task.expirationHandler = { work.cancel() }
    }

    private static func submit(after seconds: Double) {
        let request = BGProcessingTaskRequest(identifier: taskIdentifier)
        request.requiresNetworkConnectivity = true
        request.requiresExternalPower = false
        request.earliestBeginDate = seconds > 0 ? Date(timeIntervalSinceNow: seconds) : nil
        do {
            try BGTaskScheduler.shared.submit(request)
        } catch {
            SyncStatus.shared.set(.failed(code: "schedule", willRetry: false))
        }
    }
}

/// A closure as the generated SyncListener protocol.
final class ClosureSyncListener: SyncListener, @unchecked Sendable {
    private let body: @Sendable (SyncProgress) -> Void

    init(_ body: @escaping @Sendable (SyncProgress) -> Void) {
        self.body = body
    }

    func onProgress(progress: SyncProgress) throws {
        body(progress)
    }
}
