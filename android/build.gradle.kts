// Komek as an Android library (AAR): the UniFFI-generated Kotlin, the Rust
// libraries for arm64-v8a, armeabi-v7a and x86_64, and the thin Kotlin layer
// (Keystore vault, coroutine wrappers, WorkManager sync worker).
//
// Native libraries and generated Kotlin are build outputs, not sources:
// ./build-native.sh puts them in src/main/jniLibs and src/main/generated.
// The JVM tests in src/test run on the desktop through scripts/kotlin-tests.sh.
plugins {
    id("com.android.library") version "8.7.3"
    id("org.jetbrains.kotlin.android") version "2.1.0"
}

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
    // The desktop tests need the host library and JUnit 5; they run through
    // scripts/kotlin-tests.sh, not Gradle.
    sourceSets["test"].java.srcDirs(emptyList<String>())

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    kotlinOptions {
        jvmTarget = "17"
    }
    packaging {
        // The Rust libraries are stripped by build-native.sh already.
        jniLibs.keepDebugSymbols += "**/libkomek_ffi.so"
    }
}

dependencies {
    // UniFFI's Kotlin calls into the Rust library through JNA (the AAR brings
    // libjnidispatch.so for each ABI).
    implementation("net.java.dev.jna:jna:5.15.0@aar")
    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.9.0")
    implementation("androidx.work:work-runtime-ktx:2.10.0")
}
