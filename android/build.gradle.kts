// Komek as an Android library (AAR): the UniFFI-generated Kotlin, the Rust
// libraries for arm64-v8a, armeabi-v7a and x86_64, and the thin Kotlin layer
// (Keystore vault, background sync with WorkManager, logcat logger).
//
// Native libraries and generated Kotlin are build outputs, not sources:
// ./build-native.sh puts them in src/main/jniLibs and src/main/generated.
// The JVM tests in src/test run on the desktop through scripts/kotlin-tests.sh
// (they need the host library and JUnit 5), never in the Android build.
//
//   ./build-native.sh && gradle assembleRelease publishReleasePublicationToLocalRepository
plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
    `maven-publish`
}

group = "kz.komek"
version = "0.1.0"

android {
    namespace = "kz.komek.android"
    compileSdk = 35

    defaultConfig {
        // java.time (LocalDate, YearMonth, Instant in the bindings) needs API 26.
        minSdk = 26
        consumerProguardFiles("consumer-rules.pro")
    }

    sourceSets["main"].java.srcDirs("src/main/kotlin", "src/main/generated/kotlin")
    sourceSets["main"].jniLibs.srcDirs("src/main/jniLibs")
    // The desktop tests are not Android unit tests: keep them out of the build.
    sourceSets["test"].java.setSrcDirs(emptyList<String>())
    sourceSets["test"].kotlin.setSrcDirs(emptyList<String>())

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    kotlinOptions {
        jvmTarget = "17"
    }
    packaging {
        // build-native.sh places stripped libraries and keeps the unstripped
        // ones as build/native-debug-symbols.zip (for Play Console and
        // crash symbolication); do not let AGP strip again.
        jniLibs.keepDebugSymbols += "**/libkomek_ffi.so"
    }
    publishing {
        singleVariant("release") {
            withSourcesJar()
        }
    }
}

dependencies {
    // Part of the public API: the generated classes take JNA pointers, the
    // store's calls are suspend functions, SyncWorker is a CoroutineWorker.
    // JNA as an AAR brings libjnidispatch.so for each ABI (the POM says aar).
    api("net.java.dev.jna:jna:5.15.0@aar")
    api("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.9.0")
    api("androidx.work:work-runtime-ktx:2.10.0")
    implementation("androidx.core:core-ktx:1.13.1")
}

publishing {
    publications {
        register<MavenPublication>("release") {
            groupId = "kz.komek"
            artifactId = "komek-android"
            version = project.version.toString()
            afterEvaluate { from(components["release"]) }
            pom {
                name.set("Komek")
                description.set("Komek's offline intake core for Android: encrypted store, pre-checks, sync")
                licenses {
                    license {
                        name.set("Apache-2.0")
                        url.set("https://www.apache.org/licenses/LICENSE-2.0")
                    }
                }
            }
        }
    }
    repositories {
        // `gradle publishReleasePublicationToLocalRepository` writes build/repo;
        // an app team points this at its own Maven repository.
        maven {
            name = "local"
            url = uri(layout.buildDirectory.dir("repo"))
        }
    }
}
