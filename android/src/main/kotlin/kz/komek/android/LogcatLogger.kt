package kz.komek.android

import android.util.Log
import kz.komek.ffi.LogLevel
import kz.komek.ffi.LogRecord
import kz.komek.ffi.Logger
import kz.komek.ffi.installLogger

/**
 * The library's log records in logcat, under one tag, at their level.
 *
 * Why it exists: Rust's log records go nowhere on a phone unless forwarded,
 * and a Rust panic aborts the process (ADR 0007): its message reaches this
 * logger first (target `panic`, level error), so the crash report's logcat
 * says why. Records hold no personal data (the library's rule, tested).
 * Install once in `Application.onCreate`: `LogcatLogger.install()`.
 */
class LogcatLogger(private val tag: String = "Komek") : Logger {
    override fun log(record: LogRecord) {
        val text = "${record.target}: ${record.message}"
        when (record.level) {
            LogLevel.ERROR -> Log.e(tag, text)
            LogLevel.WARN -> Log.w(tag, text)
            LogLevel.INFO -> Log.i(tag, text)
            LogLevel.DEBUG -> Log.d(tag, text)
            LogLevel.TRACE -> Log.v(tag, text)
        }
    }

    companion object {
        /** Forward records at [level] and above (info in release builds). */
        fun install(tag: String = "Komek", level: LogLevel = LogLevel.INFO) =
            installLogger(LogcatLogger(tag), level)
    }
}
