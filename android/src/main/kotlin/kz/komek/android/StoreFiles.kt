package kz.komek.android

import android.content.Context
import java.io.File

/**
 * Where the store's database lives on Android: `filesDir/komek/komek.db`.
 *
 * Why it exists: the module's backup rules (`res/xml/komek_backup_rules.xml`,
 * `komek_data_extraction_rules.xml`) exclude exactly this directory from Auto
 * Backup and device transfer; a database elsewhere would be copied to a new
 * phone whose Keystore cannot open it. The iOS `StoreFiles.databasePath` is
 * the same call (it also sets the file protection class there).
 */
object StoreFiles {
    const val DIRECTORY = "komek"
    const val DATABASE = "komek.db"

    /** The path to pass to `KomekStore.open`; creates the directory. */
    fun databasePath(context: Context): String {
        val dir = File(context.filesDir, DIRECTORY)
        dir.mkdirs()
        return File(dir, DATABASE).path
    }
}
