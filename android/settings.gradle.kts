// The Komek Android library: generated Kotlin bindings + a thin Kotlin layer.
// Build the native libraries first: ./build-native.sh (see docs/bindings.md).
// Plugin versions live here, once; build.gradle.kts applies them by id.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
    plugins {
        id("com.android.library") version "8.7.3"
        id("org.jetbrains.kotlin.android") version "2.1.0"
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "komek-android"
